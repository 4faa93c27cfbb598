import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cdfGuide, firstAtLeast, keyChooser, HOT_SHARE, TABLE_KEYS, zipfSampler } from '../../src/workload/keys.js';
import { stream } from '../../src/sim/rng.js';

function counts(dist: 'uniform' | 'zipf' | 'hot', n = 20_000) {
  const choose = keyChooser({ keys: 100, key_distribution: dist, zipf_s: 1.1, hot_fraction: 0.1 });
  const r = stream(1, dist);
  const c = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = choose(r);
    c.set(k, (c.get(k) ?? 0) + 1);
  }
  return c;
}

describe('key distributions', () => {
  it('uniform spreads over all keys', () => {
    const c = counts('uniform');
    expect(c.size).toBe(100);
    for (const v of c.values()) expect(v).toBeGreaterThan(100);
  });
  it('zipf puts the most weight on k0 and decreases with rank', () => {
    const c = counts('zipf');
    expect(c.get('k0')!).toBeGreaterThan(c.get('k1')!);
    expect(c.get('k1')!).toBeGreaterThan(c.get('k10')!);
    expect(c.get('k0')! / 20_000).toBeGreaterThan(0.15);
  });
  it('hot sends about 90% of operations to the first 10% of keys', () => {
    const c = counts('hot');
    let hot = 0;
    for (let i = 0; i < 10; i++) hot += c.get(`k${i}`) ?? 0;
    expect(hot / 20_000).toBeGreaterThan(HOT_SHARE - 0.02);
    expect(hot / 20_000).toBeLessThan(HOT_SHARE + 0.02);
  });
});

describe('many keys (the schema allows 10^8)', () => {
  const pmf = (n: number, s: number) => {
    let h = 0;
    for (let r = 1; r <= n; r++) h += 1 / Math.pow(r, s);
    return (r: number) => 1 / Math.pow(r, s) / h;
  };

  for (const s of [0.5, 1, 1.1, 3]) {
    it(`rejection-inversion zipf (s = ${s}) draws ranks with the exact probabilities`, () => {
      const n = 1000;
      const draw = zipfSampler(n, s);
      const p = pmf(n, s);
      const r = stream(3, `zipf-${s}`);
      const c = new Map<number, number>();
      const N = 200_000;
      let outside = 0;
      for (let i = 0; i < N; i++) {
        const k = draw(r);
        if (!(k >= 1 && k <= n && Number.isInteger(k))) outside++;
        c.set(k, (c.get(k) ?? 0) + 1);
      }
      expect(outside).toBe(0);
      for (const k of [1, 2, 3, 10]) {
        const want = p(k) * N;
        expect(Math.abs((c.get(k) ?? 0) - want)).toBeLessThan(5 * Math.sqrt(want) + 0.01 * want);
      }
    });
  }

  it('above TABLE_KEYS zipf keeps the distribution: k0 as often as 1/H(n, s) says', () => {
    const n = TABLE_KEYS + 1;
    const choose = keyChooser({ keys: n, key_distribution: 'zipf', zipf_s: 1.1, hot_fraction: 0.1 });
    const r = stream(5, 'big-zipf');
    const N = 100_000;
    let k0 = 0;
    for (let i = 0; i < N; i++) if (choose(r) === 'k0') k0++;
    const want = pmf(n, 1.1)(1) * N;
    expect(Math.abs(k0 - want)).toBeLessThan(5 * Math.sqrt(want));
  });

  it('10^8 keys: every distribution starts at once (no per-key table) and names keys in range', () => {
    for (const dist of ['uniform', 'zipf', 'hot'] as const) {
      const choose = keyChooser({ keys: 100_000_000, key_distribution: dist, zipf_s: 1.1, hot_fraction: 0.1 });
      const r = stream(7, dist);
      for (let i = 0; i < 1000; i++) {
        const k = choose(r);
        expect(k).toMatch(/^k\d+$/);
        expect(Number(k.slice(1))).toBeLessThan(100_000_000);
      }
      // the per-key tables took about 50 s and 5 GB here: the test's timeout catches that,
      // no wall-clock assertion (it would depend on the machine)
    }
  });
});

describe('zipf table search', () => {
  const plain = (cdf: Float64Array, u: number): number => {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  it('the guided search answers what the plain binary search answers, for any CDF and draw, at slice edges too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0)), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 30 }),
        (weights, draws) => {
          const cdf = new Float64Array(weights.length);
          let sum = 0;
          weights.forEach((w, i) => {
            sum += w;
            cdf[i] = sum;
          });
          if (sum > 0) for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / sum;
          const guide = cdfGuide(cdf);
          const n = cdf.length;
          // slice edges and the CDF's own values, where rounding could mislead the guide
          const edges = [...draws, 0, ...Array.from(cdf), ...Array.from({ length: n }, (_, b) => b / n), ...Array.from({ length: n }, (_, b) => b / n - Number.EPSILON)];
          for (const u of edges.filter((x) => x >= 0 && x < 1)) expect(firstAtLeast(cdf, guide, u)).toBe(plain(cdf, u));
        },
      ),
    );
  });
});
