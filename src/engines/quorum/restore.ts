/**
 * Restore from backup (Engine.restore, docs/12-backups-and-recovery.md): the replica's rows
 * become the backed-up values. A backup holds what the key showed (its `apply` record), not its
 * cells, so each row is rebuilt from the value:
 * - register and inventory: the one value cell, with the write timestamp the `apply` record's
 *   version carries (a register's version is its cell timestamp); without one, timestamp 0, so
 *   any write made after the backup wins over it on repair, as it should;
 * - set: one live cell per element, timestamp 0 (tombstones are not in the value: a removed
 *   element another replica still holds comes back on repair — Cassandra's zombie, which is
 *   why its docs tell you to repair within gc_grace_seconds after a restore);
 * - counter: the total as one shard named after the restoring node, clock 0. The real shards
 *   are gone from the value, so once repair brings the other replicas' shards back the
 *   counter counts the restored total twice: restoring a counter replica in place is unsafe
 *   in Cassandra too (its docs say to restore every replica of a counter together).
 */
import { canonText, stateOfVisible } from '../model.js';
import type { Ctx, RestoredEntry } from '../engine.js';
import { VALUE_CELL, type Row } from './cells.js';
import type { QuorumMsg, QuorumState } from './types.js';
import type { Value } from '../../history/types.js';
import { unknownModel } from '../objects/unknown.js';

export function restoreRows(s: QuorumState, entries: ReadonlyArray<RestoredEntry>, ctx: Ctx<QuorumMsg>): void {
  s.store.clear();
  for (const e of entries) s.store.set(e.key, rowOf(s, e, String(ctx.self)));
}

function rowOf(s: QuorumState, e: RestoredEntry, self: string): Row {
  const row: Row = new Map();
  switch (s.env.model) {
    case 'register':
    case 'inventory': {
      const ts = e.version !== undefined && /^\d+$/.test(e.version) ? Number(e.version) : 0;
      // an inventory's cell holds { stock, orders }: the value shows the stock only
      row.set(VALUE_CELL, { ts, v: stateOfVisible(s.env.model, e.value) as Value, op: undefined });
      return row;
    }
    case 'set': {
      const elems: Value[] = Array.isArray(e.value) ? e.value : [];
      for (const x of elems) row.set(canonText(x), { ts: 0, v: x, op: undefined });
      return row;
    }
    case 'counter':
      row.set(`restore:${self}`, { ts: 0, v: typeof e.value === 'number' ? e.value : 0, op: undefined });
      return row;
    default:
      throw unknownModel(s.env.model);
  }
}
