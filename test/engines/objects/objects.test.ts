// The objects' one sequential definition (src/engines/objects): the cases on which the three
// engines' former copies disagreed, each decided once here.
import { describe, expect, it } from 'vitest';
import { initialState, stepObject, visibleState, type ObjectState } from '../../../src/engines/model.js';
import type { Value } from '../../../src/history/types.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';

/** Runs ops in sequence; returns each reply (`ok` value or `fail` error) and the final state. */
function runOps(model: WorkloadModel, ops: Array<[string, Value?]>): { replies: unknown[]; state: ObjectState } {
  let state = initialState(model);
  const replies: unknown[] = [];
  for (const [f, v] of ops) {
    const o = stepObject(model, state, f, v, { version: `v${replies.length}` });
    if (o.type === 'write') state = o.next;
    replies.push(o.type === 'fail' ? { fail: o.error } : o.type === 'read' ? { ok: o.value } : { ok: o.result });
  }
  return { replies, state };
}

describe('one model per object', () => {
  it('register: put is the kv model\'s operation, refused like any op outside the model', () => {
    const { replies, state } = runOps('register', [['write', 1], ['put', 2], ['read']]);
    expect(replies).toEqual([{ ok: 1 }, { fail: 'bad-request: put is not a register operation' }, { ok: 1 }]);
    expect(state).toBe(1);
  });

  it('register: cas compares values structurally, whatever the key order', () => {
    const { replies } = runOps('register', [['write', { a: 1, b: [2, 3] }], ['cas', [{ b: [2, 3], a: 1 }, 5]], ['cas', [{ a: 1 }, 6]], ['read']]);
    expect(replies).toEqual([{ ok: { a: 1, b: [2, 3] } }, { ok: [{ b: [2, 3], a: 1 }, 5] }, { fail: 'cas-mismatch' }, { ok: 5 }]);
  });

  it('register: a cas without [expected, new] is a bad request, not a cas of null', () => {
    expect(runOps('register', [['cas', 3]]).replies).toEqual([{ fail: 'bad-request: cas takes [expected, new]' }]);
  });

  it('counter: add answers its delta; a non-number add is refused', () => {
    expect(runOps('counter', [['add', 3], ['add', -1], ['add', 'x'], ['read']]).replies).toEqual([
      { ok: 3 },
      { ok: -1 },
      { fail: 'bad-request: add takes a number' },
      { ok: 2 },
    ]);
  });

  it('set: elements are kept once, in one order (numbers ascending, then strings); adding a present one changes nothing', () => {
    const { replies, state } = runOps('set', [['add', 'b'], ['add', 10], ['add', 2], ['add', 2], ['remove', 7], ['read']]);
    expect(replies.at(-1)).toEqual({ ok: [2, 10, 'b'] });
    expect(state).toEqual([2, 10, 'b']);
  });

  it('inventory: a negative or zero restock is refused (the scenario format allows positive integers only)', () => {
    const { replies, state } = runOps('inventory', [['restock', -5], ['restock', 0], ['restock', 2.5], ['restock', 10], ['read']]);
    expect(replies.slice(0, 3)).toEqual([
      { fail: 'bad-request: restock takes a positive integer' },
      { fail: 'bad-request: restock takes a positive integer' },
      { fail: 'bad-request: restock takes a positive integer' },
    ]);
    expect(replies.slice(3)).toEqual([{ ok: 10 }, { ok: 110 }]);
    expect(visibleState('inventory', state)).toBe(110);
  });

  it('inventory: an order is an idempotency key whether a string or a number, and 7 is not "7"', () => {
    const { replies } = runOps('inventory', [
      ['reserve', { qty: 5, order: 7 }],
      ['reserve', { qty: 5, order: 7 }],
      ['reserve', { qty: 5, order: '7' }],
      ['reserve', { qty: 1 }],
      ['reserve', { qty: 1 }],
      ['read'],
    ]);
    expect(replies).toEqual([
      { ok: { remaining: 95, stock_before: 100, version: 'v0' } },
      { ok: { remaining: 95, repeat: true } },
      { ok: { remaining: 90, stock_before: 95, version: 'v2' } },
      // without an order a reservation is never a repeat
      { ok: { remaining: 89, stock_before: 90, version: 'v3' } },
      { ok: { remaining: 88, stock_before: 89, version: 'v4' } },
      { ok: 88 },
    ]);
  });

  it('inventory: a reservation beyond the stock fails; a bad quantity is refused', () => {
    expect(runOps('inventory', [['reserve', { qty: 101, order: 'a' }], ['reserve', { qty: 0 }], ['reserve', { order: 'b' }], ['reserve', 3]]).replies).toEqual([
      { fail: 'out-of-stock' },
      { fail: 'bad-request: reserve qty must be a positive integer' },
      { fail: 'bad-request: reserve qty must be a positive integer' },
      { fail: 'bad-request: reserve takes { qty, order? }' },
    ]);
  });

  it('steps never mutate the state they are given', () => {
    const s0 = initialState('inventory');
    const copy = JSON.stringify(s0);
    stepObject('inventory', s0, 'reserve', { qty: 1, order: 'x' });
    stepObject('inventory', s0, 'restock', 4);
    expect(JSON.stringify(s0)).toBe(copy);
    const set: ObjectState = [1, 2];
    stepObject('set', set, 'remove', 1);
    stepObject('set', set, 'add', 3);
    expect(set).toEqual([1, 2]);
  });
});
