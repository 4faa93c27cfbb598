/**
 * lin/zones.ts: a register key with distinct written values is shown linearizable by a
 * linearization built from its clusters and checked op by op; anything else goes to the
 * search. Properties against a brute-force checker (soundness of the shortcut, and the
 * verdict with it), and the shape it exists for: many concurrent writes nobody read and
 * timed-out writes, where the search alone needed millions of states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import { collectLinOps } from '../../../src/checker/lin/ops.js';
import { registerZonesLinearizable, zonesPrefixRefutes } from '../../../src/checker/lin/zones.js';
import type { HistoryRecord, Value } from '../../../src/history/types.js';
import { hist } from './dsl.js';

interface GenOp {
  f: 'read' | 'write';
  value: Value;
  outcome: 'ok' | 'info' | 'fail';
  start: number;
  end: number;
}

/** Every order of the ops that respects real time; ok ops must appear, info ops may. */
function bruteForce(ops: GenOp[], nilAny: boolean): boolean {
  const live = ops.filter((o) => o.outcome !== 'fail');
  const required = live.filter((o) => o.outcome === 'ok').length;
  const done = new Set<GenOp>();
  const search = (state: Value, doneRequired: number): boolean => {
    if (doneRequired === required) return true;
    for (const o of live) {
      if (done.has(o)) continue;
      if (live.some((p) => p !== o && !done.has(p) && p.outcome === 'ok' && p.end < o.start)) continue;
      let next: Value = state;
      if (o.f === 'write') next = o.value;
      else if (o.outcome === 'ok' && !(nilAny && o.value === null) && o.value !== state) continue;
      done.add(o);
      const ok = search(next, doneRequired + (o.outcome === 'ok' ? 1 : 0));
      done.delete(o);
      if (ok) return true;
    }
    return false;
  };
  return search(null, 0);
}

function toRecords(ops: GenOp[]): HistoryRecord[] {
  const events: { at: number; r: HistoryRecord }[] = [];
  ops.forEach((o, id) => {
    events.push({
      at: o.start,
      r: { t: o.start, type: 'invoke', op: id, client: `c${id}`, node: 'n', f: o.f, key: 'k', ...(o.f === 'write' ? { value: o.value } : {}) },
    });
    const done: HistoryRecord =
      o.outcome === 'ok' ? { t: o.end, type: 'ok', op: id, ...(o.f === 'read' ? { value: o.value } : {}) } : { t: o.end, type: o.outcome, op: id };
    events.push({ at: o.end, r: done });
  });
  return events.sort((a, b) => a.at - b.at).map((e) => e.r);
}

/** 1..`max` ops; writes write distinct values (their index + 1), reads return nil or any index + 1. */
const historyArbOf = (max: number): fc.Arbitrary<GenOp[]> =>
  fc
  .array(
    fc.record({
      write: fc.boolean(),
      read: fc.integer({ min: 0, max }),
      outcome: fc.constantFrom<GenOp['outcome']>('ok', 'ok', 'ok', 'info', 'fail'),
    }),
    { minLength: 1, maxLength: max },
  )
  .chain((raw) =>
    fc.shuffledSubarray(Array.from({ length: 2 * raw.length }, (_, i) => i), { minLength: 2 * raw.length, maxLength: 2 * raw.length }).map((slots) =>
      raw.map((o, i): GenOp => {
        const [a, b] = [slots[2 * i]!, slots[2 * i + 1]!];
        return { f: o.write ? 'write' : 'read', value: o.write ? i + 1 : o.read === 0 ? null : o.read, outcome: o.outcome, start: Math.min(a, b), end: Math.max(a, b) };
      }),
    ),
  );

const historyArb = historyArbOf(8);

/**
 * 2..16 ops one after another with some overlap: writes write their index + 1, reads return
 * the latest write's value before them, an older one (stale) or nil. Keys whose construction
 * fails because two reads saw values out of order, the case `refutedByPrefix` is for.
 */
const staleArb: fc.Arbitrary<GenOp[]> = fc
  .array(
    fc.record({
      write: fc.boolean(),
      back: fc.constantFrom(0, 0, 0, 1, 2, 9),
      dur: fc.integer({ min: 1, max: 25 }),
      outcome: fc.constantFrom<GenOp['outcome']>('ok', 'ok', 'ok', 'ok', 'info', 'fail'),
    }),
    { minLength: 2, maxLength: 16 },
  )
  .map((raw) => {
    const written: number[] = [];
    return raw.map((o, i): GenOp => {
      const start = 10 * i;
      if (o.write) {
        written.push(i + 1);
        return { f: 'write', value: i + 1, outcome: o.outcome, start, end: start + o.dur };
      }
      const at = written.length - 1 - o.back;
      return { f: 'read', value: at >= 0 ? (written[at] as number) : null, outcome: o.outcome, start, end: start + o.dur };
    });
  });

describe('registerZonesLinearizable', () => {
  for (const nilRead of ['empty', 'any'] as const) {
    it(`says linearizable exactly when brute force does, and so does the verdict (nilRead ${nilRead})`, () => {
      let shown = 0;
      let valid = 0;
      fc.assert(
        fc.property(historyArb, (ops) => {
          const records = toRecords(ops);
          const expected = bruteForce(ops, nilRead === 'any');
          const live = collectLinOps(records);
          const zones = registerZonesLinearizable(live, { initial: null, nilRead });
          // sound (never claims too much) and, on these small histories, complete
          expect(zones).toBe(expected);
          if (expected) valid++;
          if (zones) shown++;
          expect(nonLinearizable(records, { model: 'register', nilRead }).verdict).toBe(expected);
        }),
        { numRuns: 1500, seed: 19 },
      );
      // the property is not vacuous: many of the generated histories are linearizable
      expect(valid).toBeGreaterThan(300);
      expect(shown).toBe(valid);
    });
  }

  it('a prefix that refutes the construction means the whole key fails it, and the answer never depends on the prefix', () => {
    let refuted = 0;
    let linearizableSeen = 0;
    fc.assert(
      fc.property(fc.oneof(historyArb, staleArb), fc.constantFrom<'empty' | 'any'>('empty', 'any'), (ops, nilRead) => {
        const live = collectLinOps(toRecords(ops));
        const opts = { initial: null, nilRead };
        const whole = registerZonesLinearizable(live, opts, Infinity);
        if (whole) linearizableSeen++;
        for (let m = 1; m <= live.length; m++) {
          if (zonesPrefixRefutes(live, opts, m)) {
            refuted++;
            expect(whole).toBe(false);
          }
          expect(registerZonesLinearizable(live, opts, m)).toBe(whole);
        }
      }),
      { numRuns: 2000, seed: 612 },
    );
    // both sides were seen: prefixes that refute, and keys the construction proves
    expect(refuted).toBeGreaterThan(200);
    expect(linearizableSeen).toBeGreaterThan(300);
  });

  it('decides the raft-quickstart shape without a search: concurrent unread writes and timed-out writes', () => {
    // 40 writes in flight at once, none of them read; then a write (60) that a read sees;
    // a timed-out write (70) that a later read sees; then 40 more unread writes
    const lines: string[] = [];
    for (let i = 1; i <= 40; i++) lines.push(`w${i} inv ${i} write k ${i}`);
    lines.push('x inv 60 write k 60');
    for (let i = 1; i <= 40; i++) lines.push(`ok ${i}`);
    lines.push('ok 60', 'r inv 61 read k', 'ok 61 60', 't inv 70 write k 70', 'info 70');
    for (let i = 101; i <= 140; i++) lines.push(`w${i} inv ${i} write k ${i}`);
    lines.push('r inv 62 read k', 'ok 62 70');
    for (let i = 101; i <= 140; i++) lines.push(`ok ${i}`);
    const records = hist(lines.join('\n'));
    expect(registerZonesLinearizable(collectLinOps(records), { initial: null, nilRead: 'empty' })).toBe(true);
    const r = nonLinearizable(records, { model: 'register' });
    expect(r.verdict).toBe(true);
    expect(r.report.work?.states).toBe(0); // no configuration stored: no search ran
  });

  it('the same shape with a stale read is not linearizable, and the search names the read', () => {
    const lines: string[] = [];
    for (let i = 1; i <= 12; i++) lines.push(`w${i} inv ${i} write k ${i}`);
    lines.push('x inv 60 write k 60');
    for (let i = 1; i <= 12; i++) lines.push(`ok ${i}`);
    lines.push('ok 60', 'r inv 61 read k', 'ok 61 60', 't inv 70 write k 70', 'info 70', 'r inv 62 read k', 'ok 62 70');
    // every write above completed before this read began: it cannot return 60 any more
    lines.push('s inv 63 read k', 'ok 63 60');
    const records = hist(lines.join('\n'));
    expect(registerZonesLinearizable(collectLinOps(records), { initial: null, nilRead: 'empty' })).toBe(false);
    const r = nonLinearizable(records, { model: 'register' });
    expect(r.verdict).toBe(false);
    expect(r.report.witnesses[0]!.ops).toContain(63);
  });

  it('an unread write with only reads around it still counts', () => {
    // write 2 completes, then a read returns 1: not linearizable, though nobody read 2
    const records = hist(`
      a inv 1 write k 1
      ok 1
      b inv 2 write k 2
      ok 2
      c inv 3 read k
      ok 3 1
    `);
    expect(registerZonesLinearizable(collectLinOps(records), { initial: null, nilRead: 'empty' })).toBe(false);
    expect(nonLinearizable(records, { model: 'register' }).verdict).toBe(false);
  });

  it('fits an unread write between two forward clusters whose records are adjacent', () => {
    // cluster 1 (write 1, read 3) must span records 1..5, cluster 2 (write 2, reads 4 and 6)
    // records 6..9; write 5, done by record 7, fits only between records 5 and 6
    const records = hist(`
      a inv 1 write k 1
      ok 1
      d inv 2 write k 2
      x inv 5 write k 5
      e inv 4 read k
      c inv 3 read k
      ok 4 2
      ok 5
      ok 3 1
      f inv 6 read k
      ok 6 2
      ok 2
    `);
    expect(registerZonesLinearizable(collectLinOps(records), { initial: null, nilRead: 'empty' })).toBe(true);
    expect(nonLinearizable(records, { model: 'register' }).verdict).toBe(true);
  });

  it('leaves repeated values and cas to the search', () => {
    const repeated = hist('a inv 1 write k 1\nok 1\nb inv 2 write k 1\nok 2\nc inv 3 read k\nok 3 1');
    expect(registerZonesLinearizable(collectLinOps(repeated), { initial: null, nilRead: 'empty' })).toBe(false);
    expect(nonLinearizable(repeated, { model: 'register' }).verdict).toBe(true);
    const cas = hist('a inv 1 write k 1\nok 1\nb inv 2 cas k [1,2]\nok 2\nc inv 3 read k\nok 3 2');
    expect(registerZonesLinearizable(collectLinOps(cas), { initial: null, nilRead: 'empty' })).toBe(false);
    expect(nonLinearizable(cas, { model: 'cas-register' }).verdict).toBe(true);
  });
});
