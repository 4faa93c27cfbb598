import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { duplicateElements } from '../../src/checker/set-duplicates.js';
import { history, s } from './builders.js';

describe('set reads with duplicates', () => {
  it('a read listing an element twice is an invariant anomaly naming the read, and not linearizable', () => {
    const h = history();
    h.add('a/0', 'k', 100, s(1), s(1.1));
    h.add('a/0', 'k', 110, s(1.2), s(1.3));
    const r = h.read('b/0', 'k', [100, 100, 110], s(2), s(2.1));
    const rep = checkHistory(h.records(), { model: 'set' });
    expect(rep.anomalies.invariant).toMatchObject({ applicable: true, count: 1 });
    expect(rep.anomalies.invariant.witnesses[0]?.ops).toEqual([r]);
    expect(rep.anomalies.invariant.witnesses[0]?.explanation).toContain('listing [100] more than once');
    expect(rep.anomalies.non_linearizable.count).toBe(1);
    expect(rep.anomalies.non_linearizable.witnesses[0]?.ops).toContain(r);
    expect(rep.linearizable).toBe(false);
  });

  it('the same history with the read listing each element once: no anomaly, linearizable', () => {
    const h = history();
    h.add('a/0', 'k', 100, s(1), s(1.1));
    h.add('a/0', 'k', 110, s(1.2), s(1.3));
    h.read('b/0', 'k', [100, 110], s(2), s(2.1));
    const rep = checkHistory(h.records(), { model: 'set' });
    expect(rep.anomalies.invariant).toMatchObject({ applicable: true, count: 0 });
    expect(rep.anomalies.non_linearizable).toMatchObject({ applicable: true, count: 0 });
    expect(rep.linearizable).toBe(true);
  });

  it('duplicateElements compares values structurally', () => {
    expect(duplicateElements([1, 2, 1, 1, 3, 2])).toEqual([1, 2]);
    expect(duplicateElements([{ a: 1, b: 2 }, { b: 2, a: 1 }])).toEqual([{ a: 1, b: 2 }]);
    expect(duplicateElements([1, 2])).toEqual([]);
    expect(duplicateElements(5)).toEqual([]);
  });
});
