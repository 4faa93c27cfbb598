/**
 * A replica's write ledger, its change log: for each change it queued, the change and its key
 * (once, however many destinations wait for it), how many destination queues still hold it
 * unacknowledged (`copies`) and whether it is an anti-entropy re-offer (`repair`). A change
 * is named by a write id (a per-ledger counter), and the queues hold those ids in a typed
 * column. This replaced an object per write shared by the change's queue entries: during a
 * 2-hour partition 1.3 million of them lived for hours, so every scavenge copied and promoted
 * them and every mark-compact traced them. Here the counts are numbers in typed arrays that
 * grow by doubling; the ids that no queue holds any more are trimmed from the front (ids are
 * released roughly in the order they were issued), and the arrays are compacted in place.
 */

import { objectColumn, type ChangeColumn } from './change-column.js';
import { intern, keyName, newKeyTable, type KeyTable } from './key-table.js';
import { resized } from '../../typed-arrays.js';

const INITIAL_CAPACITY = 1024;

export interface WriteLedger {
  /** id of slot 0 of the arrays */
  first: number;
  /** slot of the oldest id still tracked (the slots before it are free, reused at compaction) */
  head: number;
  /** slots in use: ids first+head .. first+len-1 */
  len: number;
  copies: Int32Array;
  repair: Uint8Array;
  /** each write's key, as an id of `keyTable` */
  keys: Int32Array;
  /** the changes, slot for slot (cleared when no queue holds them) */
  changes: ChangeColumn;
  keyTable: KeyTable;
}

/**
 * `column` makes the changes column: the rule's packed form if it has one (Rule.column);
 * `keyTable` interns the keys (one per engine, shared by its nodes' ledgers).
 */
export function newLedger(column: (initial: readonly unknown[]) => ChangeColumn = objectColumn, keyTable: KeyTable = newKeyTable()): WriteLedger {
  const n = INITIAL_CAPACITY;
  return { first: 1, head: 0, len: 0, copies: new Int32Array(n), repair: new Uint8Array(n), keys: new Int32Array(n), changes: column([]), keyTable };
}

/**
 * A new write id for `change` of `key`, with no copies yet (`repair`: an anti-entropy offer). Ids no
 * queue holds are forgotten first: an id with zero copies is never referenced again (a change
 * is enqueued right after its id is issued, and a released one is gone from every queue).
 */
export function issue(l: WriteLedger, repair: boolean, change: unknown, key: string): number {
  while (l.head < l.len && l.copies[l.head] === 0) l.head++;
  if (l.head === l.len) {
    // Nothing tracked: start over at slot 0 (the ids keep counting).
    l.changes.dropFirst(l.len);
    l.first += l.len;
    l.head = l.len = 0;
  } else if (l.len === l.copies.length && l.head * 2 >= l.len) {
    // Full but at least half of it free at the front: slide the live ids down, no growth.
    l.copies.copyWithin(0, l.head, l.len);
    l.repair.copyWithin(0, l.head, l.len);
    l.keys.copyWithin(0, l.head, l.len);
    l.changes.dropFirst(l.head);
    l.first += l.head;
    l.len -= l.head;
    l.head = 0;
  }
  if (l.len === l.copies.length) {
    const cap = l.copies.length * 2;
    l.copies = resized(l.copies, cap);
    l.repair = resized(l.repair, cap);
    l.keys = resized(l.keys, cap);
  }
  const slot = l.len++;
  l.copies[slot] = 0;
  l.repair[slot] = repair ? 1 : 0;
  l.keys[slot] = intern(l.keyTable, key);
  l.changes.push(change);
  return l.first + slot;
}

function slotOf(l: WriteLedger, id: number): number {
  const slot = id - l.first;
  if (slot < l.head || slot >= l.len) throw new Error(`write ledger: id ${id} is not tracked`);
  return slot;
}

/** One more queue holds write `id`. */
export function addCopy(l: WriteLedger, id: number): void {
  const slot = slotOf(l, id);
  l.copies[slot] = (l.copies[slot] as number) + 1;
}

/** One queue let go of write `id` (acknowledged or coalesced away); true when no queue holds it now. */
export function dropCopy(l: WriteLedger, id: number): boolean {
  const slot = slotOf(l, id);
  const left = (l.copies[slot] as number) - 1;
  l.copies[slot] = left;
  if (left === 0) l.changes.clear(slot); // what it references can be collected now
  return left === 0;
}

/**
 * The change write `id` names (a packed column rebuilds it: equal field for field, not the
 * same object).
 */
export function changeOf(l: WriteLedger, id: number): unknown {
  return l.changes.get(slotOf(l, id));
}

/** The key of write `id`. */
export function keyOf(l: WriteLedger, id: number): string {
  return keyName(l.keyTable, l.keys[slotOf(l, id)] as number);
}

/** How many queues hold write `id` unacknowledged. */
export function copiesOf(l: WriteLedger, id: number): number {
  return l.copies[slotOf(l, id)] as number;
}

/** Whether write `id` is an anti-entropy re-offer (not a client's change). */
export function isRepair(l: WriteLedger, id: number): boolean {
  return l.repair[slotOf(l, id)] === 1;
}
