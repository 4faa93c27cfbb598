// Hedged requests (issue 15): when an attempt is slow the same request also goes to another
// node and the first answer wins, which cuts the latency tail of a heavy-tailed link; the
// history keeps one op with an `attempt` record for the hedge.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord } from '../../src/history/types.js';

function run(client: string) {
  const yaml = `
name: hedge
seed: 6
duration: 20s
settle: 2s
regions:
  a: { nodes: 3 }
network:
  intra_region: { latency: 1ms, jitter: 10ms, distribution: pareto, reorder: true }
engine: { type: async, conflict: lww }
workload:
  keys: 10
  mix: { read: 1 }
  clients: { a: { count: 4, rate: 20/s } }
  timeout: 2s
${client}
`;
  const p = parseScenario(yaml, 'hedge.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[] };
}

describe('hedged reads over a heavy-tailed link', () => {
  const plain = run('');
  const hedged = run('client: { hedge: { after: 5ms } }');

  it('cut the p99 latency', () => {
    const p99 = (r: typeof plain) => r.result.metrics.latency_ms.read.p99 as number;
    expect(p99(plain)).toBeGreaterThan(20); // the tail is there to cut
    expect(p99(hedged)).toBeLessThan(p99(plain) * 0.8);
  });

  it('keep one invoke and one completion per op, with the hedge as an attempt on another node', () => {
    const h = hedged.history;
    const invokes = h.filter((r) => r.type === 'invoke');
    const done = h.filter((r) => r.type === 'ok' || r.type === 'fail' || r.type === 'info').map((r) => (r as { op: number }).op);
    expect(done.length).toBe(invokes.length);
    expect(new Set(done).size).toBe(done.length);
    const attempts = h.filter((r) => r.type === 'attempt');
    expect(attempts.length).toBeGreaterThan(50);
    const nodeOf = new Map(invokes.map((r) => [(r as { op: number }).op, (r as { node: string }).node]));
    for (const a of attempts) expect(a.node).not.toBe(nodeOf.get(a.op));
    expect(hedged.result.ops.total).toBe(plain.result.ops.total);
  });
});
