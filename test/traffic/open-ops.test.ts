import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OpenOps } from '../../src/traffic/open-ops.js';

describe('open attempts by op id', () => {
  it('behaves as a Map under any order of sets and deletes', () => {
    const step = fc.oneof(
      fc.record({ k: fc.constant('set' as const), id: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ k: fc.constant('del' as const), id: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ k: fc.constant('next' as const), n: fc.integer({ min: 1, max: 2500 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const m = new Map<number, number>();
        const o = new OpenOps<number>();
        let next = 1;
        for (const s of steps) {
          if (s.k === 'set') {
            m.set(s.id, s.id * 2);
            o.set(s.id, s.id * 2);
          } else if (s.k === 'del') {
            expect(o.delete(s.id)).toBe(m.delete(s.id));
          } else {
            // the simulator's pattern: many ids counting up, most closed soon after
            for (let i = 0; i < s.n; i++, next++) {
              m.set(next, next);
              o.set(next, next);
              if (next > 3) {
                m.delete(next - 3);
                o.delete(next - 3);
              }
            }
          }
          expect(o.size).toBe(m.size);
        }
        for (let id = 0; id < next + 10; id++) expect(o.get(id)).toBe(m.get(id));
        expect(o.values()).toEqual([...m.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]));
      }),
      { numRuns: 100 },
    );
  });
  it('keeps only the window of open ids, not every id ever opened', () => {
    const o = new OpenOps<number>();
    for (let id = 1; id <= 100_000; id++) {
      o.set(id, id);
      if (id > 5) o.delete(id - 5);
    }
    expect(o.size).toBe(5);
    expect((o as unknown as { slots: unknown[] }).slots.length).toBeLessThan(5000);
  });
});
