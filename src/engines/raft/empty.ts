/**
 * Shared empty collections for the per-group fields most groups never fill (a follower's
 * progress and votes, a quiet range's reads, a replica nobody wrote to). With 100,000 ranges a
 * node holds tens of thousands of groups, and one empty Map each per field was most of the
 * heap (and of the collector's time). A group gets its own collection when it first needs one;
 * writing to a shared one throws, so a missed "own it first" cannot leak state between groups.
 */

/** An always-empty Map: reads work, writes throw. */
class NoneMap<K, V> extends Map<K, V> {
  override set(_key: K, _value: V): this {
    throw new Error('raft: write to a shared empty map (the group must own it first)');
  }
}

/** A shared, never-filled Map typed for any use; check with `isNone` before writing. */
export function noneMap<K, V>(): Map<K, V> {
  return NONE as Map<K, V>;
}

/** True for the shared empty Map. */
export function isNone(m: ReadonlyMap<unknown, unknown>): boolean {
  return m === NONE;
}

const NONE: Map<unknown, unknown> = new NoneMap<unknown, unknown>();

/** A shared empty array; frozen, so a push throws. */
export function noneArray<T>(): T[] {
  return NONE_ARRAY as T[];
}

const NONE_ARRAY: unknown[] = Object.freeze([]) as unknown as unknown[];
