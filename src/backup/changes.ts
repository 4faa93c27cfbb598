/**
 * A node's change log as the world sees it: every `apply` the node's engine recorded, with the
 * node's own clock reading beside true time. Backups are cut from it and restores replay it, so
 * a restore works for every engine without the engine exposing its internals: what a replica
 * held at time T is, by definition, the last value it applied per key at or before T (the
 * history's own `apply` records, CHECKING.md).
 */
import type { Value } from '../history/types.js';

/** One applied change. Immutable once logged (snapshots share them). */
export interface Change {
  /** true time, microseconds */
  t: number;
  /** the node's own clock when it applied the change */
  clock_us: number;
  key: string;
  value: Value;
  op?: number;
  version?: string;
}

/** Key → the change that made its current value. */
export type KeyState = Map<string, Change>;

/** Fixed per-entry overhead in bytes (key framing, timestamps, checksum), as in an SSTable row. */
export const ENTRY_OVERHEAD_BYTES = 24;

/** Bytes one change takes in a snapshot or log segment. */
export function changeBytes(c: Change): number {
  return ENTRY_OVERHEAD_BYTES + c.key.length + JSON.stringify(c.value).length + (c.version?.length ?? 0);
}

/** Bytes of a whole key state (a full snapshot's size). */
export function stateBytes(s: KeyState): number {
  let n = 0;
  for (const c of s.values()) n += changeBytes(c);
  return n;
}

/** Folds `changes` (in time order) into `into`: the last change per key wins. Returns `into`. */
export function fold(into: KeyState, changes: Iterable<Change>): KeyState {
  for (const c of changes) into.set(c.key, c);
  return into;
}

/** The state after every change with `t <= upTo_us` (changes in time order). */
export function stateAt(changes: readonly Change[], upTo_us: number): KeyState {
  const s: KeyState = new Map();
  for (const c of changes) {
    if (c.t > upTo_us) break;
    s.set(c.key, c);
  }
  return s;
}

/** Key-sorted entries of a state, for engines and records (deterministic order). */
export function sortedEntries(s: KeyState): Change[] {
  return [...s.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
