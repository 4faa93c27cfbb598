/**
 * Key names interned as small integers, so a destination queue keeps its keys column as an
 * Int32Array (flat memory the collector does not trace) instead of a JS array of references
 * that a partition grows to hundreds of thousands of slots per queue. One table per engine,
 * shared by its nodes: ids are internal and never reach the history, so their order is free.
 */
export interface KeyTable {
  ids: Map<string, number>;
  names: string[];
}

export function newKeyTable(): KeyTable {
  return { ids: new Map(), names: [] };
}

/** The id of `key`, made on first sight. */
export function intern(t: KeyTable, key: string): number {
  let id = t.ids.get(key);
  if (id === undefined) {
    id = t.names.length;
    t.names.push(key);
    t.ids.set(key, id);
  }
  return id;
}

/** The key of an id `intern` returned. */
export function keyName(t: KeyTable, id: number): string {
  return t.names[id] as string;
}
