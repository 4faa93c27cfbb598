import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { history, s } from './builders.js';

const inv = (h: ReturnType<typeof history>) => checkHistory(h.records(), { model: 'register' }).anomalies.invariant;

/** Two concurrent writes (1 at a/0, 2 at b/0), then a/0 reads both siblings and writes 3 over them. */
function resolved(): { h: ReturnType<typeof history>; w1: number; w2: number; w3: number } {
  const h = history();
  const w1 = h.write('a/0', 'k', 1, s(1), s(1.01));
  const w2 = h.write('b/0', 'k', 2, s(1), s(1.01));
  h.read('a/0', 'k', [1, 2], s(2), s(2.01));
  const w3 = h.write('a/0', 'k', 3, s(3), s(3.01));
  h.final('k', { 'a/0': 3, 'b/0': 3 });
  return { h, w1, w2, w3 };
}

describe('superseded version-vector siblings', () => {
  it('a read returning a sibling beside the write that replaced it', () => {
    const { h, w2, w3 } = resolved();
    const r = h.read('c/0', 'k', [2, 3], s(4), s(4.01));
    const a = inv(h);
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([r, w3, w2]);
    expect(a.witnesses[0]?.explanation).toContain('with 2 beside 3');
  });

  it('supersession is transitive: a write based on a write based on v1', () => {
    const h = history();
    const w1 = h.write('a/0', 'k', 1, s(1), s(1.01));
    h.write('a/0', 'k', 3, s(2), s(2.01)); // a/0's own write 1 is in its context
    h.read('c/0', 'k', 3, s(3), s(3.01));
    const w5 = h.write('c/0', 'k', 5, s(4), s(4.01));
    const r = h.read('d/0', 'k', [1, 5], s(5), s(5.01));
    expect(inv(h).witnesses.map((w) => w.ops)).toEqual([[r, w5, w1]]);
  });

  it('concurrent siblings, reads before the overwrite was acknowledged, and a crash that may lose the context: none', () => {
    const { h } = resolved();
    h.write('d/0', 'k', 4, s(3), s(3.01)); // never saw 3: concurrent with it
    h.read('c/0', 'k', [3, 4], s(4), s(4.01));
    h.read('c/0', 'k', [1, 2], s(2.5), s(3.005)); // began before 3 was acknowledged
    const g = history();
    g.write('a/0', 'k', 1, s(1), s(1.01));
    g.fault(s(1.5), 'crash', { target: 'a/0', nodes: ['a/0'], lose_volatile: true });
    g.write('a/0', 'k', 3, s(2), s(2.01));
    g.read('c/0', 'k', [1, 3], s(3), s(3.01));
    for (const x of [h, g]) expect(inv(x)).toMatchObject({ applicable: true, count: 0 });
  });
});
