/**
 * A replica's local store: reading a key's cells and merging cells into it, recording an
 * `apply` for the history whenever what the key shows changed. Every path that writes
 * (mutations, counter shards, hints, read repairs, LWT commits) goes through `putCells`.
 */
import { opId } from '../../sim/ids.js';
import type { Ctx } from '../engine.js';
import { mergeCells, VALUE_CELL, visibleOf, type Cells, type Row } from './cells.js';
import type { QuorumMsg, QuorumState } from './types.js';

/** The key's cells at this replica (undefined: it holds nothing for the key). */
export function getRow(s: QuorumState, key: string): Row | undefined {
  return s.store.get(key);
}

/**
 * Merges `cells` into this replica's row of `key` (newest cell wins, see cells.ts). Returns
 * whether anything changed; a change is recorded as an `apply` of the value the key now
 * shows, attributed to the newest op among the cells that won.
 */
export function putCells(s: QuorumState, key: string, cells: Cells, ctx: Ctx<QuorumMsg>): boolean {
  let row = s.store.get(key);
  if (row === undefined) {
    row = new Map();
    s.store.set(key, row);
  }
  const op = mergeCells(row, cells);
  if (op < 0) return false;
  const model = s.env.model;
  // A register's version is its cell's timestamp: the LWW order the checker may compare.
  const version = model === 'register' ? String(row.get(VALUE_CELL)?.ts ?? '') : undefined;
  ctx.applied(key, visibleOf(model, row), op > 0 ? opId(op) : undefined, version);
  return true;
}

/** A write timestamp from this coordinator's clock, strictly above any it issued before. */
export function nextTimestamp(s: QuorumState, ctx: Ctx<QuorumMsg>): number {
  const ts = Math.max(ctx.now(), s.lastTs + 1);
  s.lastTs = ts;
  return ts;
}
