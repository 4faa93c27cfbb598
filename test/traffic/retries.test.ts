// Retries are attempts of one logical op (issue 15): the history has one invoke and one
// completion per logical op, `attempt` records for the retries, and applies under the
// logical op's id. So the checker cannot count a retried write twice, and an increment
// that two attempts both applied is an increment applied twice: an `invariant`.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord } from '../../src/history/types.js';

function run(model: 'register' | 'counter', loss: number, retries: number) {
  const yaml = `
name: retries
seed: 2
duration: 20s
settle: 5s
regions:
  a: { nodes: 2 }
  b: { nodes: 2 }
network:
  intra_region: { latency: 1ms, jitter: 200us, loss: ${loss} }
  inter_region: { latency: 20ms, jitter: 2ms }
engine: { type: async, conflict: ${model === 'counter' ? 'crdt' : 'lww'} }
workload:
  model: ${model}
  keys: 5
  clients:
    a: { count: 4, rate: 20/s }
    b: { count: 2, rate: 20/s }
  timeout: 200ms
client:
  retries: ${retries}
  backoff: 20ms
  retry_budget: 1
`;
  const p = parseScenario(yaml, 'retries.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[] };
}

const witnessOps = (r: ReturnType<typeof run>['result'], family: string): number[][] =>
  ((r.anomalies as unknown as Record<string, { witnesses: Array<{ ops: number[] }> }>)[family]?.witnesses ?? []).map((w) => w.ops);

describe('retries over a lossy link', () => {
  const reg = run('register', 0.15, 3);
  const invoked = new Set(reg.history.filter((x) => x.type === 'invoke').map((x) => (x as { op: number }).op));
  const attempts = reg.history.filter((x) => x.type === 'attempt');

  it('retries happen, as attempt records of invoked ops, and every logical op completes once', () => {
    expect(attempts.length).toBeGreaterThan(50);
    for (const a of attempts) expect(invoked.has(a.op)).toBe(true);
    const done = reg.history.filter((x) => x.type === 'ok' || x.type === 'fail' || x.type === 'info').map((x) => (x as { op: number }).op);
    expect(new Set(done).size).toBe(done.length);
    expect(done.length).toBe(invoked.size);
    expect(reg.result.ops.total).toBe(invoked.size);
    // every apply names a logical op, never an attempt's engine id
    for (const x of reg.history) if (x.type === 'apply' && x.op !== undefined) expect(invoked.has(x.op)).toBe(true);
  });

  it('no lost_update or stale_read witness names an attempt, and none counts one logical op twice', () => {
    for (const family of ['lost_update', 'stale_read']) {
      const ws = witnessOps(reg.result, family);
      for (const ops of ws) for (const op of ops) expect(invoked.has(op)).toBe(true);
      const firsts = ws.map((ops) => ops[0]);
      expect(new Set(firsts).size).toBe(firsts.length);
    }
  });

  it('retries raise availability over the same lossy link', () => {
    const once = run('register', 0.15, 0);
    expect(reg.result.metrics.availability as number).toBeGreaterThan((once.result.metrics.availability as number) + 0.1);
  });
});

describe('a retried increment applied twice', () => {
  it('is an invariant, with the twice-applied op in the witness and an attempt record for it', () => {
    const r = run('counter', 0.15, 3);
    const inv = r.result.anomalies.invariant;
    expect(inv.count).toBeGreaterThanOrEqual(1);
    const retried = new Set(r.history.filter((x) => x.type === 'attempt').map((x) => x.op));
    const named = inv.witnesses.flatMap((w) => w.ops);
    expect(named.some((op) => retried.has(op))).toBe(true);
  });

  it('is not reported without retries over the same lossy link, nor with retries over a clean one', () => {
    expect(run('counter', 0.15, 0).result.anomalies.invariant.count).toBe(0);
    expect(run('counter', 0, 3).result.anomalies.invariant.count).toBe(0);
  });
});
