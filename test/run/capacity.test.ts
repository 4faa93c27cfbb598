// Node capacity in a whole run: refusals, shedding by class, replication work on the same
// workers, classes that leave the ops unchanged, and the scenario errors of the new fields.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord, InvokeRecord } from '../../src/history/types.js';

function scenario(extra: { capacity?: string; workload?: string; engine?: string; expect?: string } = {}): string {
  return `
name: cap
seed: 5
duration: 5s
settle: 2s
regions:
  a: { nodes: 2${extra.capacity ? `, capacity: ${extra.capacity}` : ''} }
network:
  intra_region: { latency: 1ms, jitter: 0us, distribution: constant }
engine: ${extra.engine ?? '{ type: async }'}
workload:
  model: register
  keys: 20
  clients:
    a: { count: 2, rate: 200/s }
  timeout: 1s
${extra.workload ?? ''}
${extra.expect ? `expect:\n${extra.expect}` : ''}
`;
}

function run(text: string) {
  const p = parseScenario(text, 'cap.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[], series: out.capacity };
}

const fails = (h: HistoryRecord[], error: string) => h.filter((r) => r.type === 'fail' && r.error === error).length;
type Load = { utilisation: number; requests: number; jobs: number; overloaded: number; shed: number };
const cap = (r: { metrics: unknown }) => (r.metrics as { capacity?: Record<string, Load> }).capacity;

describe('node capacity in a run', () => {
  it('without capacity nothing is refused and no capacity metrics are reported', () => {
    const { result, history } = run(scenario());
    expect(fails(history, 'overloaded')).toBe(0);
    expect(cap(result)).toBeUndefined();
  });

  it('a node slower than its load fills its queue and refuses requests with `fail overloaded`', () => {
    const { result, history } = run(scenario({ capacity: '{ concurrency: 1, queue: 5, service: { default: 10ms } }' }));
    const refused = fails(history, 'overloaded');
    expect(refused).toBeGreaterThan(100);
    expect(cap(result)?.['all']?.overloaded).toBe(refused);
    expect(result.metrics.availability).toBeLessThan(0.9);
    expect(cap(result)?.['a/0']?.utilisation).toBeGreaterThan(0.6);
  });

  it('replication messages take workers too: jobs exceed requests, and a message service time slows the apply', () => {
    const fast = run(scenario({ capacity: '{ concurrency: 2, service: { write: 1ms } }' }));
    const slow = run(scenario({ capacity: '{ concurrency: 2, service: { write: 1ms, message: 4ms } }' }));
    const all = cap(fast.result)?.['all'] as Load;
    expect(all.jobs).toBeGreaterThan(all.requests);
    expect(slow.result.metrics.replication_lag_ms.p50 as number).toBeGreaterThan((fast.result.metrics.replication_lag_ms.p50 as number) + 3);
  });

  it('classes leave every op as it was and are recorded per op; shedding refuses the low class first', () => {
    const plain = run(scenario({ capacity: '{ concurrency: 1, queue: 50, service: { default: 6ms }, shed: { low: 3 } }' }));
    const classes = '  classes: { checkout: { share: 0.3, priority: high }, browse: { share: 0.7, priority: low } }';
    const cls = run(scenario({ capacity: '{ concurrency: 1, queue: 50, service: { default: 6ms }, shed: { low: 3 } }', workload: classes }));
    const strip = (h: HistoryRecord[]) => h.filter((r): r is InvokeRecord => r.type === 'invoke').map(({ class: _c, ...r }) => r);
    expect(strip(cls.history)).toEqual(strip(plain.history));
    const inv = cls.history.filter((r): r is InvokeRecord => r.type === 'invoke');
    expect(inv.every((r) => r.class === 'checkout' || r.class === 'browse')).toBe(true);
    const share = inv.filter((r) => r.class === 'checkout').length / inv.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    // without classes every op is normal, and a `low` threshold sheds only low
    expect(fails(plain.history, 'shed')).toBe(0);
    const shedOps = new Set(cls.history.filter((r) => r.type === 'fail' && r.error === 'shed').map((r) => (r as { op: number }).op));
    expect(shedOps.size).toBeGreaterThan(0);
    expect(inv.filter((r) => shedOps.has(r.op)).every((r) => r.class === 'browse')).toBe(true);
    const byClass = cls.result.metrics['availability_by_class'] as Record<string, number>;
    expect(byClass['checkout']).toBeGreaterThan(byClass['browse'] as number);
  });

  it('a crash loses the node’s queue (no completion from before the crash reaches the engine)', () => {
    const text = scenario({ capacity: '{ concurrency: 1, queue: 100, service: { default: 3ms } }' }).replace(
      'workload:',
      'faults:\n  - { at: 2s, crash: a/0, for: 1s, lose_volatile: true }\nworkload:',
    );
    const { result } = run(text);
    expect(result.stop.complete).toBe(true);
    expect((cap(result)?.['a/0'] as unknown as { lost: number }).lost).toBeGreaterThan(0);
  });

  it('raft and 2PC under overload: messages dropped by full queues are resent, no safety rule breaks', () => {
    for (const engine of ['{ type: raft, ranges: 4 }', '{ type: sync }']) {
      const text = scenario({ capacity: '{ concurrency: 1, queue: 4, service: { default: 4ms, message: 1ms } }', engine }).replace(
        'a: { nodes: 2,',
        'a: { nodes: 3,',
      );
      const { result } = run(text);
      expect(result.stop.complete, engine).toBe(true);
      expect(cap(result)?.['all']?.overloaded, engine).toBeGreaterThan(0);
      expect(result.anomalies.invariant.count, engine).toBe(0);
      expect(result.anomalies.divergence.count, engine).toBe(0);
      expect(result.ops.ok, engine).toBeGreaterThan(100);
    }
  });

  it('the chart series cover the run, one entry per node with a capacity', () => {
    const { series } = run(scenario({ capacity: '{ concurrency: 2, service: { default: 2ms } }' }));
    expect(series?.nodes.map((n) => n.node)).toEqual(['a/0', 'a/1']);
    expect(series?.nodes[0]?.utilisation.length).toBeGreaterThan(10);
    expect(Math.max(...(series?.nodes[0]?.utilisation ?? []))).toBeGreaterThan(0);
  });

  it('same scenario, same seed: same history with capacity, classes and a load shape', () => {
    const w = '  classes: { x: { share: 0.5, priority: low }, y: { share: 0.5, priority: high } }\n  load: { steps: [{ at: 1s, x: 2, ramp: 1s }], bursts: [{ at: 4s, for: 500ms, x: 3 }] }';
    const c = '{ concurrency: 1, queue: 20, service: { write: 3ms exponential, read: 1ms uniform }, shed: { low: 5ms } }';
    const a = run(scenario({ capacity: c, workload: w }));
    const b = run(scenario({ capacity: c, workload: w }));
    expect(a.result.history_sha256).toBe(b.result.history_sha256);
  });
});

describe('capacity, classes and load shapes: scenario errors', () => {
  const err = (text: string) => {
    const p = parseScenario(text, 'cap.yaml');
    expect(p.ok).toBe(false);
    return p.ok ? '' : p.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n');
  };
  it('a service time with an unknown distribution names its line and field', () => {
    expect(err(scenario({ capacity: '{ concurrency: 2, service: { write: 2ms exponentail } }' }))).toMatch(
      /^cap\.yaml:7:\d+ regions\.a\.capacity\.service\.write: expected a service time/,
    );
  });
  it('a bare number, an unknown op, shares that do not add up, an unknown region in a capacity expect name', () => {
    expect(err(scenario({ capacity: '{ concurrency: 2, service: { write: 2 } }' }))).toMatch(/service\.write: a service time needs a unit/);
    expect(err(scenario({ capacity: '{ concurrency: 2, service: { wrte: 2ms } }' }))).toMatch(/service\.wrte: "wrte" is not an operation.*did you mean/);
    expect(err(scenario({ workload: '  classes: { a: { share: 0.5 }, b: { share: 0.4 } }' }))).toMatch(/workload\.classes: the shares must add up to 1/);
    expect(err(scenario({ capacity: '{ concurrency: 1 }', expect: '  capacity.b.utilisation: "< 1"' }))).toMatch(/unknown region "b"/);
    expect(err(scenario({ capacity: '{ concurrency: 1 }', expect: '  capacity.all.utilization: "< 1"' }))).toMatch(/expected capacity\.TARGET\.METRIC/);
  });
  it('capacity expect names that exist are accepted', () => {
    const p = parseScenario(scenario({ capacity: '{ concurrency: 1 }', expect: '  capacity.a/1.queue.p99: "< 1000"\n  capacity.a.queue_delay_ms.mean: "< 1000"\n  availability_by_class.x: ">= 0"' }), 'cap.yaml');
    expect(p.ok).toBe(true);
  });
});
