import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const div = (h: ReturnType<typeof history>, opts: CheckOptions = { model: 'register' }) =>
  checkHistory(h.records(), opts).anomalies.divergence;

describe('divergence', () => {
  it('replicas holding different values after settle, witness replica → value and the writes', () => {
    const h = history();
    const w1 = h.write('us-east/0', 'balance', 300, s(1), s(1.1));
    const w2 = h.write('eu-west/0', 'balance', 500, s(1), s(1.1));
    h.final('balance', { 'us-east/0': 300, 'us-east/1': 300, 'eu-west/0': 500 });
    h.final('other', { 'us-east/0': 1, 'us-east/1': 1, 'eu-west/0': 1 });
    const r = div(h);
    expect(r.count).toBe(1);
    const w = r.witnesses[0];
    expect(w?.key).toBe('balance');
    expect(w?.details?.['replicas']).toEqual({ 'eu-west/0': 500, 'us-east/0': 300, 'us-east/1': 300 });
    expect(w?.ops.sort()).toEqual([w1, w2].sort());
    expect(w?.clients?.sort()).toEqual(['eu-west/0', 'us-east/0']);
    expect(w?.times_us?.sort()).toEqual([s(1.1), s(1.1)]);
    expect(w?.explanation).toContain('500 at eu-west/0');
    expect(w?.explanation).toContain('300 at us-east/0 and us-east/1');
  });

  it('sibling sets compare as sets', () => {
    const h = history();
    h.final('k', { 'a/0': [300, 500], 'b/0': [500, 300] });
    expect(div(h).count).toBe(0);
  });

  it('different sibling sets diverge', () => {
    const h = history();
    h.final('k', { 'a/0': [300, 500], 'b/0': [500] });
    expect(div(h).count).toBe(1);
  });

  it('a live replica that applied a key but lost it diverges from one that holds it', () => {
    const h = history();
    const w = h.write('a/0', 'k', 1, s(1), s(1.1));
    h.apply(s(1.05), 'a/0', 'k', 1, w);
    h.apply(s(1.2), 'b/0', 'k', 1, w);
    h.final('k', { 'a/0': 1 });
    h.final('z', { 'b/0': 9, 'a/0': 9 });
    const r = div(h);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.details?.['replicas']).toEqual({ 'a/0': 1, 'b/0': null });
  });

  it('a node that never held the key (partial replication) and a down node are not replicas', () => {
    const h = history();
    const w = h.write('a/0', 'k', 1, s(1), s(1.1));
    h.apply(s(1.05), 'a/0', 'k', 1, w);
    h.apply(s(1.05), 'down/0', 'k', 1, w); // down at the end: no final records at all
    h.final('k', { 'a/0': 1 });
    h.final('z', { 'c/0': 2 });
    expect(div(h).count).toBe(0);
  });

  it('counter totals that differ diverge', () => {
    const h = history();
    h.final('n', { 'a/0': 3, 'b/0': 2 });
    expect(div(h, { model: 'counter' }).count).toBe(1);
  });

  it('black-box histories: not applicable, count null', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    const r = div(h);
    expect(r).toMatchObject({ applicable: false, count: null });
    expect(r.note).toContain('final');
  });
});
