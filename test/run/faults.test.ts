// The fault timeline: each fault starts and ends at its time, is recorded in the history, and
// really cuts, crashes or skews what it names.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord } from '../../src/history/types.js';

function run(faults: string, extra = '') {
  const yaml = `
name: faults-test
seed: 5
duration: 20s
settle: 5s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
  c: { nodes: 1 }
network:
  inter_region: { latency: 10ms, jitter: 0us, distribution: constant }
engine: { type: async }
workload:
  model: register
  keys: 5
  clients:
    a: { count: 1, rate: 20/s }
    b: { count: 1, rate: 20/s }
    c: { count: 1, rate: 20/s }
${extra}
faults:
${faults}
`;
  const p = parseScenario(yaml, 'faults.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[] };
}

const faultRecords = (h: HistoryRecord[]) => h.filter((r) => r.type === 'fault');
/** applies at node N of writes invoked at another node, between t0 and t1 */
function remoteApplies(h: HistoryRecord[], node: string, from: string, t0: number, t1: number) {
  const origin = new Map<number, string>();
  for (const r of h) if (r.type === 'invoke') origin.set(r.op, r.node);
  return h.filter(
    (r) => r.type === 'apply' && r.node === node && r.op !== undefined && origin.get(r.op) === from && r.t >= t0 && r.t < t1,
  ).length;
}

describe('fault timeline', () => {
  it('a partition with `for` is recorded with its groups and an end, and blocks replication meanwhile', () => {
    const { history } = run('  - { at: 5s, partition: [[a], [b, c]], for: 5s }');
    const f = faultRecords(history);
    expect(f[0]).toMatchObject({ t: 5_000_000, fault: 'partition', groups: [['a'], ['b', 'c']] });
    expect(f[1]).toMatchObject({ t: 10_000_000, fault: 'end', of: 'partition', id: f[0]!.id });
    // nothing crosses while cut (allow in-flight at the edges), b<->c still flows
    expect(remoteApplies(history, 'a/0', 'b/0', 5_100_000, 10_000_000)).toBe(0);
    expect(remoteApplies(history, 'b/0', 'a/0', 5_100_000, 10_000_000)).toBe(0);
    expect(remoteApplies(history, 'c/0', 'b/0', 5_100_000, 10_000_000)).toBeGreaterThan(0);
    // and replication resumes after
    expect(remoteApplies(history, 'a/0', 'b/0', 10_000_000, 25_000_000)).toBeGreaterThan(0);
  });

  it('a one-way cut blocks one direction only', () => {
    const { history } = run('  - { at: 5s, one_way: { from: a, to: b }, for: 10s }');
    expect(remoteApplies(history, 'b/0', 'a/0', 5_100_000, 15_000_000)).toBe(0);
    expect(remoteApplies(history, 'a/0', 'b/0', 5_100_000, 15_000_000)).toBeGreaterThan(0);
  });

  it('a partition without `for` heals at settle, and replicas converge', () => {
    const { history, result } = run('  - { at: 5s, isolate: a }');
    const heal = faultRecords(history).find((r) => r.fault === 'heal');
    expect(heal?.t).toBe(20_000_000);
    expect(result.anomalies.divergence.count).toBe(0);
  });

  it('a crash makes requests to the node time out until it restarts', () => {
    const { history } = run('  - { at: 5s, crash: a/0, for: 5s }');
    const f = faultRecords(history);
    expect(f[0]).toMatchObject({ fault: 'crash', target: 'a/0' });
    expect(f[1]).toMatchObject({ t: 10_000_000, fault: 'end', of: 'crash' });
    const infoOps = new Set(history.filter((r) => r.type === 'info').map((r) => r.op));
    const during = history.filter(
      (r) => r.type === 'invoke' && r.node === 'a/0' && r.t > 5_000_000 && r.t < 9_000_000,
    );
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((r) => r.type === 'invoke' && infoOps.has(r.op))).toBe(true);
  });

  it('a node still down at the end has no final state', () => {
    const { history } = run('  - { at: 5s, crash: a/0 }');
    expect(history.some((r) => r.type === 'final' && r.node === 'a/0')).toBe(false);
    expect(history.some((r) => r.type === 'final' && r.node === 'b/0')).toBe(true);
  });
});
