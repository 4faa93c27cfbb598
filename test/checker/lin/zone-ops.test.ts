/**
 * The columnar history's per-key view by index (sink.ts `zoneOps`, what lin/zones.ts reads
 * without an object per op) must answer exactly what the per-op views (`ops(key)`) say, and
 * zones must reach the same verdict from either. Histories mix ok, fail, info, info then a
 * late ok, and ops never completed, so every rule of the lin view (dropped fail ops, a late
 * ok making an op known) is exercised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerZonesLinearizable, zoneOpsOf, type ZoneOps } from '../../../src/checker/lin/zones.js';
import type { LinOp } from '../../../src/checker/lin/ops.js';
import { tableLinSource } from '../../../src/checker/sink.js';
import { OpTable } from '../../../src/checker/table.js';
import { history } from '../builders.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const genOp = fc.record({
  key: fc.integer({ min: 0, max: 2 }),
  read: fc.boolean(),
  value: fc.integer({ min: 0, max: 5 }),
  nil: fc.boolean(),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'late', 'open'),
  gap: fc.integer({ min: 0, max: 3 }),
});
type GenOp = typeof genOp extends fc.Arbitrary<infer T> ? T : never;

function build(gen: GenOp[]): HistoryRecord[] {
  // records sorted by time, ties in the order pushed, as a history file has them
  const h = history();
  const push = h.raw;
  gen.forEach((g, i) => {
    const id = i + 1;
    const key = `k${g.key}`;
    const at = 10 * i;
    const done = at + 5 + 10 * g.gap;
    push({ t: at, type: 'invoke', op: id, client: `c${i % 3}`, node: 'n', f: g.read ? 'read' : 'write', key, ...(g.read ? {} : { value: id }) });
    const value = g.read ? { value: g.nil ? null : g.value } : {};
    if (g.outcome === 'ok') push({ t: done, type: 'ok', op: id, ...value });
    else if (g.outcome === 'fail') push({ t: done, type: 'fail', op: id });
    else if (g.outcome === 'info') push({ t: done, type: 'info', op: id });
    else if (g.outcome === 'late') {
      push({ t: done, type: 'info', op: id });
      push({ t: done + 3, type: 'ok', op: id, ...value });
    }
  });
  return h.records();
}

/** Every answer of `z`, index by index. */
function answers(z: ZoneOps): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < z.length; i++) out.push([z.f(i), z.known(i), z.input(i), z.output(i), z.callPos(i), z.retPos(i)]);
  return out;
}

describe('zoneOps of the columnar history', () => {
  it('answers what the per-op views say, and zones agrees on both', () => {
    let proven = 0;
    let dropped = 0;
    fc.assert(
      fc.property(fc.array(genOp, { minLength: 1, maxLength: 40 }), fc.constantFrom<'empty' | 'any'>('empty', 'any'), (gen, nilRead) => {
        const T = new OpTable();
        for (const r of build(gen)) T.push(r);
        const s = tableLinSource(T);
        for (const key of s.keys()) {
          const ops: LinOp[] = s.ops(key);
          const z = s.zoneOps!(key);
          expect(answers(z)).toEqual(answers(zoneOpsOf(ops)));
          const opts = { initial: null, nilRead };
          const verdict = registerZonesLinearizable(z, opts);
          expect(verdict).toBe(registerZonesLinearizable(ops, opts));
          if (verdict) proven++;
        }
        if (gen.some((g) => g.outcome === 'fail')) dropped++;
      }),
      { numRuns: 800, seed: 12062026 },
    );
    // both verdicts and histories with dropped ops were really seen
    expect(proven).toBeGreaterThan(100);
    expect(dropped).toBeGreaterThan(100);
  });
});
