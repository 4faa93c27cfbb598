import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogHistogram } from '../../src/node/histogram.js';

describe('LogHistogram', () => {
  it('empty: no mean, no quantile (unknown is never zero)', () => {
    const h = new LogHistogram();
    expect(h.mean()).toBeNull();
    expect(h.quantile(0.99)).toBeNull();
  });

  it('quantiles within 1% of the exact ones (property), means exact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 400 }), (xs) => {
        const h = new LogHistogram();
        for (const x of xs) h.add(x);
        const sorted = [...xs].sort((a, b) => a - b);
        for (const q of [0.5, 0.99]) {
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
          const got = h.quantile(q) as number;
          expect(got).toBeLessThanOrEqual(exact + 1e-9);
          expect(got).toBeGreaterThanOrEqual(exact / 1.0101 - 1);
        }
        expect(h.mean()).toBeCloseTo(xs.reduce((a, x) => a + x, 0) / xs.length, 6);
      }),
    );
  });
});
