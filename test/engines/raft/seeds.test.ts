/**
 * Seed loop: many short runs over a lossy, duplicating, reordering network with random
 * partitions, crashes (with and without losing volatile state) and clock steps drawn per seed. With read-index reads, no run may break a
 * Raft safety invariant, lose an acknowledged write, diverge after settle, or produce a
 * non-linearizable history.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type RunResult } from '../../../src/index.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { stream } from '../../../src/sim/rng.js';
import { randomFaults } from '../seed-faults.js';

const BASE = `
name: raft-seed-loop
seed: 1
duration: 6s
settle: 4s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
  c: { nodes: 2 }
network:
  intra_region: { latency: 500us, jitter: 100us }
  inter_region: { latency: 20ms, jitter: 5ms, loss: 0.01, duplicate: 0.01, reorder: true }
engine:
  type: raft
  ranges: 2
  replication_factor: 3
  reads: read-index
  election_timeout: 300ms
  heartbeat: 50ms
workload:
  model: register
  keys: 3
  clients:
    a: { count: 1, rate: 8/s }
    b: { count: 1, rate: 8/s }
    c: { count: 1, rate: 8/s }
  mix: { read: 0.5, write: 0.35, cas: 0.15 }
  timeout: 1s
`;

const NODES = ['a/0', 'b/0', 'c/0', 'c/1'];
const REGIONS = ['a', 'b', 'c'];

/** What no read-index run may show, whatever the faults. */
function safetyCounts(r: RunResult): Record<string, number | null> {
  return {
    invariant: r.anomalies.invariant.count,
    non_linearizable: r.anomalies.non_linearizable.count,
    lost_update: r.anomalies.lost_update.count,
    divergence: r.anomalies.divergence.count,
    stale_read: r.anomalies.stale_read.count,
  };
}

describe('raft seed loop (read-index)', () => {
  const loaded = parseScenario(BASE, 'seed-loop.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const base = loaded.scenario;
  const SEEDS = 300;

  it(`${SEEDS} seeded runs with random partitions, crashes and clock steps break no safety property`, () => {
    const bad: string[] = [];
    let elections = 0;
    let faulty = 0;
    let okOps = 0;
    let quiet = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const faults = randomFaults(stream(seed, 'raft-seed-loop'), NODES, REGIONS);
      // every 4th seed: replication_factor 5, capped to the 4 nodes (an even group, quorum 3)
      const engine = base.engine.type === 'raft' && seed % 4 === 0 ? { ...base.engine, replication_factor: 5 as const } : base.engine;
      const s: Scenario = { ...base, seed, faults, engine };
      const run = runScenario(s);
      if (!run.ok) throw new Error(run.error);
      const r = run.result;
      const counts = safetyCounts(r);
      if (!r.stop.complete || Object.values(counts).some((c) => c !== 0)) {
        bad.push(`seed ${seed}: ${r.stop.reason} ${JSON.stringify(counts)} faults ${JSON.stringify(faults)}`);
      }
      if (r.anomalies.non_linearizable.unknown) bad.push(`seed ${seed}: linearizability unknown`);
      elections += (r.metrics.engine as Record<string, number>)['raft_leader_elections'] ?? 0;
      faulty += faults.length;
      okOps += r.ops.ok;
      quiet += (r.metrics.engine as Record<string, number>)['raft_ranges_quiet_at_end'] ?? 0;
    }
    expect(bad, bad.slice(0, 5).join('\n')).toEqual([]);
    // the default (quiesce: true) was exercised: ranges went quiet between the faults
    expect(quiet).toBeGreaterThan(0);
    // the loop must have exercised something: many elections beyond the initial ones, real traffic
    expect(elections).toBeGreaterThan(SEEDS * 3);
    expect(faulty).toBeGreaterThan(SEEDS * 2);
    expect(okOps).toBeGreaterThan(SEEDS * 50);
  });

  it('without quiescent ranges (quiesce: false, every range heartbeats), 60 seeded runs with the same faults break no safety property and still elect', () => {
    const bad: string[] = [];
    let elections = 0;
    let quiet = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const faults = randomFaults(stream(seed, 'raft-seed-loop'), NODES, REGIONS);
      const engine = base.engine.type === 'raft' ? { ...base.engine, quiesce: false } : base.engine;
      const run = runScenario({ ...base, seed, faults, engine });
      if (!run.ok) throw new Error(run.error);
      const r = run.result;
      const counts = safetyCounts(r);
      if (!r.stop.complete || Object.values(counts).some((c) => c !== 0) || r.anomalies.non_linearizable.unknown) {
        bad.push(`seed ${seed}: ${r.stop.reason} ${JSON.stringify(counts)} faults ${JSON.stringify(faults)}`);
      }
      const m = r.metrics.engine as Record<string, number>;
      elections += m['raft_leader_elections'] ?? 0;
      quiet += m['raft_ranges_quiet_at_end'] ?? 0;
    }
    expect(bad, bad.slice(0, 5).join('\n')).toEqual([]);
    expect(elections).toBeGreaterThan(60 * 3); // faults still cause elections beyond the first ones
    expect(quiet).toBe(0); // no range went quiet (the metric is absent without the setting)
  }, 600_000);

  it('100 more runs over the counter, set and inventory models with lease and follower reads keep the log safe', () => {
    const bad: string[] = [];
    // set histories with lease reads are left out: they are linearizable, but the checker's
    // search over them with many open (info) ops takes seconds to minutes per run.
    const models = ['counter', 'set', 'inventory'] as const;
    const mixes = { counter: { read: 0.4, add: 0.6 }, set: { read: 0.4, add: 0.6 }, inventory: { read: 0.3, reserve: 0.5, restock: 0.2 } };
    for (let seed = 1001; seed <= 1100; seed++) {
      const model = models[seed % 3] as (typeof models)[number];
      const reads = seed % 2 === 0 && model !== 'set' ? 'lease' : 'follower';
      const spec = base.engine.type === 'raft' ? { ...base.engine, reads } : base.engine;
      const s: Scenario = {
        ...base,
        seed,
        engine: spec as Scenario['engine'],
        workload: { ...base.workload, model, mix: mixes[model] },
        faults: randomFaults(stream(seed, 'raft-seed-loop'), NODES, REGIONS),
      };
      const run = runScenario(s);
      if (!run.ok) throw new Error(run.error);
      const r = run.result;
      // Lease and follower reads may be stale by design; the log and the acknowledged writes may not.
      const counts = {
        invariant: r.anomalies.invariant.count,
        lost_update: r.anomalies.lost_update.count,
        divergence: r.anomalies.divergence.count,
      };
      if (!r.stop.complete || Object.values(counts).some((c) => c !== 0)) {
        bad.push(`seed ${seed} ${model}/${reads}: ${r.stop.reason} ${JSON.stringify(counts)}`);
      }
    }
    expect(bad, bad.slice(0, 5).join('\n')).toEqual([]);
  });
});
