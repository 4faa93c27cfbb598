/**
 * A client's ops in invoke order with their deadlines (traffic.ts arms one timer per client
 * for the oldest). Two flat columns with a head index, compacted in place: the arrays of
 * numbers this replaced grew by copying and were trimmed with `splice`, which returns the
 * removed part as a new array, so every op paid for about two array slots of garbage.
 */
const INITIAL_CAPACITY = 64;

export class DeadlineQueue {
  private ops = new Float64Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private head = 0;
  private tail = 0;

  /** ops waiting */
  get length(): number {
    return this.tail - this.head;
  }

  /** Appends op `op` due at `t` (not earlier than any queued deadline). */
  push(op: number, t: number): void {
    if (this.tail === this.ops.length) this.makeRoom();
    this.ops[this.tail] = op;
    this.times[this.tail] = t;
    this.tail++;
  }

  /** The oldest op (the queue must not be empty). */
  firstOp(): number {
    return this.ops[this.head] as number;
  }

  /** The oldest op's deadline (the queue must not be empty). */
  firstTime(): number {
    return this.times[this.head] as number;
  }

  /** Drops the oldest op. */
  shift(): void {
    this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Full at the end: slide the live part down when at least half is free, else double. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head * 2 >= this.ops.length) {
      this.ops.copyWithin(0, this.head, this.tail);
      this.times.copyWithin(0, this.head, this.tail);
    } else {
      const ops = new Float64Array(this.ops.length * 2);
      ops.set(this.ops.subarray(this.head, this.tail));
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times.subarray(this.head, this.tail));
      this.ops = ops;
      this.times = times;
    }
    this.head = 0;
    this.tail = live;
  }
}
