import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const inv = (h: ReturnType<typeof history>, opts: CheckOptions) => checkHistory(h.records(), opts).anomalies.invariant;
const inventory: CheckOptions = { model: 'inventory', initialStock: 2 };

describe('invariant', () => {
  it('engine safety records are counted with their message and ops', () => {
    const h = history();
    const w = h.write('a/0', 'k', 1, s(1), s(1.1));
    h.fault(s(2), 'invariant', { message: 'two leaders in term 3', ops: [w], node: 'a/1' });
    h.final('k', { 'a/0': 1 });
    const r = inv(h, { model: 'register' });
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([w]);
    expect(r.witnesses[0]?.nodes?.[0]).toBe('a/1');
    expect(r.witnesses[0]?.explanation).toBe('at 2.000 s the engine reported a broken safety invariant: two leaders in term 3');
  });

  it('white-box history without invariant records: zero', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    h.final('k', { 'a/0': 1 });
    expect(inv(h, { model: 'register' })).toMatchObject({ applicable: true, count: 0 });
  });

  it('black-box register history: not applicable', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    expect(inv(h, { model: 'register' })).toMatchObject({ applicable: false, count: null });
  });

  it('nemesis events in an imported history do not make it white-box', () => {
    const h = history();
    h.fault(s(0.5), 'start', { process: 'nemesis' });
    h.write('a/0', 'k', 1, s(1), s(1.1));
    expect(inv(h, { model: 'register' })).toMatchObject({ applicable: false, count: null });
  });

  it('oversell: acknowledged reservations exceed the stock', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1) });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o2' }, at: s(1), ok: s(1.2) });
    const third = h.op({ client: 'c/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o3' }, at: s(1), ok: s(1.3) });
    const r = inv(h, inventory);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([third]);
    expect(r.witnesses[0]?.explanation).toContain('oversell');
    expect(r.witnesses[0]?.explanation).toContain('1.300 s');
  });

  it('no oversell from one order acknowledged again (a retried order takes its units once)', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1), result: { remaining: 1, stock_before: 2 } });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(2), ok: s(2.1), result: { remaining: 1, repeat: true } });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o2' }, at: s(3), ok: s(3.1), result: { remaining: 0, stock_before: 1 } });
    expect(inv(h, inventory)).toMatchObject({ applicable: true, count: 0 });
  });

  it('no oversell when a restock of unknown outcome may cover it', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'restock', key: 'sku', value: { qty: 1 }, at: s(0.5), info: s(0.9) });
    for (const c of ['a/0', 'b/0', 'c/0']) {
      h.op({ client: c, f: 'reserve', key: 'sku', value: { qty: 1, order: c }, at: s(1), ok: s(1.1) });
    }
    expect(inv(h, inventory).count).toBe(0);
  });

  it('oversell: final stock below zero at a replica', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1) });
    h.final('sku', { 'a/0': 1, 'b/0': -1 });
    const r = inv(h, inventory);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.nodes).toEqual(['b/0']);
  });

  it('oversell: an acknowledged reservation reporting negative remaining stock', () => {
    const h = history();
    const o = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 3, order: 'o1' }, at: s(1), ok: s(1.1), result: { remaining: -1 } });
    expect(inv(h, inventory).witnesses[0]?.ops).toEqual([o]);
  });

  it('double apply: one order reserved twice at one node', () => {
    const h = history();
    const o1 = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), info: s(3) });
    const o2 = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(3.5), ok: s(3.6) });
    h.apply(s(2), 'b/0', 'sku', 1, o1);
    h.apply(s(3.55), 'b/0', 'sku', 0, o2);
    h.apply(s(2.5), 'c/0', 'sku', 1, o1);
    const r = inv(h, { model: 'inventory', initialStock: 5 });
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([o1, o2]);
    expect(r.witnesses[0]?.nodes).toEqual(['b/0']);
    expect(r.witnesses[0]?.explanation).toContain('double apply');
  });

  it('the same order applied once at each of two nodes is replication, not double apply', () => {
    const h = history();
    const o1 = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1) });
    h.apply(s(1.05), 'a/0', 'sku', 4, o1);
    h.apply(s(1.2), 'b/0', 'sku', 4, o1);
    expect(inv(h, { model: 'inventory', initialStock: 5 }).count).toBe(0);
  });
});
