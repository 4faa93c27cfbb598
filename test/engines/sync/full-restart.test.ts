/**
 * Every copy crashes (losing its process) and restarts: no copy serves, so none can sponsor
 * the others' recovery. They used to wait for a sponsor forever: every later write failed
 * `copy-recovering` and, with no copy in scope, the run had no final state at all.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import type { HistoryRecord } from '../../../src/history/types.js';
import { expectNone } from '../../anomalies.js';

function run(regions: string, faults: string, engine = '{ type: sync }') {
  const p = parseScenario(
    `
name: full-restart
duration: 20s
settle: 5s
regions: ${regions}
network: { inter_region: { latency: 10ms } }
engine: ${engine}
workload:
  keys: 10
  clients: { a: { count: 1, rate: 10/s } }
faults:
${faults}
`,
    'full-restart.yaml',
  );
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[] };
}

/** ok writes invoked after `t_us` */
const okWritesAfter = (h: HistoryRecord[], t_us: number) => {
  const late = new Set(h.filter((r) => r.type === 'invoke' && r.f === 'write' && r.t > t_us).map((r) => (r as { op: number }).op));
  return h.filter((r) => r.type === 'ok' && late.has(r.op)).length;
};

describe('sync: every copy restarts', () => {
  it('a single copy resumes after a crash that lost its process', () => {
    const { result, history } = run('{ a: { nodes: 1 } }', '  - { at: 5s, crash: a/0, for: 2s, lose_volatile: true }');
    expect(okWritesAfter(history, 8_000_000)).toBeGreaterThan(0);
    expect(history.some((r) => r.type === 'final')).toBe(true);
    expect(result.anomalies.lost_update?.count).toBe(0);
  });

  for (const policy of ['pause', 'split-brain'] as const) {
    it(`${policy}: two regions crashed one after the other come back and agree`, () => {
      const { result, history } = run(
        '{ a: { nodes: 1 }, b: { nodes: 1 } }',
        '  - { at: 5s, crash: a, for: 2s, lose_volatile: true }\n  - { at: 6s, crash: b, for: 2s, lose_volatile: true }',
        `{ type: sync, on_failure: ${policy} }`,
      );
      expect(okWritesAfter(history, 9_000_000)).toBeGreaterThan(0);
      expect(new Set(history.filter((r) => r.type === 'final').map((r) => (r as { node: string }).node))).toEqual(new Set(['a/0', 'b/0']));
      expectNone(result.anomalies, ['lost_update', 'divergence', 'stale_read', 'non_linearizable', 'invariant']);
    });
  }
});

describe('sync: copies that hold each other out do not resume alone', () => {
  it('after an operator removes every copy and rejoins them, no copy serves on its own (no split brain)', () => {
    // Each copy holds the others out; resuming with only itself in scope let each commit apart.
    const p = parseScenario(
      `
name: all-removed
seed: 115792
duration: 20s
settle: 16s
regions: { r1: { nodes: 4 } }
network: { intra_region: { latency: 4831us, jitter: 805us } }
engine: { type: sync, prepare_timeout: 1270ms }
workload:
  model: set
  keys: 99
  key_distribution: zipf
  clients: { r1: { count: 4, rate: 19/s } }
  mix: { read: 3, add: 1 }
  timeout: 4971ms
faults:
  - { at: 5s, remove: r1, for: 8s }
`,
      'all-removed.yaml',
    );
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario, {});
    if (!out.ok) throw new Error(out.error);
    expectNone(out.result.anomalies, ['stale_read', 'non_linearizable', 'invariant']);
  });
});
