/**
 * Attempts in flight, by engine op id. Ids are handed out counting up and live for at most an
 * attempt timeout, so the open ones are a short window of ids: an array indexed from the
 * window's start, dropped from the front as the oldest ones close. A Map did the same job but
 * shrank and regrew its table as a handful of entries came and went, one reallocation every
 * few operations (5% of the 2-hour partition's allocations).
 */
export class OpenOps<T> {
  private slots: Array<T | undefined> = [];
  /** the id held by slots[0] */
  private base = 0;
  /** slots before this one are all empty */
  private head = 0;
  private count = 0;
  /** ids below the window when they were set (only if ids did not count up: never in the simulator) */
  private readonly below = new Map<number, T>();

  get size(): number {
    return this.count + this.below.size;
  }

  get(id: number): T | undefined {
    const i = id - this.base;
    const v = i >= 0 && i < this.slots.length ? this.slots[i] : undefined;
    return v !== undefined || this.below.size === 0 ? v : this.below.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, v: T): void {
    // Nothing open: every slot is empty, so the window may restart at `id` in the same array
    // (often: most ops close before the next one opens).
    if (this.count === 0) {
      this.base = id;
      this.head = 0;
    }
    const i = id - this.base;
    if (i < 0 || !Number.isInteger(i) || (this.below.size > 0 && this.below.has(id))) {
      this.below.set(id, v);
      return;
    }
    while (this.slots.length < i) this.slots.push(undefined);
    if (this.slots[i] === undefined) this.count++;
    this.slots[i] = v;
    if (i < this.head) this.head = i;
  }

  delete(id: number): boolean {
    const i = id - this.base;
    if (!(i >= 0 && i < this.slots.length) || this.slots[i] === undefined) return this.below.delete(id);
    this.slots[i] = undefined;
    this.count--;
    if (i === this.head) {
      let h = this.head;
      while (h < this.slots.length && this.slots[h] === undefined) h++;
      this.head = h;
      // drop the empty front now and then, so the array holds the window, not every id
      if (h > 1024 && h * 2 > this.slots.length) {
        this.slots.splice(0, h);
        this.base += h;
        this.head = 0;
      }
    }
    return true;
  }

  /** Every open attempt, in id order. */
  values(): T[] {
    const out = [...this.below.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    for (const v of this.slots) if (v !== undefined) out.push(v);
    return out;
  }

  clear(): void {
    this.below.clear();
    this.slots = [];
    this.base = 0;
    this.head = 0;
    this.count = 0;
  }
}
