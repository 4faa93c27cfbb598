/**
 * The `changes` column of a replica's change log (ledger.ts: each queued change once, for all
 * its destination queues). A rule may store its changes packed
 * (rules/lww-column.ts: numbers in typed arrays) so that a partition's backlog of hundreds of
 * thousands of changes per queue is a few flat buffers the garbage collector does not trace,
 * instead of several objects per change; every other rule keeps the change objects as they are.
 * Slots are addressed by index; the ledger keeps this column as long as its counts.
 */
export interface ChangeColumn {
  /** slots in use (live or cleared) */
  readonly length: number;
  /** appends a change in a new last slot */
  push(change: unknown): void;
  /**
   * The change in slot `i`, equal field for field (and in field order) to the one stored. A
   * packed column builds a fresh object on every call: callers must not rely on identity.
   */
  get(i: number): unknown;
  /** replaces slot `i`'s change (coalescing) */
  set(i: number, change: unknown): void;
  /** forgets slot `i`'s change (acknowledged), so what it references can be collected */
  clear(i: number): void;
  /** drops the first `n` slots, moving the rest down (compaction) */
  dropFirst(n: number): void;
}

/** A column of the change objects themselves: what every rule without a packed form uses. */
export function objectColumn(initial: readonly unknown[] = []): ChangeColumn {
  const col: unknown[] = [...initial];
  return {
    get length() {
      return col.length;
    },
    push: (change) => {
      col.push(change);
    },
    get: (i) => col[i],
    set: (i, change) => {
      col[i] = change;
    },
    clear: (i) => {
      col[i] = undefined;
    },
    dropFirst: (n) => {
      col.copyWithin(0, n);
      col.length -= n;
    },
  };
}
