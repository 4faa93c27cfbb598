/** A quorum engine in the network-less harness: spec defaults as the schema resolves them. */
import { createQuorumEngine, type QuorumEngine } from '../../../src/engines/quorum/engine.js';
import type { QuorumEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import { micros, MS, SEC, HOUR } from '../../../src/sim/time.js';
import { nodeId } from '../../../src/sim/ids.js';
import { createHarness, topologyOf, type Harness } from '../harness.js';
import type { QuorumMsg, QuorumState } from '../../../src/engines/quorum/types.js';

export function quorumSpec(over: Partial<QuorumEngineSpec> = {}): QuorumEngineSpec {
  return {
    type: 'quorum',
    replication: {},
    vnodes: 16,
    consistency: { read: 'QUORUM', write: 'QUORUM' },
    write_timeout_us: micros(2 * SEC),
    read_timeout_us: micros(5 * SEC),
    hints: 'durable',
    max_hint_window_us: micros(3 * HOUR),
    max_hints: 100_000,
    read_repair: 'blocking',
    speculative_retry: { kind: 'none' },
    gossip_interval_us: micros(1 * SEC),
    phi_convict_threshold: 8,
    serial_consistency: 'SERIAL',
    repair_every_us: null,
    ...over,
  };
}

export interface QuorumRig {
  engine: QuorumEngine;
  h: Harness<QuorumState, QuorumMsg>;
}

/** Nodes `REGION/INDEX`; replication defaults to every node of every region. */
export function rig(nodes: string[], over: Partial<QuorumEngineSpec> = {}, model: WorkloadModel = 'register'): QuorumRig {
  const topology = topologyOf(nodes.map(nodeId));
  const replication: Record<string, number> = {};
  for (const r of topology.regions) replication[r] = topology.nodesOf(r).length;
  const spec = quorumSpec({ replication, ...over });
  const engine = createQuorumEngine({ spec, model, topology });
  const h = createHarness(engine, { nodes, latency_us: (a, b) => (topology.regionOf(a) === topology.regionOf(b) ? 1 * MS : 50 * MS) });
  return { engine, h };
}

/** The last reply to `op`, if any. */
export function replyOf(h: Harness<QuorumState, QuorumMsg>, op: number) {
  return h.replies.filter((r) => r.op === op).at(-1)?.result;
}

/** Delivers everything except gossip (which would otherwise never run out). */
export function deliverData(h: Harness<QuorumState, QuorumMsg>, filter: (m: QuorumMsg, to: string) => boolean = () => true): number {
  return h.deliverAll((p) => p.msg.type !== 'gossip' && filter(p.msg, p.to));
}
