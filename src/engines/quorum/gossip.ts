/**
 * Gossip: each node's heartbeat to every other node every `gossip_interval`, fed to the failure
 * detector (detector.ts). A peer's heartbeat after it was believed down means it is up again:
 * its hints are replayed at once. Each tick also replays hints to every peer believed up.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { Ctx } from '../engine.js';
import { believedUp, newPeerFd, onHeartbeat as noteHeartbeat } from './detector.js';
import { replayHints } from './hints.js';
import type { QuorumMsg, QuorumState, QuorumTimer } from './types.js';

const TICK: QuorumTimer = { kind: 'gossip' };

/** The first tick at a random point of the interval, so nodes do not beat in lockstep. */
export function startGossip(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  const now = ctx.now();
  for (const n of s.env.topology.nodes) if (n !== s.self) s.fd.set(n, newPeerFd(now));
  ctx.setTimer(micros(ctx.rng.int(s.env.spec.gossip_interval_us)), TICK);
}

export function onGossipTick(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  const nodes = s.env.topology.nodes;
  const now = ctx.now();
  s.beat++;
  for (const n of nodes) if (n !== s.self) ctx.send(n, { type: 'heartbeat', gen: s.gen, beat: s.beat });
  // Sorted: s.hints is a Map filled in the order writes happened; replay order is by node id.
  for (const target of [...s.hints.keys()].sort()) {
    if (believedUp(s.env, s.fd, s.self, target, now)) replayHints(s, target, ctx);
  }
  ctx.setTimer(micros(s.env.spec.gossip_interval_us), TICK);
}

export function onHeartbeat(s: QuorumState, from: NodeId, msg: Extract<QuorumMsg, { type: 'heartbeat' }>, ctx: Ctx<QuorumMsg>): void {
  let fd = s.fd.get(from);
  if (fd === undefined) {
    fd = newPeerFd(ctx.now());
    s.fd.set(from, fd);
  }
  if (noteHeartbeat(s.env, fd, msg.gen, ctx.now())) replayHints(s, from, ctx);
}
