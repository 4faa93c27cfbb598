/**
 * Properties of the linearizability checker on generated histories:
 * - a history produced by a sequential execution, with each op's real-time window stretched
 *   at random around its point (and some outcomes made unknown), is always linearizable;
 * - in a history without concurrency, changing one read to an older write's value is caught.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { CheckModel } from '../../../src/checker/types.js';
import type { HistoryRecord, OpFn, Value } from '../../../src/history/types.js';

interface Planned {
  f: OpFn;
  key: string;
  input?: Value;
  /** chosen by the generator: pre-window, post-window, completion kind */
  before: number;
  after: number;
  outcome: 'ok' | 'info' | 'info-never';
}

/** Runs `ops` in order against a sequential model; returns each op's result (undefined: no effect/failed). */
function execute(model: CheckModel, ops: Planned[]): { value: Value | undefined; failed: boolean }[] {
  const state = new Map<string, unknown>();
  const init = (): unknown => (model === 'kv' ? '' : model === 'counter' ? 0 : model === 'set' ? [] : null);
  return ops.map((op) => {
    if (op.outcome === 'info-never') return { value: undefined, failed: false }; // never took effect
    const cur = state.has(op.key) ? state.get(op.key) : init();
    switch (op.f) {
      case 'read':
      case 'get':
        return { value: cur as Value, failed: false };
      case 'write':
      case 'put':
        state.set(op.key, op.input);
        return { value: op.input, failed: false };
      case 'append':
        state.set(op.key, String(cur) + String(op.input));
        return { value: op.input, failed: false };
      case 'add':
        if (model === 'counter') state.set(op.key, (cur as number) + (op.input as number));
        else state.set(op.key, [...new Set([...(cur as number[]), op.input as number])].sort((a, b) => a - b));
        return { value: op.input, failed: false };
      case 'remove':
        state.set(op.key, (cur as number[]).filter((x) => x !== op.input));
        return { value: op.input, failed: false };
      case 'cas': {
        const [from, to] = op.input as [Value, Value];
        if (cur !== from) return { value: undefined, failed: true };
        state.set(op.key, to);
        return { value: op.input, failed: false };
      }
      default:
        throw new Error(`no ${op.f} in the test model`);
    }
  });
}

/** Records for ops whose linearization points are 10, 20, 30, ...; windows stretched around them. */
function toHistory(ops: Planned[], results: ReturnType<typeof execute>): HistoryRecord[] {
  const events: { t: number; seq: number; r: HistoryRecord }[] = [];
  ops.forEach((op, id) => {
    const point = 10 * (id + 1);
    const call_t = point - op.before;
    const ret_t = point + op.after;
    events.push({
      t: call_t,
      seq: events.length,
      r: { t: call_t, type: 'invoke', op: id, client: `c${id}`, node: 'n', f: op.f, key: op.key, ...(op.input !== undefined ? { value: op.input } : {}) },
    });
    const res = results[id]!;
    const r: HistoryRecord = res.failed
      ? { t: ret_t, type: 'fail', op: id }
      : op.outcome === 'ok'
        ? { t: ret_t, type: 'ok', op: id, ...(res.value !== undefined ? { value: res.value } : {}) }
        : { t: ret_t, type: 'info', op: id };
    events.push({ t: ret_t, seq: events.length, r });
  });
  events.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return events.map((e) => e.r);
}

const window = fc.integer({ min: 0, max: 45 });
const outcome = fc.constantFrom<Planned['outcome']>('ok', 'ok', 'ok', 'ok', 'info', 'info-never');
const key = fc.constantFrom('a', 'b');

function plannedOps(model: CheckModel): fc.Arbitrary<Planned[]> {
  const small = fc.integer({ min: 0, max: 4 });
  const fns: Record<string, fc.Arbitrary<{ f: OpFn; input?: Value }>> = {
    register: fc.oneof(fc.record({ f: fc.constant<OpFn>('read') }), fc.record({ f: fc.constant<OpFn>('write'), input: small })),
    'cas-register': fc.oneof(
      fc.record({ f: fc.constant<OpFn>('read') }),
      fc.record({ f: fc.constant<OpFn>('write'), input: small }),
      fc.record({ f: fc.constant<OpFn>('cas'), input: fc.tuple(small, small) }),
    ),
    kv: fc.oneof(
      fc.record({ f: fc.constant<OpFn>('get') }),
      fc.record({ f: fc.constant<OpFn>('put'), input: fc.constantFrom('p', 'q') }),
      fc.record({ f: fc.constant<OpFn>('append'), input: fc.constantFrom('x', 'y', 'z') }),
    ),
    counter: fc.oneof(fc.record({ f: fc.constant<OpFn>('read') }), fc.record({ f: fc.constant<OpFn>('add'), input: fc.integer({ min: -2, max: 3 }) })),
    set: fc.oneof(
      fc.record({ f: fc.constant<OpFn>('read') }),
      fc.record({ f: fc.constant<OpFn>('add'), input: small }),
      fc.record({ f: fc.constant<OpFn>('remove'), input: small }),
    ),
  };
  const op = fc.record({ fn: fns[model]!, key, before: window, after: window, outcome });
  return fc.array(op, { minLength: 1, maxLength: 24 }).map((list) =>
    list.map(({ fn, key: k, before, after, outcome: o }) => ({
      f: fn.f,
      key: k,
      ...(fn.input !== undefined ? { input: fn.input } : {}),
      before,
      after,
      // reads with unknown outcome constrain nothing either way; keep them ok
      outcome: fn.f === 'read' || fn.f === 'get' ? 'ok' : o,
    })),
  );
}

describe('generated from a sequential execution', () => {
  for (const model of ['register', 'cas-register', 'kv', 'counter', 'set'] as const) {
    it(`is always linearizable (${model})`, () => {
      fc.assert(
        fc.property(plannedOps(model), (ops) => {
          const records = toHistory(ops, execute(model, ops));
          const r = nonLinearizable(records, { model });
          expect(r.verdict, JSON.stringify(records)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('without concurrency', () => {
  it('a read changed to an older write\'s value is always caught', () => {
    const step = fc.record({ read: fc.boolean(), key });
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 40 }), fc.nat(), fc.nat(), (steps, pickRead, pickOlder) => {
        // unique write values; reads return the latest write to their key
        const ops: Planned[] = steps.map((s, i) => ({
          f: s.read ? 'read' : 'write',
          key: s.key,
          ...(s.read ? {} : { input: 100 + i }),
          before: 0,
          after: 0,
          outcome: 'ok',
        }));
        const results = execute('register', ops);
        // candidate: a read whose key has a write older than the one it saw
        const candidates: { read: number; older: number[] }[] = [];
        ops.forEach((op, i) => {
          if (op.f !== 'read') return;
          const writes = ops.map((w, j) => ({ w, j })).filter(({ w, j }) => j < i && w.f === 'write' && w.key === op.key);
          if (writes.length >= 2) candidates.push({ read: i, older: writes.slice(0, -1).map(({ j }) => j) });
        });
        fc.pre(candidates.length > 0);
        const c = candidates[pickRead % candidates.length]!;
        const older = c.older[pickOlder % c.older.length]!;
        results[c.read] = { value: ops[older]!.input, failed: false };
        // no concurrency: each op's window is its own slot
        const r = nonLinearizable(toHistory(ops, results), { model: 'register' });
        expect(r.verdict).toBe(false);
        expect(r.report.witnesses[0]!.ops[0]).toBe(c.read);
      }),
      { numRuns: 300 },
    );
  });
});
