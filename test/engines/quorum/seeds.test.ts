/**
 * Seed loop: many short runs over a lossy, duplicating, reordering network with random
 * partitions, isolations, one-way cuts and crashes (with and without losing volatile state)
 * drawn per seed. With R + W > N and exact clocks (no LWW-unsafe clock step), no read may miss
 * a write acknowledged before it began, no acknowledged write may be lost, and the histories
 * stay linearizable; with R + W <= N the same loop finds stale reads.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/index.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { stream } from '../../../src/sim/rng.js';
import { randomFaults, type SeedFaultKind } from '../seed-faults.js';

const BASE = `
name: quorum-seed-loop
seed: 1
duration: 6s
settle: 4s
regions:
  a: { nodes: 2 }
  b: { nodes: 2 }
  c: { nodes: 1 }
network:
  intra_region: { latency: 500us, jitter: 100us }
  inter_region: { latency: 20ms, jitter: 5ms, loss: 0.01, duplicate: 0.01, reorder: true }
engine:
  type: quorum
  replication: { a: 2, b: 1, c: 1 }
  consistency: { read: QUORUM, write: QUORUM }
  write_timeout: 500ms
  read_timeout: 500ms
  gossip_interval: 100ms
  speculative_retry: 20ms
workload:
  model: register
  keys: 3
  clients:
    a: { count: 1, rate: 10/s }
    b: { count: 1, rate: 10/s }
    c: { count: 1, rate: 10/s }
  mix: { read: 0.5, write: 0.5 }
  timeout: 1s
`;

const NODES = ['a/0', 'a/1', 'b/0', 'b/1', 'c/0'];
const REGIONS = ['a', 'b', 'c'];

/** No clock steps: a step back makes LWW order differ from real time, stale by design. */
const KINDS = ['partition', 'isolate', 'crash', 'one_way'] as const;
/**
 * Without crashes too: a coordinator that crashes before its write timeout never stores the
 * hints of the replicas that missed the write (as in Cassandra), so only anti-entropy repair
 * could bring them back. Without crashes, hints must make every replica converge.
 */
const NO_CRASH = ['partition', 'isolate', 'one_way'] as const;

type Family = 'invariant' | 'lost_update' | 'stale_read' | 'non_linearizable' | 'divergence';
const SAFE: Family[] = ['invariant', 'lost_update', 'stale_read', 'non_linearizable'];

function loop(
  base: Scenario,
  seeds: number[],
  consistency: { read: string; write: string },
  opts: { workload?: Scenario['workload']; kinds?: readonly SeedFaultKind[]; families?: Family[] } = {},
) {
  const workload = opts.workload ?? base.workload;
  const families = opts.families ?? SAFE;
  const out = { bad: [] as string[], stale: 0, okOps: 0, faults: 0, unavailable: 0, hints: 0, repairs: 0 };
  for (const seed of seeds) {
    const faults = randomFaults(stream(seed, 'quorum-seed-loop'), NODES, REGIONS, opts.kinds ?? KINDS);
    const engine = { ...base.engine, consistency } as Scenario['engine'];
    const run = runScenario({ ...base, seed, faults, engine, workload });
    if (!run.ok) throw new Error(run.error);
    const r = run.result;
    const counts = Object.fromEntries(families.map((f) => [f, r.anomalies[f].count]));
    // A null count (not applicable, or a search out of budget) is a failure here, never a pass.
    if (Object.values(counts).some((c) => c !== 0)) out.bad.push(`seed ${seed}: ${JSON.stringify(counts)} faults ${JSON.stringify(faults)}`);
    const m = r.metrics.engine as Record<string, number>;
    const stale = r.anomalies.stale_read.count;
    if (stale === null) throw new Error(`seed ${seed}: stale_read not judged`);
    out.stale += stale;
    out.okOps += r.ops.ok;
    out.faults += faults.length;
    out.unavailable += m['unavailable']!;
    out.hints += m['hints_replayed']!;
    out.repairs += m['read_repairs']!;
  }
  return out;
}

describe('quorum seed loop', () => {
  const loaded = parseScenario(BASE, 'seed-loop.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const base = loaded.scenario;
  const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

  it('200 seeded runs at QUORUM/QUORUM with partitions and crashes: no stale read, no lost update, linearizable', () => {
    const r = loop(base, SEEDS, { read: 'QUORUM', write: 'QUORUM' });
    expect(r.bad, r.bad.slice(0, 5).join('\n')).toEqual([]);
    // the loop must have exercised something: faults, refusals, hints and repairs, real traffic
    expect(r.faults).toBeGreaterThan(400);
    expect(r.unavailable).toBeGreaterThan(0);
    expect(r.hints).toBeGreaterThan(0);
    expect(r.repairs).toBeGreaterThan(0);
    expect(r.okOps).toBeGreaterThan(200 * 50);
  });

  it('40 runs over counters and sets at QUORUM/QUORUM without crashes: hints converge every replica, nothing acknowledged is lost', () => {
    const counter = { ...base.workload, model: 'counter' as const, mix: { read: 0.4, add: 0.6 } };
    const set = { ...base.workload, model: 'set' as const, mix: { read: 0.3, add: 0.5, remove: 0.2 } };
    const opts = { kinds: NO_CRASH, families: [...SAFE, 'divergence' as const] };
    const r1 = loop(base, SEEDS.slice(0, 20), { read: 'QUORUM', write: 'QUORUM' }, { ...opts, workload: counter });
    const r2 = loop(base, SEEDS.slice(20, 40), { read: 'QUORUM', write: 'QUORUM' }, { ...opts, workload: set });
    expect([...r1.bad, ...r2.bad], [...r1.bad, ...r2.bad].slice(0, 5).join('\n')).toEqual([]);
    expect(r1.okOps + r2.okOps).toBeGreaterThan(40 * 50);
  });

  it('the same loop at ONE/ONE (R + W <= N) finds stale reads', () => {
    const r = loop(base, SEEDS.slice(0, 20), { read: 'ONE', write: 'ONE' });
    expect(r.stale).toBeGreaterThan(0);
  });
});
