/**
 * The engine's resolved settings: scenario durations turned into logical ticks (as etcd/raft
 * counts them), the placement of every range, and which ranges each node replicates.
 */
import type { NodeId } from '../../sim/ids.js';
import type { RaftEngineSpec, WorkloadModel } from '../../scenario/types.js';
import type { Topology } from '../engine.js';
import { placeRanges, type RangePlacement } from './placement.js';

export interface RaftConfig {
  model: WorkloadModel;
  reads: RaftEngineSpec['reads'];
  prevote: boolean;
  checkQuorum: boolean;
  /** length of one logical tick; every Raft timeout is a whole number of ticks */
  tick_us: number;
  /** election timeout T in ticks; a follower's timeout is drawn from [T, 2T) */
  electionTicks: number;
  heartbeatTicks: number;
  /** lease length, measured on the leaseholder's own clock */
  lease_us: number;
  /**
   * Ticks after last hearing a leader during which a node refuses to vote or campaign:
   * with lease reads, long enough to outlast any lease it acknowledged by at least one tick,
   * the clock-error margin (⌈lease/tick⌉ + 2: the first tick after a heartbeat may come at
   * once; at least T); with check_quorum alone, T (etcd's rule); otherwise 0.
   */
  voteBlockTicks: number;
  ranges: number;
  placements: RangePlacement[];
  /** node → the ranges it replicates, ascending */
  rangesOf: Map<NodeId, number[]>;
  /** entries per AppendEntries message */
  maxBatch: number;
  /** forwarding hops before a request is bounced back to its origin */
  maxHops: number;
  /** ticks the origin keeps retrying a request before giving up (its client has long timed out) */
  maxPendingTicks: number;
  /** quiescent ranges (spec.quiesce) */
  quiesce: boolean;
  /**
   * `quiesce: true`: ticks of silence after which a peer node counts as down and the quiet
   * ranges it leads wake. Below the election timeout T, so that a woken follower (its election
   * clock set to the silence) still campaigns at its own randomized timeout in [T, 2T) after
   * the leader's node was last heard, as it would without quiescence (at T + 1, every follower
   * of a dead node would campaign at once: more split votes).
   */
  livenessTimeoutTicks: number;
  /** node → the other nodes it shares at least one range with, in topology order (liveness peers) */
  peerNodes: Map<NodeId, NodeId[]>;
}

/**
 * Tick = min(heartbeat, election timeout / 10): fine enough that the randomized timeout has
 * at least 10 distinct values, coarse enough that idle ranges cost little. (Twenty values did
 * not reduce split votes between two far-apart candidates: the pre-vote round trip, not the
 * tick, is what makes their campaigns overlap.)
 */
export function buildConfig(spec: RaftEngineSpec, model: WorkloadModel, topology: Topology): RaftConfig {
  const tick_us = Math.max(1, Math.min(spec.heartbeat_us, Math.floor(spec.election_timeout_us / 10)));
  const placements = placeRanges(spec.ranges, spec.replication_factor, spec.placement, topology);
  const rangesOf = new Map<NodeId, number[]>();
  for (const n of topology.nodes) rangesOf.set(n, []);
  for (const p of placements) for (const n of p.replicas) rangesOf.get(n)?.push(p.range);
  const electionTicks = Math.max(2, Math.round(spec.election_timeout_us / tick_us));
  const heartbeatTicks = Math.max(1, Math.round(spec.heartbeat_us / tick_us));
  const voteBlockTicks =
    spec.reads === 'lease'
      ? Math.max(electionTicks, Math.ceil(spec.lease_us / tick_us) + 2)
      : spec.check_quorum
        ? electionTicks
        : 0;
  return {
    model,
    voteBlockTicks,
    reads: spec.reads,
    prevote: spec.prevote,
    checkQuorum: spec.check_quorum,
    tick_us,
    electionTicks,
    heartbeatTicks,
    lease_us: spec.lease_us,
    ranges: spec.ranges,
    placements,
    rangesOf,
    maxBatch: 64,
    maxHops: 3,
    maxPendingTicks: 3 * electionTicks,
    quiesce: spec.quiesce,
    livenessTimeoutTicks: Math.max(1, Math.min(electionTicks - 1, Math.max(2 * heartbeatTicks, Math.floor(electionTicks / 2)))),
    peerNodes: spec.quiesce ? sharingPeers(placements, topology.nodes) : new Map(),
  };
}

/** For each node, the nodes it shares a range with, in topology order: O(ranges · replicas²). */
function sharingPeers(placements: readonly RangePlacement[], nodes: readonly NodeId[]): Map<NodeId, NodeId[]> {
  const shared = new Map<NodeId, Set<NodeId>>();
  for (const n of nodes) shared.set(n, new Set());
  for (const p of placements) {
    for (const a of p.replicas) for (const b of p.replicas) if (a !== b) shared.get(a)?.add(b);
  }
  const out = new Map<NodeId, NodeId[]>();
  for (const n of nodes) out.set(n, nodes.filter((m) => shared.get(n)?.has(m)));
  return out;
}
