/**
 * Gossip, as Cassandra's Gossiper: every `gossip_interval` a node bumps its own heartbeat
 * version and sends its table of heartbeats (node → generation, version) to one random peer
 * it believes up, and, with probability unreachable / (live + 1), to one it believes down (so
 * a healed partition is noticed); the receiver merges and answers with its own table
 * (push-pull). Every newer version learnt is an arrival for the failure detector
 * (detector.ts); an arrival from a peer believed down means it is up again, and its hints are
 * replayed at once. Each tick also replays hints to every peer believed up. Messages per
 * interval grow with the number of nodes, not with its square.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { Ctx } from '../engine.js';
import { believedUp, learnHeartbeat, newPeerFd } from './detector.js';
import { replayHints } from './hints.js';
import type { QuorumMsg, QuorumState, QuorumTimer } from './types.js';

const TICK: QuorumTimer = { kind: 'gossip' };

/** The first tick at a random point of the interval, so nodes do not gossip in lockstep. */
export function startGossip(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  const now = ctx.now();
  for (const n of s.env.topology.nodes) if (n !== s.self) s.fd.set(n, newPeerFd(now));
  ctx.setTimer(micros(ctx.rng.int(s.env.spec.gossip_interval_us)), TICK);
}

/** This node's heartbeat table: itself and every peer it has heard of, in topology order. */
function table(s: QuorumState): Array<[NodeId, number, number]> {
  const out: Array<[NodeId, number, number]> = [];
  for (const n of s.env.topology.nodes) {
    if (n === s.self) out.push([n, s.gen, s.beat]);
    else {
      const fd = s.fd.get(n);
      if (fd !== undefined && fd.gen >= 0) out.push([n, fd.gen, fd.ver]);
    }
  }
  return out;
}

export function onGossipTick(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  const now = ctx.now();
  s.beat++;
  const live: NodeId[] = [];
  const down: NodeId[] = [];
  for (const n of s.env.topology.nodes) {
    if (n === s.self) continue;
    (believedUp(s.env, s.fd, s.self, n, now) ? live : down).push(n);
  }
  const t = table(s);
  if (live.length > 0) ctx.send(live[ctx.rng.int(live.length)]!, { type: 'gossip', table: t, reply: false });
  if (down.length > 0 && ctx.rng.next() < down.length / (live.length + 1)) {
    ctx.send(down[ctx.rng.int(down.length)]!, { type: 'gossip', table: t, reply: false });
  }
  // Sorted: s.hints is a Map filled in the order writes happened; replay order is by node id.
  for (const target of [...s.hints.keys()].sort()) {
    if (believedUp(s.env, s.fd, s.self, target, now)) replayHints(s, target, ctx);
  }
  ctx.setTimer(micros(s.env.spec.gossip_interval_us), TICK);
}

export function onGossip(s: QuorumState, from: NodeId, msg: Extract<QuorumMsg, { type: 'gossip' }>, ctx: Ctx<QuorumMsg>): void {
  const now = ctx.now();
  for (const [node, gen, ver] of msg.table) {
    if (node === s.self) continue;
    let fd = s.fd.get(node);
    if (fd === undefined) {
      fd = newPeerFd(now);
      s.fd.set(node, fd);
    }
    if (learnHeartbeat(s.env, fd, gen, ver, now)) replayHints(s, node, ctx);
  }
  if (!msg.reply) ctx.send(from, { type: 'gossip', table: table(s), reply: true });
}
