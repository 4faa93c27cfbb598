/**
 * LWT seed loop: 200 short runs in which every write to a key is a compare-and-set through
 * Paxos (lwt.ts), over a lossy, duplicating, reordering network with random partitions,
 * isolations, one-way cuts, crashes (with and without losing volatile state) and clock steps
 * of up to ±3 s, drawn per seed. Whatever the faults, each key's history must be
 * linearizable (the checker's verdict, never unknown) with no invariant broken; the loop must
 * really have contended and committed. Plain-write keys are q1's loop (seeds.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/index.js';
import { stream } from '../../../src/sim/rng.js';
import { randomFaults, ALL_SEED_FAULTS } from '../seed-faults.js';

const BASE = `
name: lwt-seed-loop
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
  serial_consistency: SERIAL
  write_timeout: 800ms
  read_timeout: 500ms
  gossip_interval: 100ms
workload:
  model: register
  keys: 2
  clients:
    a: { count: 1, rate: 6/s }
    b: { count: 1, rate: 6/s }
    c: { count: 1, rate: 6/s }
  mix: { read: 0.4, cas: 0.6 }
  timeout: 1s
`;

const NODES = ['a/0', 'a/1', 'b/0', 'b/1', 'c/0'];
const REGIONS = ['a', 'b', 'c'];

describe('LWT seed loop', () => {
  it('200 seeded runs with partitions, crashes and clock steps: every LWT key linearizable', { timeout: 300_000 }, () => {
    const loaded = parseScenario(BASE, 'lwt-seed-loop.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const base = loaded.scenario;
    const bad: string[] = [];
    let commits = 0;
    let contention = 0;
    let finished = 0;
    let clockSteps = 0;
    let casOk = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const faults = randomFaults(stream(seed, 'lwt-seed-loop'), NODES, REGIONS, ALL_SEED_FAULTS);
      clockSteps += faults.filter((f) => f.action.kind === 'clock').length;
      const run = runScenario({ ...base, seed, faults });
      if (!run.ok) throw new Error(run.error);
      const r = run.result;
      // null (out of budget, not applicable) is not zero: it fails the loop too
      const counts = { non_linearizable: r.anomalies.non_linearizable.count, invariant: r.anomalies.invariant.count, aborted_read: r.anomalies.aborted_read.count };
      if (Object.values(counts).some((c) => c !== 0)) bad.push(`seed ${seed}: ${JSON.stringify(counts)} faults ${JSON.stringify(faults)}`);
      const m = r.metrics.engine as Record<string, number>;
      commits += m['lwt_commits'] ?? 0;
      contention += m['lwt_contention'] ?? 0;
      finished += m['lwt_finished_in_progress'] ?? 0;
      casOk += (m['lwt_commits'] ?? 0) > 0 ? 1 : 0;
    }
    expect(bad, bad.slice(0, 3).join('\n')).toEqual([]);
    // the loop exercised what can break Paxos: clock steps, duelling, unfinished proposals
    expect(clockSteps).toBeGreaterThan(100);
    expect(commits).toBeGreaterThan(200);
    expect(contention).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
    expect(casOk).toBeGreaterThan(150);
  });

  it('100 seeded runs of inventory reservations through LWT under the same faults: no oversell, no lost update', { timeout: 300_000 }, () => {
    const loaded = parseScenario(BASE.replace('model: register', 'model: inventory').replace('mix: { read: 0.4, cas: 0.6 }', 'mix: { read: 0.3, reserve: 0.6, restock: 0.1 }'), 'lwt-inventory-loop.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const base = loaded.scenario;
    const bad: string[] = [];
    let commits = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const faults = randomFaults(stream(seed, 'lwt-inventory-loop'), NODES, REGIONS, ALL_SEED_FAULTS);
      const run = runScenario({ ...base, seed, faults });
      if (!run.ok) throw new Error(run.error);
      const r = run.result;
      // (linearizability is not checked for inventories: the checker reports it n/a there)
      const counts = { invariant: r.anomalies.invariant.count, lost_update: r.anomalies.lost_update.count, aborted_read: r.anomalies.aborted_read.count };
      if (Object.values(counts).some((c) => c !== 0)) bad.push(`seed ${seed}: ${JSON.stringify(counts)} faults ${JSON.stringify(faults)}`);
      commits += (r.metrics.engine as Record<string, number>)['lwt_commits'] ?? 0;
    }
    expect(bad, bad.slice(0, 3).join('\n')).toEqual([]);
    expect(commits).toBeGreaterThan(500);
  });
});
