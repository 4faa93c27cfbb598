// Seeded chaos: `seed_stream` picks the stream the fault plan is drawn from, and a drawn
// `partition` is a real split into sides (not an isolate of one region).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { FaultRecord, HistoryRecord } from '../../src/history/types.js';

function run(chaos: string) {
  const yaml = `
name: chaos-test
seed: 11
duration: 30s
settle: 5s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
  c: { nodes: 1 }
  d: { nodes: 1 }
network:
  inter_region: { latency: 10ms, jitter: 0us, distribution: constant }
engine: { type: async }
workload:
  model: register
  keys: 5
  clients:
    a: { count: 1, rate: 10/s }
    c: { count: 1, rate: 10/s }
faults:
  - { at: 1s, chaos: ${chaos}, for: 25s }
`;
  const p = parseScenario(yaml, 'chaos.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  return { hash: out.result.history_sha256, history: out.history as HistoryRecord[] };
}

const faults = (h: HistoryRecord[]) => h.filter((r): r is FaultRecord => r.type === 'fault' && r.fault !== 'end' && r.fault !== 'heal');
const plan = (h: HistoryRecord[]) => JSON.stringify(faults(h).map((f) => ({ ...f, id: undefined })));
const invokes = (h: HistoryRecord[]) => JSON.stringify(h.filter((r) => r.type === 'invoke').map((r) => ({ ...r, t: r.t })));

describe('chaos', () => {
  it('seed_stream chooses the fault plan: another stream, another plan; the same stream, the same plan', () => {
    const base = run('{ rate: 12/m, kinds: [crash, isolate, partition, slow] }');
    const named = run('{ seed_stream: faults, rate: 12/m, kinds: [crash, isolate, partition, slow] }');
    const other = run('{ seed_stream: storm-2, rate: 12/m, kinds: [crash, isolate, partition, slow] }');
    const again = run('{ seed_stream: storm-2, rate: 12/m, kinds: [crash, isolate, partition, slow] }');
    expect(faults(base.history).length).toBeGreaterThan(2);
    expect(faults(other.history).length).toBeGreaterThan(2);
    // the default is the stream named `faults`
    expect(named.hash).toBe(base.hash);
    expect(plan(other.history)).not.toBe(plan(base.history));
    expect(other.hash).not.toBe(base.hash);
    expect(again.hash).toBe(other.hash);
  });

  it('another seed_stream leaves the workload untouched: the same operations at the same times', () => {
    const base = run('{ rate: 12/m, kinds: [slow] }');
    const other = run('{ seed_stream: elsewhere, rate: 12/m, kinds: [slow] }');
    // slow links change no client's invocation (open-loop clients draw from the workload stream)
    expect(plan(other.history)).not.toBe(plan(base.history));
    expect(invokes(other.history)).toBe(invokes(base.history));
  });

  it('a drawn partition splits the regions into two sides, recorded with its groups', () => {
    const { history } = run('{ rate: 12/m, kinds: [partition] }');
    const drawn = faults(history);
    expect(drawn.length).toBeGreaterThan(2);
    for (const f of drawn) {
      expect(f.fault).toBe('partition');
      const groups = (f as unknown as { groups: string[][] }).groups;
      expect(groups).toHaveLength(2);
      for (const g of groups) expect(g.length).toBeGreaterThan(0);
      expect(groups.flat().sort()).toEqual(['a', 'b', 'c', 'd']);
    }
    // not every draw is one region against the rest: some split two against two
    expect(drawn.some((f) => (f as unknown as { groups: string[][] }).groups.every((g) => g.length === 2))).toBe(true);
  });
});
