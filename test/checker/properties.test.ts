/**
 * Property: a history produced by one copy executing every op atomically at a point inside its
 * invoke..complete interval (so it is linearizable) never shows lost updates, stale reads,
 * divergence or session violations, for register, counter and set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';
import type { CheckModel } from '../../src/checker/types.js';

interface GenOp {
  client: number;
  key: number;
  read: boolean;
  invoke: number;
  dur: number;
  frac: number;
  outcome: 'ok' | 'fail' | 'info-applied' | 'info-lost';
}

const genOp = fc.record({
  client: fc.integer({ min: 0, max: 2 }),
  key: fc.integer({ min: 0, max: 1 }),
  read: fc.boolean(),
  invoke: fc.integer({ min: 0, max: 200 }).map((x) => x * 10_000),
  dur: fc.integer({ min: 2, max: 80_000 }),
  frac: fc.double({ min: 0, max: 0.999, noNaN: true }),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info-applied', 'info-lost'),
});

function singleCopy(model: 'register' | 'counter' | 'set', gen: GenOp[]): HistoryRecord[] {
  const recs: Array<{ t: number; seq: number; r: HistoryRecord }> = [];
  let seq = 0;
  const push = (r: HistoryRecord): void => {
    recs.push({ t: r.t, seq: seq++, r });
  };
  const ops = gen.map((g, i) => ({ ...g, id: i + 1, point: g.invoke + 1 + Math.floor(g.frac * (g.dur - 1)) }));
  const state = new Map<string, Value>();
  const init: Value = model === 'register' ? null : model === 'counter' ? 0 : [];
  const results = new Map<number, Value>();
  for (const o of [...ops].sort((a, b) => a.point - b.point || a.id - b.id)) {
    const key = `k${o.key}`;
    const cur = state.get(key) ?? init;
    const f = o.read ? 'read' : model === 'register' ? 'write' : 'add';
    const value: Value = model === 'counter' ? 1 + (o.id % 3) : o.id;
    push({ t: o.invoke, type: 'invoke', op: o.id, client: `r${o.client}/0`, node: 'one/0', f, key, ...(o.read ? {} : { value }) });
    const applied = o.outcome === 'ok' || o.outcome === 'info-applied';
    if (o.read) {
      results.set(o.id, cur);
    } else if (applied) {
      const next: Value =
        model === 'register' ? value : model === 'counter' ? (cur as number) + (value as number) : [...(cur as number[]), value as number].sort((a, b) => a - b);
      state.set(key, next);
      push({ t: o.point, type: 'apply', node: 'one/0', key, value: next, op: o.id });
    }
    const done = o.invoke + o.dur;
    if (o.outcome === 'ok') {
      const r: HistoryRecord = { t: done, type: 'ok', op: o.id };
      if (o.read) r.value = results.get(o.id) ?? null;
      push(r);
    } else if (o.outcome === 'fail') {
      // a failed op had no effect: undo is not needed because fail ops never applied above
      push({ t: done, type: 'fail', op: o.id });
    } else push({ t: done, type: 'info', op: o.id });
  }
  const end = 10_000_000;
  for (const key of [...state.keys()].sort()) push({ t: end, type: 'final', node: 'one/0', key, value: state.get(key) ?? null });
  if (state.size === 0) push({ t: end, type: 'final', node: 'one/0', key: 'unused', value: init });
  return recs.sort((a, b) => a.t - b.t || a.seq - b.seq).map((x) => x.r);
}

describe('single-copy linearizable histories report no anomalies', () => {
  for (const model of ['register', 'counter', 'set'] as const) {
    it(model, () => {
      fc.assert(
        fc.property(fc.array(genOp, { minLength: 1, maxLength: 30 }), (gen) => {
          const records = singleCopy(model, gen);
          const a = checkHistory(records, { model: model as CheckModel, sessions: 'sticky' }).anomalies;
          expect(a.lost_update.count).toBe(0);
          expect(a.stale_read.count).toBe(0);
          expect(a.divergence.count).toBe(0);
          expect(a.read_your_writes.count).toBe(0);
          expect(a.monotonic_read.count).toBe(0);
        }),
        { numRuns: 300, seed: 4242 },
      );
    });
  }
});

describe('LWW with exact clocks never loses an acknowledged write', () => {
  it('register', () => {
    fc.assert(
      fc.property(fc.array(genOp, { minLength: 1, maxLength: 30 }), (gen) => {
        // each write is stamped at a point inside its interval; every replica keeps the highest stamp
        const records: HistoryRecord[] = [];
        const ops = gen
          .map((g, i) => ({ ...g, id: i + 1, stamp: g.invoke + 1 + Math.floor(g.frac * (g.dur - 1)) }))
          .filter((o) => !o.read);
        const winner = new Map<string, { stamp: number; value: number }>();
        for (const o of ops) {
          const key = `k${o.key}`;
          records.push({ t: o.invoke, type: 'invoke', op: o.id, client: `r${o.client}/0`, node: `r${o.client}/0`, f: 'write', key, value: o.id });
          const done = o.invoke + o.dur;
          if (o.outcome === 'ok') records.push({ t: done, type: 'ok', op: o.id, value: o.id });
          else if (o.outcome === 'fail') records.push({ t: done, type: 'fail', op: o.id });
          else records.push({ t: done, type: 'info', op: o.id });
          if (o.outcome === 'ok' || o.outcome === 'info-applied') {
            const w = winner.get(key);
            if (!w || o.stamp > w.stamp) winner.set(key, { stamp: o.stamp, value: o.id });
          }
        }
        for (const [key, w] of [...winner].sort()) {
          for (const n of ['r0/0', 'r1/0', 'r2/0']) records.push({ t: 10_000_000, type: 'final', node: n, key, value: w.value });
        }
        records.push({ t: 10_000_000, type: 'final', node: 'r0/0', key: 'unused', value: null });
        records.sort((a, b) => a.t - b.t);
        const a = checkHistory(records, { model: 'register' }).anomalies;
        expect(a.lost_update.count).toBe(0);
        expect(a.divergence.count).toBe(0);
      }),
      { numRuns: 300, seed: 777 },
    );
  });
});
