/**
 * The coordinator's write path. A write goes to every replica of the key (in every region,
 * whatever the level) and is acknowledged to the client once the acks meet the write level.
 * A replica believed down gets no message but a hint at once; one that has not acknowledged by
 * `write_timeout` gets a hint then. Too few replicas believed up: `fail unavailable` at once
 * (nothing was sent, so nothing happened). Not enough acks by the timeout: no reply, and the
 * client's own timeout records the outcome as unknown (`info`), since some replicas may hold
 * the write: Cassandra's WriteTimeoutException.
 *
 * Counters go first to one replica, the leader (this node when it is a replica, else the
 * closest one believed up), which increments its own shard; the coordinator then sends that
 * shard to the other replicas like any write.
 */
import { micros } from '../../sim/time.js';
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest, Ctx } from '../engine.js';
import type { Cells } from './cells.js';
import { VALUE_CELL } from './cells.js';
import { canonText } from '../model.js';
import { count, meets, newTally } from './levels.js';
import { admit, liveReplicas, type LiveView } from './live.js';
import { incrementShard } from './replica.js';
import { storeHint } from './hints.js';
import { nextTimestamp, putCells } from './store.js';
import type { PendingWrite, QuorumMsg, QuorumState, QuorumTimer } from './types.js';

type Msg<T extends QuorumMsg['type']> = Extract<QuorumMsg, { type: T }>;

/**
 * Starts a register or set write (`cells` built by the caller from the op, with `ts` left to
 * this coordinator) or a counter increment (`delta`).
 */
export function startWrite(
  s: QuorumState,
  req: ClientRequest,
  what: { kind: 'cells'; build: (ts: number) => Cells } | { kind: 'counter'; delta: number },
  ctx: Ctx<QuorumMsg>,
): void {
  const c = s.env;
  const need = c.writeNeed[s.regionIdx]!;
  const admitted = admit(s, req, need, ctx);
  if (admitted === undefined) return;
  const { p, view } = admitted;
  const n = p.nodes.length;
  const w: PendingWrite = {
    id: ++s.seq,
    op: req.op,
    key: req.key,
    result: req.value,
    cells: undefined,
    p,
    need,
    tally: newTally(c.rf.length),
    acked: new Array<boolean>(n).fill(false),
    hinted: new Array<boolean>(n).fill(false),
    replied: false,
    leader: -1,
  };
  s.writes.set(w.id, w);
  const timer: QuorumTimer = { kind: 'write-timeout', data: w.id };
  ctx.setTimer(micros(c.spec.write_timeout_us), timer);
  if (what.kind === 'cells') {
    w.cells = what.build(nextTimestamp(s, ctx));
    fanOut(s, w, view, ctx);
    return;
  }
  const leader = counterLeader(s, view, w);
  w.leader = leader;
  if (p.nodes[leader] === s.self) {
    w.cells = incrementShard(s, req.key, what.delta, req.op, ctx);
    ack(s, w, leader, ctx);
    fanOut(s, w, view, ctx);
    return;
  }
  ctx.send(p.nodes[leader]!, { type: 'counter', id: w.id, key: req.key, delta: what.delta, op: req.op });
}

/** This node when it is a replica, else the closest replica believed up (ring order on ties). */
function counterLeader(s: QuorumState, view: LiveView, w: PendingWrite): number {
  const c = s.env;
  const dist = c.distance[s.rank]!;
  let best = -1;
  for (let i = 0; i < w.p.nodes.length; i++) {
    if (!view.up[i]) continue;
    const d = dist[c.rankOf.get(w.p.nodes[i]!)!]!;
    if (best < 0 || d < dist[c.rankOf.get(w.p.nodes[best]!)!]!) best = i;
  }
  return best;
}

/** Sends the cells to every replica not yet holding them: applied here, sent, or hinted. */
function fanOut(s: QuorumState, w: PendingWrite, view: LiveView, ctx: Ctx<QuorumMsg>): void {
  const cells = w.cells!;
  const now = ctx.now();
  let selfAt = -1;
  for (let i = 0; i < w.p.nodes.length; i++) {
    if (w.acked[i]) continue;
    const node = w.p.nodes[i]!;
    if (node === s.self) selfAt = i;
    else if (view.up[i]) ctx.send(node, { type: 'mutation', id: w.id, key: w.key, cells });
    else {
      w.hinted[i] = true;
      storeHint(s, node, w.key, cells, now);
    }
  }
  // The local apply last: the sends above leave first, as they would from a real coordinator.
  if (selfAt >= 0) {
    putCells(s, w.key, cells, ctx);
    ack(s, w, selfAt, ctx);
  }
}

function ack(s: QuorumState, w: PendingWrite, i: number, ctx: Ctx<QuorumMsg>): void {
  if (w.acked[i]) return;
  w.acked[i] = true;
  count(w.tally, w.p.regionIdx[i]!);
  if (!w.replied && meets(w.need, w.tally)) {
    w.replied = true;
    ctx.reply(w.op, w.result === undefined ? { type: 'ok' } : { type: 'ok', value: w.result });
  }
  if (w.tally.total === w.p.nodes.length) s.writes.delete(w.id);
}

export function onMutationAck(s: QuorumState, from: NodeId, msg: Msg<'mutation-ack'>, ctx: Ctx<QuorumMsg>): void {
  const w = s.writes.get(msg.id);
  if (w === undefined) return;
  const i = w.p.nodes.indexOf(from);
  if (i >= 0) ack(s, w, i, ctx);
}

export function onCounterAck(s: QuorumState, from: NodeId, msg: Msg<'counter-ack'>, ctx: Ctx<QuorumMsg>): void {
  const w = s.writes.get(msg.id);
  if (w === undefined || w.cells !== undefined || w.p.nodes[w.leader] !== from) return;
  w.cells = msg.cells;
  ack(s, w, w.leader, ctx);
  fanOut(s, w, liveReplicas(s, w.p, ctx.now()), ctx);
}

/**
 * The write timeout: replicas that did not acknowledge get a hint (a counter whose leader never
 * answered has nothing to hint: whether it counted is unknown). No reply: the client times out.
 */
export function onWriteTimeout(s: QuorumState, id: number, ctx: Ctx<QuorumMsg>): void {
  const w = s.writes.get(id);
  if (w === undefined) return;
  s.writes.delete(id);
  if (!w.replied) s.stats.writeTimeouts++;
  if (w.cells === undefined) return;
  const now = ctx.now();
  for (let i = 0; i < w.p.nodes.length; i++) {
    if (w.acked[i] || w.hinted[i]) continue;
    storeHint(s, w.p.nodes[i]!, w.key, w.cells, now);
  }
}

/** The cells of a register write or a set add/remove (`ts` from the coordinator). */
export function cellsOfOp(req: ClientRequest, model: 'register' | 'set', ts: number): Cells {
  const v = req.value ?? null;
  if (model === 'register') return [[VALUE_CELL, { ts, v, op: req.op }]];
  const cell = req.f === 'remove' ? { ts, v, op: req.op, del: true as const } : { ts, v, op: req.op };
  return [[canonText(v), cell]];
}
