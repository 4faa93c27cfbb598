/**
 * What every step of the quorum engine needs besides the node's state: the resolved settings,
 * the ring, each region's replication factor and the read and write levels' needs per
 * coordinator region. Built once per engine.
 */
import type { NodeId } from '../../sim/ids.js';
import type { QuorumEngineSpec, WorkloadModel } from '../../scenario/types.js';
import type { EngineConfig, Topology } from '../engine.js';
import { needOf, type Need } from './levels.js';
import { buildRing, type Placement, type Ring } from './ring.js';

export interface QuorumCfg {
  spec: QuorumEngineSpec;
  model: WorkloadModel;
  topology: Topology;
  ring: Ring;
  /** replication factor by region index (topology.regions order) */
  rf: readonly number[];
  /** node id → index in topology.nodes */
  rankOf: ReadonlyMap<NodeId, number>;
  /** region index of each node, by rank */
  regionOfRank: readonly number[];
  /** configured one-way latency between two nodes by rank (proximity, as Cassandra's snitch) */
  distance: readonly (readonly number[])[];
  /** the read and write levels' needs for a coordinator in each region (by region index) */
  readNeed: readonly Need[];
  writeNeed: readonly Need[];
  /** the replicas of a key (the placement q2's LWT module also uses) */
  replicasOf(key: string): Placement;
}

export function quorumConfig(cfg: EngineConfig): QuorumCfg {
  if (cfg.spec.type !== 'quorum') throw new Error(`createQuorumEngine: spec type ${cfg.spec.type}`);
  const spec = cfg.spec;
  const topology = cfg.topology;
  const regions = topology.regions;
  const rf = regions.map((r) => spec.replication[r] ?? 0);
  const ring = buildRing(topology, spec.replication, spec.vnodes);
  const rankOf = new Map<NodeId, number>(topology.nodes.map((n, i) => [n, i]));
  const regionOfRank = topology.nodes.map((n) => regions.indexOf(topology.regionOf(n)));
  const distance = topology.nodes.map((a) => topology.nodes.map((b) => (a === b ? 0 : topology.baseLatency(a, b))));
  return {
    spec,
    model: cfg.model,
    topology,
    ring,
    rf,
    rankOf,
    regionOfRank,
    distance,
    readNeed: regions.map((_, i) => needOf(spec.consistency.read, rf, i)),
    writeNeed: regions.map((_, i) => needOf(spec.consistency.write, rf, i)),
    replicasOf: (key) => ring.replicasOf(key),
  };
}

/** `quorum/r:LOCAL_ONE/w:QUORUM`: shown in results. */
export function engineName(spec: QuorumEngineSpec): string {
  return `quorum/r:${spec.consistency.read}/w:${spec.consistency.write}`;
}
