import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { history, s } from './builders.js';

const inv = (h: ReturnType<typeof history>) => checkHistory(h.records(), { model: 'set' }).anomalies.invariant;

describe('phantom set elements', () => {
  it('an element in a read that no add wrote', () => {
    const h = history();
    h.add('a/0', 'k', 1, s(1), s(1.1));
    const r = h.read('b/0', 'k', [1, 42], s(2), s(2.1));
    const a = inv(h);
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([r]);
    expect(a.witnesses[0]?.details).toMatchObject({ phantoms: [42] });
  });

  it('an element read before its add was invoked is a phantom too', () => {
    const h = history();
    const r = h.read('b/0', 'k', [5], s(1), s(1.1));
    h.add('a/0', 'k', 5, s(2), s(2.1));
    expect(inv(h).witnesses.map((w) => w.ops)).toEqual([[r]]);
  });

  it('an element in a final set that no add wrote', () => {
    const h = history();
    h.add('a/0', 'k', 1, s(1), s(1.1));
    h.final('k', { 'a/0': [1], 'b/0': [1, 9] });
    const a = inv(h);
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.nodes).toEqual(['b/0']);
  });

  it('elements written by ok, info or open adds, or in the initial set, are no phantoms', () => {
    const h = history();
    h.add('a/0', 'k', 1, s(1), s(1.1));
    h.op({ client: 'a/0', f: 'add', key: 'k', value: 2, at: s(1.2), info: s(1.3) });
    h.op({ client: 'c/0', f: 'add', key: 'k', value: 3, at: s(1.4) });
    h.read('b/0', 'k', [0, 1, 2, 3], s(2), s(2.1));
    h.final('k', { 'a/0': [0, 1, 2, 3] });
    const a = checkHistory(h.records(), { model: 'set', initial: [0] }).anomalies.invariant;
    expect(a).toMatchObject({ applicable: true, count: 0 });
  });

  it('an element whose only add failed is an aborted read, not a phantom', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'add', key: 'k', value: 2, at: s(1), fail: s(1.1) });
    h.read('b/0', 'k', [2], s(2), s(2.1));
    const rep = checkHistory(h.records(), { model: 'set' }).anomalies;
    expect(rep.invariant.count).toBe(0);
    expect(rep.aborted_read.count).toBe(1);
  });
});
