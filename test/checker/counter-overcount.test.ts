import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { history, s } from './builders.js';

const counter = (h: ReturnType<typeof history>, initial?: number) =>
  checkHistory(h.records(), { model: 'counter', ...(initial !== undefined ? { initial } : {}) }).anomalies;

describe('counter overcount', () => {
  it('a final total above initial + every ok/info increment: an increment applied twice', () => {
    const h = history();
    const a = h.add('a/0', 'c', 2, s(1), s(1.1));
    const b = h.op({ client: 'b/0', f: 'add', key: 'c', value: 3, at: s(2), info: s(2.1) });
    h.final('c', { 'a/0': 8, 'b/0': 8 }); // bound 0 + 2 + 3 = 5: 3 counted twice
    const rep = counter(h);
    expect(rep.invariant.count).toBe(1);
    expect(rep.invariant.witnesses[0]?.ops).toEqual([a, b]);
    expect(rep.invariant.witnesses[0]?.nodes).toEqual(['a/0', 'b/0']);
    expect(rep.invariant.witnesses[0]?.details).toMatchObject({ value: 8, bound: 5, excess: 3 });
  });

  it('a read above the increments invoked before it completed, naming the read', () => {
    const h = history();
    h.add('a/0', 'c', 1, s(1), s(1.1));
    const r = h.read('b/0', 'c', 12, s(2), s(2.1));
    h.add('a/0', 'c', 1, s(3), s(3.1)); // invoked after the read: cannot explain it
    const rep = counter(h, 10);
    expect(rep.invariant.count).toBe(1);
    expect(rep.invariant.witnesses[0]?.ops[0]).toBe(r);
  });

  it('totals within the bound (lost increments are not overcounts): zero', () => {
    const h = history();
    h.add('a/0', 'c', 2, s(1), s(1.1));
    h.op({ client: 'b/0', f: 'add', key: 'c', value: 3, at: s(1.5) }); // open: may have happened
    h.read('b/0', 'c', 5, s(2), s(2.1));
    h.read('b/0', 'c', 0, s(2.2), s(2.3));
    h.final('c', { 'a/0': 2, 'b/0': 5 });
    expect(counter(h).invariant).toMatchObject({ applicable: true, count: 0 });
  });

  it('an imported counter history without finals is judged on its reads', () => {
    const h = history();
    h.add('p0', 'c', 1, 1, 2);
    h.read('p1', 'c', 2, 3, 4);
    expect(counter(h).invariant).toMatchObject({ applicable: true, count: 1 });
  });
});
