import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const inventory: CheckOptions = { model: 'inventory', initialStock: 100 };
const inv = (h: ReturnType<typeof history>) => checkHistory(h.records(), inventory).anomalies.invariant;

describe('orders billed twice', () => {
  it('two ok reservations of one order in two regions: invariant, both ops as witness', () => {
    const h = history();
    const x = h.op({ client: 'us/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o7' }, at: s(1), ok: s(1.01), result: { remaining: 99 } });
    const y = h.op({ client: 'eu/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o7' }, at: s(1.02), ok: s(1.03), result: { remaining: 99 } });
    const a = inv(h);
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([x, y]);
    expect(a.witnesses[0]?.nodes).toEqual(['us/0', 'eu/0']);
    expect(a.witnesses[0]?.explanation).toContain('order "o7" of i was acknowledged as reserved 2 times');
  });

  it('distinct orders, a failed repeat, a repeat acknowledged as not applied, another item: no double bill', () => {
    const h = history();
    h.op({ client: 'us/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.01), result: { remaining: 99 } });
    h.op({ client: 'us/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o2' }, at: s(2), ok: s(2.01), result: { remaining: 98 } });
    h.op({ client: 'eu/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o2' }, at: s(3), fail: s(3.01) });
    h.op({ client: 'eu/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o1' }, at: s(4), ok: s(4.01), result: { remaining: 98, stock_before: 98 } });
    h.op({ client: 'eu/0', f: 'reserve', key: 'j', value: { qty: 1, order: 'o1' }, at: s(5), ok: s(5.01), result: { remaining: 99 } });
    expect(inv(h)).toMatchObject({ applicable: true, count: 0 });
  });

  it('an imported (black-box) inventory history is judged too', () => {
    const h = history();
    h.op({ client: 'p1', node: 'p1', f: 'reserve', key: 'i', value: { qty: 2, order: 5 }, at: 1, ok: 2 });
    h.op({ client: 'p2', node: 'p2', f: 'reserve', key: 'i', value: { qty: 2, order: 5 }, at: 3, ok: 4 });
    expect(inv(h)).toMatchObject({ applicable: true, count: 1 });
  });
});
