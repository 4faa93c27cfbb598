// The Wilson score interval against an independent implementation written here from
// Wilson (1927) / Newcombe (1998) eq. 3 (closed form with the ± square root), and
// against values published in Newcombe (1998), Table I (95%, z = 1.96).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanCI, wilson } from '../../src/sweep/stats.js';

/** Newcombe's form: (2np + z² ± z·sqrt(z² + 4np(1-p))) / (2(n + z²)). */
function newcombe(k: number, n: number, z: number): [number, number] {
  const p = k / n;
  const root = z * Math.sqrt(z * z + 4 * n * p * (1 - p));
  return [(2 * n * p + z * z - root) / (2 * (n + z * z)), (2 * n * p + z * z + root) / (2 * (n + z * z))];
}

describe('wilson', () => {
  it('matches Newcombe (1998) Table I', () => {
    // 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611; 1/29 → 0.0061–0.1718
    const cases: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, lo, hi] of cases) {
      const ci = wilson(k, n, 1.96);
      expect(ci).not.toBeNull();
      expect((ci as [number, number])[0]).toBeCloseTo(lo, 4);
      expect((ci as [number, number])[1]).toBeCloseTo(hi, 4);
    }
  });
  it('agrees with the independent form for every k ≤ n, stays in [0, 1] and contains k/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.floor(f * n);
        const [lo, hi] = wilson(k, n) as [number, number];
        const [a, b] = newcombe(k, n, 1.959963984540054);
        return Math.abs(lo - Math.max(0, a)) < 1e-12 && Math.abs(hi - Math.min(1, b)) < 1e-12 && lo >= 0 && hi <= 1 && lo <= k / n + 1e-12 && hi >= k / n - 1e-12;
      }),
    );
  });
  it('ends exactly at 0 and 1 when never or always seen', () => {
    expect(wilson(0, 3334)?.[0]).toBe(0);
    expect(wilson(3334, 3334)?.[1]).toBe(1);
  });
  it('has no interval for no trials', () => {
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('meanCI', () => {
  it('mean ± 1.96 s/√n', () => {
    const r = meanCI([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    const s = Math.sqrt(((1.5 ** 2) * 2 + (0.5 ** 2) * 2) / 3);
    expect(r.ci95?.[0]).toBeCloseTo(2.5 - (1.959963984540054 * s) / 2, 12);
    expect(meanCI([]).mean).toBeNull();
    expect(meanCI([5]).ci95).toBeNull();
  });
});
