/**
 * Lightweight transactions (Cassandra LWT: Paxos per partition key). Placeholder until the LWT
 * module lands (branch q2 replaces this file): conditional writes (`cas`) and the inventory's
 * reservations and restocks are refused with `fail lwt-not-built`, which is honest: nothing
 * was applied. The core engine routes to these functions and owns nothing of their state:
 * `s.lwt` (kept across crashes through the durable part), `{ type: 'lwt' }` messages and
 * `{ kind: 'lwt' }` timers are this module's.
 *
 * What the core offers the module: `s.env.replicasOf(key)` (placement), `liveReplicas(s, p,
 * now)` (live.ts: the coordinator's view), `getRow` / `putCells` (store.ts: the cells with
 * their timestamps, `apply` records included), `nextTimestamp` (store.ts) and the levels
 * (levels.ts).
 */
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest, Ctx } from '../engine.js';
import type { QuorumMsg, QuorumState } from './types.js';

/** The LWT module's messages (`type: 'lwt'`; the rest of the shape is the module's). */
export type LwtMsg = { type: 'lwt'; [field: string]: unknown };
/** The LWT module's timers. */
export type LwtTimer = { kind: 'lwt'; data?: unknown };

/** The module's state on a fresh node (`durable` undefined) or a restarted one. */
export function initLwt(durable: unknown): unknown {
  return durable ?? null;
}

/** What of the module's state survives a crash. */
export function durableLwt(s: QuorumState): unknown {
  return s.lwt;
}

/** Whether a request goes through LWT: a register's `cas`, every inventory write. */
export function isLwtRequest(model: QuorumState['env']['model'], req: ClientRequest): boolean {
  return (model === 'register' && req.f === 'cas') || (model === 'inventory' && req.f !== 'read');
}

export function onLwtRequest(_s: QuorumState, req: ClientRequest, ctx: Ctx<QuorumMsg>): void {
  ctx.reply(req.op, { type: 'fail', error: 'lwt-not-built' });
}

export function onLwtMessage(_s: QuorumState, _from: NodeId, _msg: LwtMsg, _ctx: Ctx<QuorumMsg>): void {}

export function onLwtTimer(_s: QuorumState, _timer: LwtTimer, _ctx: Ctx<QuorumMsg>): void {}

/** The module's metrics (merged into the engine's). */
export function lwtMetrics(_s: QuorumState): Record<string, number> {
  return {};
}
