/**
 * The event queue: a 4-ary min-heap ordered by (time, seq). `seq` is the scheduling order,
 * so events at equal time run in the order they were scheduled (FoundationDB, TigerBeetle).
 * Times and seqs live in parallel Float64Arrays (no per-event key objects, no comparator
 * closures). Four children per node instead of two halve the heap's depth: a pop, the
 * costly side, does fewer levels of moves, and a node's four children sit next to each other
 * in memory. Any heap pops the same (time, seq) order, since no two events share a seq: the
 * arity changes speed, never a history.
 */
export class EventQueue<E> {
  private times: Float64Array;
  private seqs: Float64Array;
  private items: (E | undefined)[];
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(4, initialCapacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.items = new Array<E | undefined>(cap);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Schedules `item` at integer time `t`; returns the queue's size after the push. */
  push(t: number, item: E): number {
    if (this.n === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    let i = this.n++;
    // A new event is never earlier in seq than any queued one: at equal time it goes below.
    while (i > 0) {
      const p = (i - 1) >> 2;
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
    return this.n;
  }

  /** Removes the earliest event; `lastTime` is set to its time. Undefined when empty. */
  pop(): E | undefined {
    const n = this.n;
    if (n === 0) return undefined;
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    const top = items[0];
    this.lastTime = times[0] as number;
    const last = n - 1;
    this.n = last;
    if (last > 0) {
      const t = times[last] as number;
      const s = seqs[last] as number;
      const item = items[last];
      let i = 0;
      for (;;) {
        const first = 4 * i + 1;
        if (first >= last) break;
        // the least of up to four children, by (time, seq)
        let c = first;
        let ct = times[first] as number;
        const end = first + 4 < last ? first + 4 : last;
        for (let j = first + 1; j < end; j++) {
          const jt = times[j] as number;
          if (jt < ct || (jt === ct && (seqs[j] as number) < (seqs[c] as number))) {
            c = j;
            ct = jt;
          }
        }
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
    return top;
  }

  /** Time of the event most recently popped. */
  lastTime = 0;

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
