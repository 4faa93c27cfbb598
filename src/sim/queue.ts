/**
 * The event queue: a binary min-heap ordered by (time, seq). `seq` is the scheduling order,
 * so events at equal time run in the order they were scheduled (FoundationDB, TigerBeetle).
 * Times and seqs live in parallel Float64Arrays (no per-event key objects, no comparator
 * closures): this keeps pushes and pops cheap with 10^5–10^6 pending events. The heap holds
 * each event's slot number (an Int32Array), not the event: an event is written once into its
 * slot of `items` and read once when it pops. Moving the events themselves up and down the
 * heap stored a young object into an old array at every level, each store a write barrier
 * and a remembered slot for the next scavenge (measured ~15% of the queue's time).
 */
export class EventQueue<E> {
  private times: Float64Array;
  private seqs: Float64Array;
  /** heap position → the slot of `items` holding that event */
  private slots: Int32Array;
  /** the events, by slot (a slot is free from its event's pop to the next push that takes it) */
  private items: (E | undefined)[];
  /** free slots below `fresh`, as a stack */
  private free: Int32Array;
  private nFree = 0;
  /** slots at or above this one were never used */
  private fresh = 0;
  private n = 0;
  private nextSeq = 0;
  /** the size at which a push must look up (grow, or pass the limit): one compare per push */
  private checkAt: number;

  /**
   * @param limit the size a push may not pass: the push that passes it calls `onOverLimit`
   *   (once; the event is queued all the same)
   */
  constructor(
    initialCapacity = 1024,
    private readonly limit = Infinity,
    private readonly onOverLimit?: () => void,
  ) {
    // at least one slot: slot 0 holds the Infinity that an empty queue peeks
    const cap = Math.max(1, initialCapacity);
    this.times = new Float64Array(cap);
    this.times[0] = Infinity;
    this.seqs = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.items = new Array<E | undefined>(cap);
    this.free = new Int32Array(cap);
    this.checkAt = Math.min(cap, limit);
  }

  get size(): number {
    return this.n;
  }

  /**
   * Time of the earliest event, or Infinity when empty. One load, no branch: an empty queue
   * keeps Infinity in slot 0 (set by the constructor and by the pop that empties it). A
   * `n > 0 ? times[0] : Infinity` here made V8 box the time into a fresh heap number on every
   * call (the join of a raw double and a constant), one allocation per event.
   */
  peekTime(): number {
    return this.times[0] as number;
  }

  /** Schedules `item` at time `t` (any double; the simulator's are whole microseconds); returns its sequence number. */
  push(t: number, item: E): number {
    let i = this.n;
    if (i === this.checkAt) this.full(i);
    const seq = this.nextSeq++;
    // every slot below `fresh` that is not free holds a queued event, so with n < capacity
    // queued there is a free slot or a fresh one
    const slot = this.nFree > 0 ? (this.free[--this.nFree] as number) : this.fresh++;
    this.items[slot] = item;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    this.n = i + 1;
    // Sifting up compares times only: every queued event has a smaller seq than this one, so a
    // parent at the same time already comes first.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (pt <= t) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      slots[i] = slots[p] as number;
      i = p;
    }
    times[i] = t;
    seqs[i] = seq;
    slots[i] = slot;
    return seq;
  }

  /** Removes the earliest event (its time is `peekTime()` before the call). Undefined when empty. */
  pop(): E | undefined {
    return this.n === 0 ? undefined : this.take();
  }

  /**
   * Removes the earliest event of a queue known not to be empty (the kernel's loop knows it
   * from the time it peeked), without a second emptiness check on the per-event path.
   */
  take(): E {
    const n = this.n;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const topSlot = slots[0] as number;
    const top = this.items[topSlot];
    this.items[topSlot] = undefined; // let the popped payload be collected
    this.free[this.nFree++] = topSlot;
    const last = n - 1;
    this.n = last;
    if (last === 0) times[0] = Infinity;
    else {
      const t = times[last] as number;
      const s = seqs[last] as number;
      const slot = slots[last] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        let c = l;
        const r = l + 1;
        if (r < last) {
          const rt = times[r] as number;
          const lt = times[l] as number;
          if (rt < lt || (rt === lt && (seqs[r] as number) < (seqs[l] as number))) c = r;
        }
        const ct = times[c] as number;
        if (t < ct || (t === ct && s < (seqs[c] as number))) break;
        times[i] = ct;
        seqs[i] = seqs[c] as number;
        slots[i] = slots[c] as number;
        i = c;
      }
      times[i] = t;
      seqs[i] = s;
      slots[i] = slot;
    }
    return top as E;
  }

  /** A push at size `i` reached `checkAt`: grow when full, call `onOverLimit` when passing the limit. */
  private full(i: number): void {
    if (i === this.times.length) this.grow();
    const passing = i >= this.limit && this.checkAt <= this.limit;
    // after the limit is passed only growth is looked for
    this.checkAt = i < this.limit ? Math.min(this.times.length, this.limit) : this.times.length;
    if (passing) this.onOverLimit?.();
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    const slots = new Int32Array(cap);
    slots.set(this.slots);
    const free = new Int32Array(cap);
    free.set(this.free);
    this.times = times;
    this.seqs = seqs;
    this.slots = slots;
    this.free = free;
    this.items.length = cap;
  }
}
