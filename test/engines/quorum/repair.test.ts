/**
 * Anti-entropy repair (src/engines/quorum/repair.ts): Merkle trees per token range, compared
 * between replicas, the differing leaves streamed both ways. In the harness (scheduled
 * repair) and through a whole run (the operator's `repair` fault).
 */
import { describe, expect, it } from 'vitest';
import { diffTrees, LEAVES, newRepairStats, rangeOfToken, type Tree } from '../../../src/engines/quorum/repair.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import { HOUR, micros } from '../../../src/sim/time.js';
import { deliverData, rig } from './fixtures.js';

const NODES = ['a/0', 'a/1', 'a/2'];
const heldBy = (h: ReturnType<typeof rig>['h'], node: string, key: string) =>
  h.applies.filter((x) => x.node === node && x.key === key).at(-1)?.value;

describe('Merkle comparison', () => {
  it('ranges: the first token at or after the key, wrapping past the last', () => {
    const tokens = [10, 20, 30];
    expect([5, 10, 11, 30, 31].map((t) => rangeOfToken(tokens, t))).toEqual([0, 0, 1, 2, 0]);
  });

  it('counts every range, the differing ones, and names only the differing leaves', () => {
    const leaves = (over: Record<number, number> = {}) => Array.from({ length: LEAVES }, (_, i) => over[i] ?? i + 1);
    const mine: Tree = new Map([
      [1, leaves()],
      [2, leaves({ 3: 99 })],
    ]);
    const theirs: Tree = new Map([
      [1, leaves()],
      [2, leaves()],
      [5, leaves()],
    ]);
    const st = newRepairStats();
    const d = diffTrees(mine, theirs, st);
    expect(st.rangesCompared).toBe(3);
    expect(st.rangesMismatched).toBe(2); // range 2 (one leaf) and range 5 (absent on my side)
    expect(d).toEqual([2 * LEAVES + 3, ...Array.from({ length: LEAVES }, (_, i) => 5 * LEAVES + i)]);
  });
});

describe('scheduled repair in the harness', () => {
  it('a replica that missed writes (no hints) gets them, and one that holds a newer cell gives it back', () => {
    const { engine, h } = rig(NODES, { max_hints: 0, repair_every_us: micros(1 * HOUR), consistency: { read: 'ONE', write: 'ONE' } });
    // k1 written while a/2 is cut off: no hint (max_hints 0), a/2 never gets it
    h.request('a/0', { op: 1, f: 'write', key: 'k1', value: 'one' });
    h.drop((p) => p.to === 'a/2' || p.from === 'a/2');
    deliverData(h);
    // k2 written at a/2 only (the others' copies lost)
    h.request('a/2', { op: 2, f: 'write', key: 'k2', value: 'two' });
    h.drop((p) => p.from === 'a/2');
    expect(heldBy(h, 'a/2', 'k1')).toBeUndefined();
    expect(heldBy(h, 'a/0', 'k2')).toBeUndefined();
    // the first scheduled session (a/0's, at every·1/3) compares and streams both ways
    h.advance(micros(HOUR / 3 + 1));
    for (let i = 0; i < 5; i++) deliverData(h);
    expect(heldBy(h, 'a/2', 'k1')).toBe('one');
    expect(heldBy(h, 'a/0', 'k2')).toBe('two');
    const m = NODES.map((n) => engine.metrics!(h.states.get(n as never)!));
    const sum = (k: string) => m.reduce((a, x) => a + (x[k] ?? 0), 0);
    expect(sum('repair_sessions')).toBe(1);
    expect(sum('repair_ranges_mismatched')).toBeGreaterThanOrEqual(2);
    expect(sum('repair_cells_streamed')).toBeGreaterThanOrEqual(2);
    expect(sum('repair_keys_repaired')).toBeGreaterThanOrEqual(2);
  });

  it('replicas that agree: ranges compared, nothing mismatched, nothing streamed', () => {
    const { engine, h } = rig(NODES, { repair_every_us: micros(1 * HOUR) });
    for (let k = 0; k < 20; k++) h.request('a/0', { op: k + 1, f: 'write', key: `k${k}`, value: k });
    deliverData(h);
    h.advance(micros(HOUR / 3 + 1));
    for (let i = 0; i < 5; i++) deliverData(h);
    const m = NODES.map((n) => engine.metrics!(h.states.get(n as never)!));
    const sum = (k: string) => m.reduce((a, x) => a + (x[k] ?? 0), 0);
    expect(sum('repair_ranges_compared')).toBeGreaterThan(0);
    expect(sum('repair_ranges_mismatched')).toBe(0);
    expect(sum('repair_cells_streamed')).toBe(0);
  });
});

describe("the operator's repair in a run", () => {
  const yaml = (faults: string) => `
name: repair-run
seed: 5
duration: 20s
settle: 5s
regions:
  a: { nodes: 3 }
network:
  intra_region: { latency: 1ms, jitter: 0us }
engine:
  type: quorum
  replication: { a: 3 }
  consistency: { read: ONE, write: ONE }
  max_hints: 0
workload:
  model: register
  keys: 200
  clients:
    a: { count: 1, rate: 20/s }
  mix: { read: 0, write: 1 }
faults:
  - { at: 1s, isolate: a/2, for: 17s }
${faults}
`;
  const run = (faults: string) => {
    const p = parseScenario(yaml(faults), 'repair-run.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const r = runScenario(p.scenario, {});
    if (!r.ok) throw new Error(r.error);
    return r.result;
  };

  it('without repair, no hints: the replica cut off diverges; a repair after the heal converges it', () => {
    const without = run('');
    expect(without.anomalies.divergence.count).toBeGreaterThan(0);
    const withRepair = run('  - { at: 19s, repair: a/0 }\n');
    expect(withRepair.anomalies.divergence.count).toBe(0);
    const e = withRepair.metrics.engine as Record<string, number>;
    expect(e.repair_sessions).toBe(1);
    expect(e.repair_keys_repaired).toBeGreaterThan(0);
  }, 60_000);

  it('the repair fault is refused for an unknown node, with its field', () => {
    const p = parseScenario(yaml('  - { at: 19s, repair: a/7 }\n'), 'repair-run.yaml');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]?.path).toContain('repair');
  });
});


