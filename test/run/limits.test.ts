/**
 * Run limits (issue 20.5): a valid scenario that would grow without bound stops cleanly with
 * the limit named in the report, never with V8 out of memory. The OR-set flood of the issue
 * (every apply carries the whole set, so the history grows with the square of the adds) under
 * small limits, and each limit alone.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { RecordBudget } from '../../src/run/limits.js';
import { nameId } from '../../src/history/line-bytes.js';
import { LIMIT_DEFAULTS } from '../../src/scenario/limit-defaults.js';

function flood(limits: string, duration = '2s') {
  const p = parseScenario(
    `name: orset-flood
duration: ${duration}
settle: 1s
regions: { us-east: { nodes: 1 }, eu-west: { nodes: 1 } }
engine: { type: async, conflict: crdt }
workload:
  model: set
  keys: 10
  key_distribution: uniform
  clients: { us-east: { count: 5, rate: 10000/s }, eu-west: { count: 5, rate: 10000/s } }
  mix: { read: 0.1, add: 0.9 }
limits: ${limits}
`,
    'flood.yaml',
  );
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.scenario;
}

describe('run limits', () => {
  it('the OR-set flood stops at max_value_bytes with the limit in the report', () => {
    const out = runScenario(flood('{ max_value_bytes: 4000 }'), { check: false });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.stop.complete).toBe(false);
    expect(out.result.stop.reason).toMatch(/^limit max_value_bytes \(4000\) reached: a record of \d+ bytes \((apply|ok|final) of key "k\d"\)$/);
    expect(out.result.metrics.sim_seconds).toBeLessThan(1);
  });

  it('stops at max_history_bytes', () => {
    const out = runScenario(flood('{ max_history_bytes: 200000 }'), { check: false });
    expect(out.ok && out.result.stop.reason).toBe('limit max_history_bytes (200000) reached');
  });

  it('stops at max_state_bytes', () => {
    const out = runScenario(flood('{ max_state_bytes: 50000 }'), { check: false });
    expect(out.ok && out.result.stop.reason).toBe('limit max_state_bytes (50000) reached');
  });

  it('stops at max_heap_mb, read through the injected probe', () => {
    let probes = 0;
    const heap = { used_mb: () => (++probes > 2 ? 5000 : 10), limit_mb: 8192 };
    const out = runScenario(flood('{}'), { check: false, heap });
    expect(out.ok && out.result.stop.reason).toBe('limit max_heap_mb (3072) reached: 5000 MiB in use');
    expect(probes).toBe(3);
  });

  it('the same flood under the same limits stops at the same record (deterministic)', () => {
    const a = runScenario(flood('{ max_history_bytes: 100000 }'), { check: false });
    const b = runScenario(flood('{ max_history_bytes: 100000 }'), { check: false });
    expect(a.ok && b.ok && a.result.history_sha256 === b.result.history_sha256).toBe(true);
  });

  it('a run within its limits completes', () => {
    const out = runScenario(flood('{}', '50ms'), { check: false });
    expect(out.ok && out.result.stop.complete).toBe(true);
    expect(out.ok && out.result.stop.reason).not.toMatch(/limit/);
  });
});

describe('RecordBudget', () => {
  const lim = { max_history: 100, max_history_bytes: 10_000, max_value_bytes: 300, max_state_bytes: 500, max_heap_mb: LIMIT_DEFAULTS.max_heap_mb };
  const apply = (key: string) => ({ t: 0, type: 'apply' as const, node: 'a/0', key, value: 1 });

  it('counts the state as the last apply per node and key', () => {
    const b = new RecordBudget(lim);
    for (let i = 0; i < 5; i++) expect(b.add(apply('k'), 200)).toBeUndefined();
    expect(b.usage.state_bytes).toBe(200);
    expect(b.add(apply('j'), 200)).toBeUndefined();
    expect(b.add(apply('i'), 200)).toEqual({ limit: 'max_state_bytes', value: 500 });
  });

  it('counts each node and key apart, past the few nodes it finds by comparing names', () => {
    // Against a model: the sum over (node, key) of the last apply's size. Twelve nodes, so some
    // are found by scanning names and the rest through a map; names are rebuilt each time, so
    // equal names that are different string objects must still meet.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 50 })), { minLength: 40, maxLength: 200 }), (applies) => {
        const b = new RecordBudget({ ...lim, max_history: 1e9, max_history_bytes: 1e12, max_state_bytes: 1e12 });
        const model = new Map<string, number>();
        for (const [n, k, size] of applies) {
          b.add({ t: 0, type: 'apply', node: `r${String(n)}/0`, key: `k${String(k)}`, value: 1 }, size);
          model.set(`${String(n)} ${String(k)}`, size);
        }
        expect(b.usage.state_bytes).toBe([...model.values()].reduce((a, x) => a + x, 0));
      }),
    );
  });

  it('counts state the same whether or not the writer\'s name cache holds the names', () => {
    // Fills line-bytes' name cache (65,536 names; this file's module instance only, and no test
    // after this one writes names), then mixes names it holds with names it never will: the
    // budget keeps its own state by name and must not depend on the writer's cache.
    for (let i = 0; i < 1 << 16; i++) nameId(`filler-${String(i)}`);
    expect(nameId('never-seen')).toBe(-1);
    expect(nameId('filler-7')).toBeGreaterThanOrEqual(0);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 50 })), { minLength: 80, maxLength: 300 }), (applies) => {
        const b = new RecordBudget({ ...lim, max_history: 1e9, max_history_bytes: 1e12, max_state_bytes: 1e12 });
        const model = new Map<string, number>();
        for (const [n, k, size] of applies) {
          const node = n % 2 === 0 ? `filler-${String(n)}` : `late-node-${String(n)}`;
          const key = k % 2 === 0 ? `filler-${String(100 + k)}` : `late-key-${String(k)}`;
          b.add({ t: 0, type: 'apply', node, key, value: 1 }, size);
          model.set(`${node} ${key}`, size);
        }
        expect(b.usage.state_bytes).toBe([...model.values()].reduce((a, x) => a + x, 0));
      }),
    );
  });

  it('caps max_heap_mb below V8 own limit', () => {
    let used = 0;
    const b = new RecordBudget({ ...lim, max_history: 1e9, max_history_bytes: 1e12 }, { used_mb: () => used, limit_mb: 1000 });
    used = 799;
    for (let i = 0; i < 4096; i++) expect(b.add({ t: 0, type: 'fail', op: 1 }, 1)).toBeUndefined();
    used = 801;
    let r: ReturnType<RecordBudget['add']>;
    for (let i = 0; i < 4096 && r === undefined; i++) r = b.add({ t: 0, type: 'fail', op: 1 }, 1);
    expect(r).toEqual({ limit: 'max_heap_mb', value: 800, detail: '801 MiB in use' });
  });
});
