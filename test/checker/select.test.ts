/** Percentiles by selection equal the nearest-rank percentiles of the sorted numbers, element for element. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectPercentiles } from '../../src/checker/select.js';

function bySort(xs: number[]): { p50: number | null; p99: number | null; max: number | null } {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return { p50: null, p99: null, max: null };
  const at = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] as number;
  return { p50: at(50), p99: at(99), max: s[s.length - 1] as number };
}

describe('selectPercentiles', () => {
  it('equals sorting (duplicates, runs, -0, NaN)', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      fc.constantFrom(0, -0, NaN, 0.001, Infinity),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.boolean(), (xs, sorted) => {
        const input = sorted ? [...xs].sort((a, b) => a - b) : xs;
        expect(selectPercentiles(Float64Array.from(input))).toEqual(bySort(input));
      }),
      { numRuns: 3000, seed: 5150 },
    );
  });

  it('many equal latencies around the ranks', () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 13);
    expect(selectPercentiles(Float64Array.from(xs))).toEqual(bySort(xs));
  });
});
