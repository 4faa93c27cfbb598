/**
 * Hinted handoff. A coordinator keeps a hint (the cells) for every replica that missed a write:
 * believed down when the write was sent, or silent until the write timeout. Hints are replayed
 * in batches when the replica is seen up again (a heartbeat after a conviction) and at every
 * gossip tick while it is up; a batch is removed when the replica acknowledges it.
 *
 * As in Cassandra, no hint is stored for a replica believed down for longer than
 * `max_hint_window` (it needs repair instead), and hints older than the window are dropped
 * before replay; `max_hints` bounds what one coordinator holds. Each of those counts in
 * `hints_dropped`. With `hints: volatile`, a crash loses the coordinator's hints
 * (`hints_lost`); with `durable` they survive it.
 */
import type { NodeId } from '../../sim/ids.js';
import type { Ctx } from '../engine.js';
import type { Cells } from './cells.js';
import { putCells } from './store.js';
import type { QuorumMsg, QuorumState } from './types.js';

/** hints sent per batch */
export const HINT_BATCH = 64;

/** Stores a hint for `target`, unless the hint window or the bound says no. */
export function storeHint(s: QuorumState, target: NodeId, key: string, cells: Cells, now_us: number): void {
  const spec = s.env.spec;
  const fd = s.fd.get(target);
  if (fd !== undefined && !fd.up && now_us - fd.downSince_us > spec.max_hint_window_us) {
    s.stats.hintsDropped++;
    return;
  }
  if (s.hintCount >= spec.max_hints) {
    s.stats.hintsDropped++;
    return;
  }
  let list = s.hints.get(target);
  if (list === undefined) {
    list = [];
    s.hints.set(target, list);
  }
  list.push({ key, cells, created_us: now_us });
  s.hintCount++;
  s.stats.hintsStored++;
}

/**
 * Sends the next batch of hints to `target` (believed up), unless one is in flight and not yet
 * overdue (a batch whose ack was lost is sent again after the write timeout).
 */
export function replayHints(s: QuorumState, target: NodeId, ctx: Ctx<QuorumMsg>): void {
  const list = s.hints.get(target);
  if (list === undefined || list.length === 0) return;
  const now = ctx.now();
  const inFlight = s.hintsInFlight.get(target);
  if (inFlight !== undefined && now - inFlight.sent_us < s.env.spec.write_timeout_us) return;
  if (inFlight === undefined) dropExpired(s, target, list, now);
  if (list.length === 0) return;
  const n = Math.min(HINT_BATCH, list.length);
  const id = ++s.seq;
  const items = list.slice(0, n).map((h) => ({ key: h.key, cells: h.cells }));
  s.hintsInFlight.set(target, { id, n, sent_us: now });
  ctx.send(target, { type: 'hints', id, items });
}

function dropExpired(s: QuorumState, target: NodeId, list: { created_us: number }[], now: number): void {
  let k = 0;
  while (k < list.length && now - (list[k] as { created_us: number }).created_us > s.env.spec.max_hint_window_us) k++;
  if (k === 0) return;
  list.splice(0, k);
  s.hintCount -= k;
  s.stats.hintsDropped += k;
  if (list.length === 0) s.hints.delete(target);
}

/** The replica's side: applies the hinted cells and acknowledges the batch. */
export function onHints(s: QuorumState, from: NodeId, msg: Extract<QuorumMsg, { type: 'hints' }>, ctx: Ctx<QuorumMsg>): void {
  for (const it of msg.items) putCells(s, it.key, it.cells, ctx);
  ctx.send(from, { type: 'hints-ack', id: msg.id });
}

/** The coordinator's side: the batch is delivered; the next one goes at once. */
export function onHintsAck(s: QuorumState, from: NodeId, msg: Extract<QuorumMsg, { type: 'hints-ack' }>, ctx: Ctx<QuorumMsg>): void {
  const inFlight = s.hintsInFlight.get(from);
  if (inFlight === undefined || inFlight.id !== msg.id) return;
  s.hintsInFlight.delete(from);
  const list = s.hints.get(from);
  if (list === undefined) return;
  const n = Math.min(inFlight.n, list.length);
  list.splice(0, n);
  s.hintCount -= n;
  s.stats.hintsReplayed += n;
  if (list.length === 0) s.hints.delete(from);
  else replayHints(s, from, ctx);
}
