/**
 * The replica's data: every key is a row of cells, each cell a value with the timestamp of the
 * write that set it (Cassandra's storage model). Merging two versions of a cell keeps the one
 * with the greater timestamp; on equal timestamps a tombstone wins, then the greater value, as
 * Cassandra's `Cells.reconcile` does, so every replica picks the same cell whatever the order.
 *
 * How each workload object maps onto cells:
 * - register: one cell `''` holding the value (last writer wins);
 * - set: one cell per element (name: the element's canonical text), a tombstone once removed;
 * - counter: one cell per shard, named by the node that owns the shard (Cassandra counters):
 *   its timestamp is the shard's logical clock and its value the shard's running total, so
 *   the newer state of a shard wins and the counter is the sum of the shards;
 * - inventory: one cell `''` holding `{ stock, orders }`, written only through LWT (lwt.ts).
 */
import type { Value } from '../../history/types.js';
import type { WorkloadModel } from '../../scenario/types.js';
import { canonText, compareElements, initialState, visibleState, type ObjectState } from '../model.js';
import { unknownModel } from '../objects/unknown.js';

export interface Cell {
  /** write timestamp (microseconds of the coordinator's clock), or a counter shard's clock */
  ts: number;
  v: Value;
  /** the op that wrote it (for `apply` records); undefined for none known */
  op: number | undefined;
  /** a set element's tombstone */
  del?: true;
}

/** A key's cells at one replica, by cell name. */
export type Row = Map<string, Cell>;

/** Cells to write: a mutation, a hint, a read repair or a read's data (name → cell). */
export type Cells = Array<[string, Cell]>;

/** The register's (and inventory's) only cell. */
export const VALUE_CELL = '';

function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ta = canonText(a);
  const tb = canonText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** > 0 when `a` wins over `b`, < 0 when `b` wins, 0 when they are the same cell. */
export function reconcile(a: Cell, b: Cell): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if ((a.del === true) !== (b.del === true)) return a.del ? 1 : -1;
  return compareValues(a.v, b.v);
}

/**
 * Merges `cells` into `row`; returns the op of the newest cell that changed it (-1 when nothing
 * changed, 0 when cells changed but carry no op). The cells are stored as given (never mutated).
 */
export function mergeCells(row: Row, cells: Cells): number {
  let changed = -1;
  for (let i = 0; i < cells.length; i++) {
    const [name, c] = cells[i] as [string, Cell];
    const cur = row.get(name);
    if (cur !== undefined && reconcile(c, cur) <= 0) continue;
    row.set(name, c);
    changed = c.op ?? 0;
  }
  return changed;
}

/** The row's cells as a list (sorted by name, so digests and messages are canonical). */
export function cellsOf(row: Row | undefined): Cells {
  if (row === undefined) return [];
  const out = [...row.entries()];
  if (out.length > 1) out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}

/** A digest of a row (Cassandra hashes the row's cells; here their canonical text). */
export function digestOf(cells: Cells): string {
  let d = '';
  for (const [name, c] of cells) d += `${name}\u0000${c.ts}\u0000${c.del ? 'x' : ''}\u0000${canonText(c.v)}\u0001`;
  return d;
}

/** The merge of several replicas' cells (a new row). */
export function mergeAll(lists: readonly Cells[]): Row {
  const row: Row = new Map();
  for (const l of lists) mergeCells(row, l);
  return row;
}

/** The cells of `merged` that `have` lacks or holds older: what a read repair must write. */
export function missingFrom(merged: Row, have: Cells): Cells {
  const theirs = new Map(have);
  const out: Cells = [];
  for (const [name, c] of cellsOf(merged)) {
    const t = theirs.get(name);
    if (t === undefined || reconcile(c, t) > 0) out.push([name, c]);
  }
  return out;
}

/** The object a row shows, as the shared object model holds it (for reads and `apply`/`final`). */
export function objectOf(model: WorkloadModel, row: Row | undefined): ObjectState {
  switch (model) {
    case 'register':
    case 'inventory': {
      const c = row?.get(VALUE_CELL);
      return c === undefined ? initialState(model) : (c.v as ObjectState);
    }
    case 'set': {
      const out: Value[] = [];
      if (row) for (const c of row.values()) if (!c.del) out.push(c.v);
      return out.sort(compareElements);
    }
    case 'counter': {
      let sum = 0;
      if (row) for (const c of row.values()) sum += c.v as number;
      return sum;
    }
    default:
      throw unknownModel(model);
  }
}

/** What a read returns and `apply`/`final` records show. */
export function visibleOf(model: WorkloadModel, row: Row | undefined): Value {
  return visibleState(model, objectOf(model, row));
}
