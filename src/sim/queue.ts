/**
 * The event queue: a binary min-heap ordered by (time, seq). `seq` is the scheduling order,
 * so events at equal time run in the order they were scheduled (FoundationDB, TigerBeetle).
 * Times and seqs live in parallel Float64Arrays (no per-event key objects, no comparator
 * closures): this keeps pushes and pops cheap with 10^5–10^6 pending events.
 */
export class EventQueue<E> {
  private times: Float64Array;
  private seqs: Float64Array;
  private items: (E | undefined)[];
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
    this.items = new Array<E | undefined>(cap);
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
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    this.n = i + 1;
    // Sifting up compares times only: every queued event has a smaller seq than this one, so a
    // parent at the same time already comes first.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (pt <= t) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      items[i] = items[p];
      i = p;
    }
    times[i] = t;
    seqs[i] = seq;
    items[i] = item;
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
    const items = this.items;
    const top = items[0];
    const last = n - 1;
    this.n = last;
    if (last === 0) times[0] = Infinity;
    else {
      const t = times[last] as number;
      const s = seqs[last] as number;
      const item = items[last];
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
        items[i] = items[c];
        i = c;
      }
      times[i] = t;
      seqs[i] = s;
      items[i] = item;
    }
    items[last] = undefined; // let the popped payload be collected
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
    this.times = times;
    this.seqs = seqs;
    this.items.length = cap;
  }
}
