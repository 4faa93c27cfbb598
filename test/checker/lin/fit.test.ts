import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linModel } from '../../../src/checker/lin/models/index.js';
import { historyMisfit, modelMisfit } from '../../../src/checker/lin/models/fit.js';
import type { LinOp } from '../../../src/checker/lin/ops.js';
import type { CheckModel } from '../../../src/checker/types.js';
import type { OpFn, Value } from '../../../src/history/types.js';
import { hist } from './dsl.js';

const MODELS: CheckModel[] = ['register', 'cas-register', 'multi-register', 'kv', 'counter', 'set'];
const FNS: OpFn[] = ['read', 'write', 'cas', 'add', 'remove', 'reserve', 'restock', 'txn', 'get', 'put', 'append'];

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('read', 'r', 'w', 'write', 'append', 'x', ''),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

const op = (f: OpFn, input: Value | undefined, output: Value | undefined, known: boolean): LinOp => ({
  id: 1,
  client: 'c',
  f,
  key: 'k',
  input,
  output: known ? output : undefined,
  known,
  call_t: 0,
  ret_t: known ? 1 : null,
  callPos: 0,
  retPos: known ? 1 : Infinity,
});

describe('modelMisfit', () => {
  it('refuses every op a model compiler would ignore as unknown (no drift between the two)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...FNS), fc.option(value, { nil: undefined }), value, fc.boolean(), (model, f, input, output, known) => {
        const o = op(f, input, output, known);
        const compiled = linModel(model)!.compile([o], { initial: null, nilRead: 'empty' });
        if (compiled.unsupported > 0) expect(modelMisfit(model, o)).toBeDefined();
      }),
      { seed: 13, numRuns: 4000 },
    );
  });
  it('refuses reads whose result is not a state of the model (silently dropped by the search)', () => {
    expect(modelMisfit('set', op('read', undefined, 300, true))).toBe('a set read must return a list of elements');
    expect(modelMisfit('counter', op('read', undefined, 'abc', true))).toBe('a counter read must return a number');
    expect(modelMisfit('multi-register', op('txn', [['append', 'x', 1]], undefined, false))).toContain('no micro-op "append"');
    expect(modelMisfit('cas-register', op('cas', 3, undefined, true))).toBe('a cas needs the value [expected, new]');
  });
  it('accepts what the models judge: sibling reads, nil reads, short micro-op names, open ops', () => {
    expect(modelMisfit('register', op('read', undefined, [1, 2], true))).toBeUndefined();
    expect(modelMisfit('set', op('read', undefined, null, true))).toBeUndefined();
    expect(modelMisfit('counter', op('add', 2, undefined, false))).toBeUndefined();
    expect(modelMisfit('multi-register', op('txn', [['r', 'x', null]], [['r', 'x', 1]], true))).toBeUndefined();
    expect(modelMisfit('kv', op('append', 'x 1 y', undefined, true))).toBeUndefined();
  });
  it('names the first op a model cannot judge, by its invoke record', () => {
    const records = hist(`
      a inv 1 add k 5
      ok 1
      a inv 2 read k
      ok 2 300`);
    expect(historyMisfit(records, 'set')).toEqual({ index: 2, op: 2, why: 'a set read must return a list of elements' });
    expect(historyMisfit(records, 'register')).toEqual({ index: 0, op: 1, why: 'the register model has no "add" (it knows read, get, write, put, cas)' });
    expect(historyMisfit(records, 'counter')).toBeUndefined();
  });
});
