/**
 * The search against a brute-force checker on small random histories (any interleaving,
 * random results, ok / info / fail outcomes): both must agree on every history. And the
 * witness is the shortest failing prefix: cut the history (without its failed ops) just
 * before the failing op's completion and it is linearizable; cut just after and it is not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { CheckModel } from '../../../src/checker/types.js';
import type { HistoryRecord, OpFn, Value } from '../../../src/history/types.js';

interface GenOp {
  f: OpFn;
  input: Value | undefined;
  output: Value | undefined;
  outcome: 'ok' | 'info' | 'fail';
  start: number;
  end: number;
}

/** Independent sequential models: the next state, or undefined when the op cannot happen. */
function step(model: CheckModel, state: unknown, op: GenOp, known: boolean): unknown {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  switch (op.f) {
    case 'read':
    case 'get': {
      if (!known) return state;
      if (model === 'set') return same([...(state as number[])].sort(), [...new Set(op.output as number[])].sort()) ? state : undefined;
      return same(state, op.output ?? (model === 'kv' ? '' : null)) ? state : undefined;
    }
    case 'write':
    case 'put':
      return op.input;
    case 'append':
      return String(state) + String(op.input);
    case 'cas': {
      const [from, to] = op.input as [Value, Value];
      if (same(state, from)) return to;
      return known ? undefined : state;
    }
    case 'add':
      if (model === 'counter') return (state as number) + (op.input as number);
      return (state as number[]).includes(op.input as number) ? state : [...(state as number[]), op.input as number];
    case 'remove':
      return (state as number[]).filter((x) => x !== op.input);
    case 'txn': {
      const regs = { ...(state as Record<string, number>) };
      for (const [f, k, v] of op.output as [string, string, number][]) {
        if (f === 'write') regs[k] = v;
        else if (known && regs[k] !== v) return undefined;
      }
      return regs;
    }
    default:
      throw new Error(op.f);
  }
}

function bruteForce(model: CheckModel, ops: GenOp[], init: unknown): boolean {
  const live = ops.filter((o) => o.outcome !== 'fail');
  const required = live.filter((o) => o.outcome === 'ok').length;
  const done = new Set<GenOp>();
  const search = (state: unknown, doneRequired: number): boolean => {
    if (doneRequired === required) return true;
    for (const o of live) {
      if (done.has(o)) continue;
      // real time: every op that completed (ok) before o began must already be placed
      if (live.some((p) => p !== o && !done.has(p) && p.outcome === 'ok' && p.end < o.start)) continue;
      const next = step(model, state, o, o.outcome === 'ok');
      if (next === undefined) continue;
      done.add(o);
      const ok = search(next, doneRequired + (o.outcome === 'ok' ? 1 : 0));
      done.delete(o);
      if (ok) return true;
    }
    return false;
  };
  return search(init, 0);
}

function toRecords(ops: GenOp[]): HistoryRecord[] {
  const events: { at: number; r: HistoryRecord }[] = [];
  ops.forEach((o, id) => {
    // a txn's invocation carries its micro-ops with nil reads; the ok carries the values read
    const input = o.f === 'txn' ? (o.output as Value[][]).map(([f, k, v]) => [f!, k!, f === 'read' ? null : v!]) : o.input;
    events.push({
      at: o.start,
      r: { t: o.start, type: 'invoke', op: id, client: `c${id}`, node: 'n', f: o.f, key: 'k', ...(input !== undefined ? { value: input } : {}) },
    });
    const done: HistoryRecord =
      o.outcome === 'ok'
        ? { t: o.end, type: 'ok', op: id, ...(o.output !== undefined ? { value: o.output } : {}) }
        : { t: o.end, type: o.outcome, op: id };
    events.push({ at: o.end, r: done });
  });
  return events.sort((a, b) => a.at - b.at).map((e) => e.r);
}

const small = fc.integer({ min: 0, max: 2 });
const outcome = fc.constantFrom<GenOp['outcome']>('ok', 'ok', 'ok', 'info', 'fail');

function opArb(model: CheckModel, outcomes = outcome): fc.Arbitrary<Omit<GenOp, 'start' | 'end'>> {
  const o = <T extends object>(r: fc.Arbitrary<T>) => fc.tuple(r, outcomes).map(([x, oc]) => ({ input: undefined, output: undefined, ...x, outcome: oc }));
  switch (model) {
    case 'register':
    case 'cas-register':
      return fc.oneof(
        o(fc.record({ f: fc.constant<OpFn>('read'), output: fc.option(small, { nil: null }) })),
        o(fc.record({ f: fc.constant<OpFn>('write'), input: small })),
        ...(model === 'cas-register' ? [o(fc.record({ f: fc.constant<OpFn>('cas'), input: fc.tuple(small, small) }))] : []),
      );
    case 'kv':
      return fc.oneof(
        o(fc.record({ f: fc.constant<OpFn>('get'), output: fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'aa') })),
        o(fc.record({ f: fc.constant<OpFn>('put'), input: fc.constantFrom('a', 'b') })),
        o(fc.record({ f: fc.constant<OpFn>('append'), input: fc.constantFrom('a', 'b') })),
      );
    case 'multi-register': {
      const micro = fc.tuple(fc.constantFrom('read', 'write'), fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 1 }));
      return o(fc.record({ f: fc.constant<OpFn>('txn'), output: fc.array(micro, { minLength: 1, maxLength: 2 }) }));
    }
    case 'counter':
      return fc.oneof(
        o(fc.record({ f: fc.constant<OpFn>('read'), output: fc.integer({ min: 0, max: 4 }) })),
        o(fc.record({ f: fc.constant<OpFn>('add'), input: fc.integer({ min: 1, max: 2 }) })),
      );
    default:
      return fc.oneof(
        o(fc.record({ f: fc.constant<OpFn>('read'), output: fc.subarray([0, 1, 2]) })),
        o(fc.record({ f: fc.constant<OpFn>('add'), input: small })),
        o(fc.record({ f: fc.constant<OpFn>('remove'), input: small })),
      );
  }
}

/** 1..7 ops with distinct start/end positions (any interleaving). */
function historyArb(model: CheckModel, outcomes = outcome, maxLength = 7): fc.Arbitrary<GenOp[]> {
  return fc
    .array(opArb(model, outcomes), { minLength: 1, maxLength })
    .chain((ops) =>
      fc.shuffledSubarray(Array.from({ length: 2 * ops.length }, (_, i) => i), { minLength: 2 * ops.length, maxLength: 2 * ops.length }).map((slots) =>
        ops.map((o, i) => {
          const [a, b] = [slots[2 * i]!, slots[2 * i + 1]!];
          return { ...o, start: Math.min(a, b), end: Math.max(a, b) };
        }),
      ),
    );
}

const INIT: Record<string, unknown> = { register: null, 'cas-register': null, kv: '', counter: 0, set: [], 'multi-register': { x: 0, y: 0 } };

describe('search agrees with brute force', () => {
  for (const model of ['register', 'cas-register', 'kv', 'counter', 'set', 'multi-register'] as const) {
    it(model, () => {
      fc.assert(
        fc.property(historyArb(model), (ops) => {
          const initial = model === 'multi-register' ? INIT[model] : undefined;
          const got = nonLinearizable(toRecords(ops), { model, nilRead: 'empty', ...(initial ? { initial } : {}) }).verdict;
          expect(got).toBe(bruteForce(model, ops, INIT[model]));
        }),
        { numRuns: 400 },
      );
    });
  }
});

// Half the ops open: the search's pruning after open ops (take next only an op the open op
// affects; restricted configurations memoised apart) must not change a verdict.
const mostlyOpen = fc.constantFrom<GenOp['outcome']>('ok', 'info', 'info', 'ok', 'fail');

describe('search agrees with brute force when many ops are open', () => {
  for (const model of ['register', 'cas-register', 'kv', 'counter', 'multi-register'] as const) {
    it(model, () => {
      fc.assert(
        fc.property(historyArb(model, mostlyOpen, 8), (ops) => {
          const initial = model === 'multi-register' ? INIT[model] : undefined;
          const got = nonLinearizable(toRecords(ops), { model, nilRead: 'empty', ...(initial ? { initial } : {}) }).verdict;
          expect(got).toBe(bruteForce(model, ops, INIT[model]));
        }),
        { numRuns: 500, seed: 9 },
      );
    });
  }
});

describe('the witness is the shortest failing prefix', () => {
  it('register: linearizable just before the failing completion, not just after', () => {
    fc.assert(
      fc.property(historyArb('register'), (ops) => {
        // failed ops are dropped first (a cut would otherwise hide their failure and leave them open)
        const records = toRecords(ops.filter((o) => o.outcome !== 'fail'));
        const r = nonLinearizable(records, { model: 'register' });
        fc.pre(r.verdict === false);
        const failed = r.report.witnesses[0]!.ops[0]!;
        const cut = records.findIndex((x) => x.type === 'ok' && x.op === failed);
        expect(nonLinearizable(records.slice(0, cut), { model: 'register' }).verdict).toBe(true);
        expect(nonLinearizable(records.slice(0, cut + 1), { model: 'register' }).verdict).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
