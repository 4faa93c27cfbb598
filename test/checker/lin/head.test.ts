/**
 * A register key's search started on a head of its ops (src/checker/lin/head.ts) must give
 * exactly the whole search's report: verdicts, counts, witnesses, notes, and the same
 * `unknown` when a state budget runs out. Heads are shrunk here (64× smaller than in use)
 * so that short random histories start on heads of 4 and 32 ops and grow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { LinSource } from '../../../src/checker/lin/ops.js';
import { tableLinSource } from '../../../src/checker/sink.js';
import { OpTable } from '../../../src/checker/table.js';
import type { CheckOptions } from '../../../src/checker/types.js';
import type { HistoryRecord, Value } from '../../../src/history/types.js';

const genOp = fc.record({
  key: fc.integer({ min: 0, max: 1 }),
  client: fc.integer({ min: 0, max: 3 }),
  read: fc.boolean(),
  before: fc.integer({ min: 0, max: 6 }),
  after: fc.integer({ min: 0, max: 6 }),
  // how a read's result is corrupted: not at all mostly; an older value; nil; a value nobody wrote
  lie: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'older', 'nil', 'other'),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'info', 'fail'),
  pick: fc.nat(),
});
type GenOp = typeof genOp extends fc.Arbitrary<infer T> ? T : never;

/** A sequential execution (op i takes effect at 10·i) with stretched windows and some lying reads. */
function build(gen: GenOp[], unknown: boolean): HistoryRecord[] {
  const events: Array<{ t: number; seq: number; r: HistoryRecord }> = [];
  let seq = 0;
  const push = (r: HistoryRecord): void => {
    events.push({ t: r.t, seq: seq++, r });
  };
  const state = new Map<string, Value>();
  const history = new Map<string, Value[]>();
  gen.forEach((g, i) => {
    const key = `k${g.key}`;
    const id = i + 1;
    const point = 10 * i + 5;
    const at = point - 1 - 10 * g.before;
    const done = point + 1 + 10 * g.after;
    push({ t: at, type: 'invoke', op: id, client: `c${g.client}`, node: 'n', f: g.read ? 'read' : 'write', key, ...(g.read ? {} : { value: id }) });
    if (g.outcome === 'fail') {
      push({ t: done, type: 'fail', op: id });
      return;
    }
    let result: Value | undefined;
    if (g.read) {
      const past = history.get(key) ?? [];
      result = state.get(key) ?? null;
      if (g.lie === 'older' && past.length > 0) result = past[g.pick % past.length] as Value;
      else if (g.lie === 'nil') result = null;
      else if (g.lie === 'other') result = 10_000 + g.pick;
    } else {
      state.set(key, id);
      history.set(key, [...(history.get(key) ?? []), id]);
    }
    if (g.outcome === 'info' && unknown) push({ t: done, type: 'info', op: id });
    else push({ t: done, type: 'ok', op: id, ...(g.read ? { value: result ?? null } : {}) });
  });
  return events.sort((a, b) => a.t - b.t || a.seq - b.seq).map((e) => e.r);
}

function source(records: HistoryRecord[], heads: boolean): LinSource {
  const T = new OpTable();
  for (const r of records) T.push(r);
  const s = tableLinSource(T);
  if (!heads) return { keys: s.keys, ops: s.ops, all: s.all };
  return { ...s, head: (key, count) => s.head!(key, Math.max(1, count / 64)) };
}

describe('register searches started on a head of the ops', () => {
  it('report exactly what the whole searches report', () => {
    let started = 0;
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(genOp, { minLength: 1, maxLength: 120, size: 'large' }),
        fc.constantFrom<CheckOptions['nilRead']>('empty', 'any'),
        fc.constantFrom<number | undefined>(undefined, undefined, 40, 300),
        fc.boolean(),
        (gen, nilRead, max_states, unknown) => {
          const records = build(gen, unknown);
          const opts: CheckOptions = { model: 'register', nilRead, ...(max_states ? { budget: { max_states } } : {}) };
          const heads = source(records, true);
          const head = heads.head!;
          heads.head = (key, count) => {
            const h = head(key, count);
            if (h && h.next !== Infinity) started++;
            return h;
          };
          const got = nonLinearizable(heads, opts);
          expect(got).toEqual(nonLinearizable(source(records, false), opts));
          outcomes.add(String(got.verdict));
        },
      ),
      { numRuns: 1500, seed: 11262026 },
    );
    expect(started).toBeGreaterThan(500); // heads were really used
    expect([...outcomes].sort()).toEqual(['false', 'true', 'unknown']);
  });
});
