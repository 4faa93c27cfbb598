/**
 * Node-level bookkeeping for quiescent ranges (`quiesce: true`), as CockroachDB does it for
 * many ranges per node: only awake groups are ticked, so an idle range costs nothing per tick;
 * one liveness message per node pair and heartbeat interval replaces the heartbeats of every
 * quiet range. A peer node silent for `livenessTimeoutTicks` (half an election timeout) wakes
 * the quiet ranges it leads (their followers may then elect a new leader); a peer that restarted wakes the ranges this
 * node leads with it as a replica (its groups start awake and need heartbeats).
 */
import type { NodeId } from '../../sim/ids.js';
import type { RaftConfig } from './config.js';
import { wakeGroup, type Env } from './group.js';
import type { Group, NodeState, QuietState } from './types.js';

/** A fresh node's view: every group awake, every peer assumed up as of tick 0. */
export function newQuiet(cfg: RaftConfig, self: NodeId, groups: Iterable<Group>, boot: number): QuietState {
  const heard = new Map<NodeId, { tick: number; boot: number; down: boolean }>();
  for (const p of cfg.peerNodes.get(self) ?? []) heard.set(p, { tick: 0, boot: -1, down: false });
  return { awake: new Set(groups), tick: 0, boot, heard };
}

/** Ticks since this node last heard `node` (0 for itself or for no node). */
export function silenceOf(q: QuietState, node: NodeId | null): number {
  if (node === null) return 0;
  const h = q.heard.get(node);
  return h === undefined ? 0 : q.tick - h.tick;
}

/** Wakes a quiet group and puts it back among the ticked ones. */
export function wake(s: NodeState, q: QuietState, g: Group, env: Env): void {
  if (!g.quiesced) return;
  wakeGroup(g, g.role === 'leader' ? 0 : silenceOf(q, g.lead), env);
  settle(q, g);
}

/** After a step on `g`: keeps the awake set in line with the group's state. */
export function settle(q: QuietState, g: Group): void {
  // Most steps leave a group as it was: look at the set only on a change (it holds 10^5 ranges).
  if (g.quiesced === !g.ticked) return;
  g.ticked = !g.quiesced;
  if (g.ticked) q.awake.add(g);
  else q.awake.delete(g);
}

/**
 * The node-level part of a tick: counts it, sends liveness every heartbeat interval, and marks
 * peers silent for `livenessTimeoutTicks` as down, waking the quiet ranges they lead.
 */
export function tickQuiet(s: NodeState, q: QuietState, env: Env): void {
  q.tick++;
  const cfg = env.cfg;
  if (q.tick % cfg.heartbeatTicks === 0) {
    for (const p of q.heard.keys()) env.send(p, { type: 'liveness', range: -1, boot: q.boot });
  }
  for (const [p, h] of q.heard) {
    if (h.down || q.tick - h.tick <= cfg.livenessTimeoutTicks) continue;
    h.down = true;
    for (const g of s.groups.values()) if (g.quiesced && g.lead === p) wake(s, q, g, env);
  }
}

/** A peer's liveness message. A new incarnation wakes the ranges this node leads with it. */
export function onLiveness(s: NodeState, q: QuietState, from: NodeId, boot: number, env: Env): void {
  const h = q.heard.get(from);
  if (h === undefined) return;
  const restarted = h.boot !== -1 && h.boot !== boot;
  h.tick = q.tick;
  h.boot = boot;
  h.down = false;
  if (!restarted) return;
  for (const g of s.groups.values()) if (g.quiesced && g.role === 'leader' && g.peers.includes(from)) wake(s, q, g, env);
}
