import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { draftValue, fillDraft, MODEL_OPS, mixRemembers, mixTable, newGenMemory, pickOp, type OpDraft } from '../../src/workload/ops.js';
import { stream } from '../../src/sim/rng.js';
import type { WorkloadModel } from '../../src/scenario/types.js';

describe('operation drafts', () => {
  it('one draft object refilled op after op gives what a fresh draft per op gives, with the same draws', () => {
    const models: WorkloadModel[] = ['register', 'counter', 'set', 'inventory'];
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.array(fc.tuple(fc.nat(5), fc.nat(3)), { minLength: 1, maxLength: 40 }),
        (model, steps) => {
          const ops = MODEL_OPS[model];
          const fresh = { mem: newGenMemory(), rng: stream(3, 'd') };
          const reused = { mem: newGenMemory(), rng: stream(3, 'd') };
          const out: OpDraft = { f: 'read', key: '', value: undefined };
          steps.forEach(([fi, ki], i) => {
            const f = ops[fi % ops.length] as (typeof ops)[number];
            const key = `k${ki}`;
            const want = draftValue(model, f, key, i + 1, fresh.rng, fresh.mem);
            const got = fillDraft(out, model, f, key, i + 1, reused.rng, reused.mem);
            expect(got).toBe(out);
            expect({ f: got.f, key: got.key, value: got.value }).toStrictEqual({ f: want.f, key: want.key, value: want.value });
            // the same number of draws: the streams stay in step
            expect(reused.rng.next()).toBe(fresh.rng.next());
          });
        },
      ),
    );
  });
  it('writes carry the op id, so values are unique per key', () => {
    const mem = newGenMemory();
    const r = stream(1, 'w');
    expect(draftValue('register', 'write', 'k1', 17, r, mem)).toEqual({ f: 'write', key: 'k1', value: 17 });
    expect(draftValue('register', 'write', 'k1', 18, r, mem).value).toBe(18);
  });
  it('a memory that does not remember drafts the same writes and adds, and stays empty', () => {
    const on = newGenMemory();
    const off = newGenMemory(false);
    const steps: Array<['register' | 'set', 'write' | 'add' | 'read']> = [['register', 'write'], ['set', 'add'], ['register', 'read'], ['set', 'add']];
    steps.forEach(([model, f], i) => {
      expect(draftValue(model, f, 'k', i + 1, stream(1, 'm'), off)).toEqual(draftValue(model, f, 'k', i + 1, stream(1, 'm'), on));
    });
    expect(on.lastWritten.size + on.added.size).toBe(2);
    expect(off.lastWritten.size + off.added.size).toBe(0);
  });
  it('only a mix with cas or remove needs the memory', () => {
    expect(mixRemembers(mixTable('register', { read: 0.7, write: 0.3 }))).toBe(false);
    expect(mixRemembers(mixTable('register', { read: 0.5, write: 0.3, cas: 0.2 }))).toBe(true);
    expect(mixRemembers(mixTable('register', { read: 0.5, write: 0.5, cas: 0 }))).toBe(false);
    expect(mixRemembers(mixTable('set', { read: 0.5, add: 0.3, remove: 0.2 }))).toBe(true);
  });
  it('cas expects the value this client last wrote to the key (null at first)', () => {
    const mem = newGenMemory();
    const r = stream(1, 'c');
    expect(draftValue('register', 'cas', 'k', 5, r, mem).value).toEqual([null, 5]);
    draftValue('register', 'write', 'k', 9, r, mem);
    expect(draftValue('register', 'cas', 'k', 12, r, mem).value).toEqual([9, 12]);
  });
  it('set removes only elements this client added, and falls back to a read', () => {
    const mem = newGenMemory();
    const r = stream(1, 's');
    expect(draftValue('set', 'remove', 'k', 1, r, mem)).toEqual({ f: 'read', key: 'k' });
    draftValue('set', 'add', 'k', 2, r, mem);
    expect(draftValue('set', 'remove', 'k', 3, r, mem)).toEqual({ f: 'remove', key: 'k', value: 2 });
  });
  it('inventory reservations carry an idempotency key per order', () => {
    const d = draftValue('inventory', 'reserve', 'k', 44, stream(1, 'i'), newGenMemory());
    expect(d.value).toMatchObject({ order: 'o44' });
  });
  it('the mix is honoured', () => {
    const t = mixTable('register', { read: 0.8, write: 0.2 });
    const r = stream(2, 'mix');
    let reads = 0;
    for (let i = 0; i < 10_000; i++) if (pickOp(t, r) === 'read') reads++;
    expect(reads / 10_000).toBeGreaterThan(0.78);
    expect(reads / 10_000).toBeLessThan(0.82);
  });
});
