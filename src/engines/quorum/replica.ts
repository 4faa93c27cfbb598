/**
 * A replica's answers to its coordinators: apply a mutation or a read repair and acknowledge
 * it, answer a read with the data or its digest, and, as a counter's leader, increment its
 * own shard and hand the new shard back to the coordinator.
 */
import type { NodeId } from '../../sim/ids.js';
import type { Ctx } from '../engine.js';
import { cellsOf, digestOf, type Cell, type Cells } from './cells.js';
import { getRow, putCells } from './store.js';
import type { QuorumMsg, QuorumState } from './types.js';

type Msg<T extends QuorumMsg['type']> = Extract<QuorumMsg, { type: T }>;

export function onMutation(s: QuorumState, from: NodeId, msg: Msg<'mutation'>, ctx: Ctx<QuorumMsg>): void {
  putCells(s, msg.key, msg.cells, ctx);
  ctx.send(from, { type: 'mutation-ack', id: msg.id });
}

export function onReadRepair(s: QuorumState, from: NodeId, msg: Msg<'read-repair'>, ctx: Ctx<QuorumMsg>): void {
  putCells(s, msg.key, msg.cells, ctx);
  ctx.send(from, { type: 'read-repair-ack', id: msg.id });
}

/** This replica's cells of `key`, and their digest. */
export function localRead(s: QuorumState, key: string): { cells: Cells; digest: string } {
  const cells = cellsOf(getRow(s, key));
  return { cells, digest: digestOf(cells) };
}

export function onRead(s: QuorumState, from: NodeId, msg: Msg<'read'>, ctx: Ctx<QuorumMsg>): void {
  const r = localRead(s, msg.key);
  ctx.send(from, { type: 'read-reply', id: msg.id, digest: r.digest, cells: msg.digest ? undefined : r.cells });
}

/**
 * Increments this replica's own shard of a counter (Cassandra's counter leader): the shard's
 * clock goes up by one and its total by `delta`. Not idempotent: the same increment delivered
 * twice, or retried by a client after a timeout, counts twice.
 */
export function incrementShard(s: QuorumState, key: string, delta: number, op: number, ctx: Ctx<QuorumMsg>): Cells {
  const cur = getRow(s, key)?.get(s.self);
  const shard: Cell = { ts: (cur?.ts ?? 0) + 1, v: ((cur?.v as number | undefined) ?? 0) + delta, op };
  const cells: Cells = [[s.self, shard]];
  putCells(s, key, cells, ctx);
  return cells;
}

export function onCounter(s: QuorumState, from: NodeId, msg: Msg<'counter'>, ctx: Ctx<QuorumMsg>): void {
  const cells = incrementShard(s, msg.key, msg.delta, msg.op, ctx);
  ctx.send(from, { type: 'counter-ack', id: msg.id, cells });
}
