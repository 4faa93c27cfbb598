/**
 * Key choice: uniform, zipf (rank r drawn with weight 1/r^s) or hot (90% of operations go to
 * the first `hot_fraction` of the keys). Generated keys are named `k0`, `k1`, ...
 */
import type { Rng } from '../sim/rng.js';
import type { WorkloadSpec } from '../scenario/types.js';

export type KeyChooser = (rng: Rng) => string;

/** Share of operations that a `hot` distribution sends to the hot keys. */
export const HOT_SHARE = 0.9;

export function keyName(i: number): string {
  return `k${i}`;
}

/**
 * Up to this many keys, names are built once and zipf draws by binary search in an exact CDF
 * table. The schema allows 10^8 keys: a table and a name per key would then take gigabytes
 * and most of a minute before the first operation, so above it names are built per draw and
 * zipf uses rejection-inversion sampling (constant memory, same distribution).
 */
export const TABLE_KEYS = 1_000_000;

export function keyChooser(w: Pick<WorkloadSpec, 'keys' | 'key_distribution' | 'zipf_s' | 'hot_fraction'>): KeyChooser {
  const n = Math.max(1, w.keys);
  const small = n <= TABLE_KEYS;
  const table = small ? Array.from({ length: n }, (_, i) => keyName(i)) : [];
  const name = small ? (i: number) => table[i] as string : keyName;
  switch (w.key_distribution) {
    case 'uniform':
      return (rng) => name(rng.int(n));
    case 'zipf': {
      if (!small) {
        const rank = zipfSampler(n, w.zipf_s);
        return (rng) => name(rank(rng) - 1);
      }
      const cdf = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += 1 / Math.pow(i + 1, w.zipf_s);
        cdf[i] = sum;
      }
      for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
      const guide = cdfGuide(cdf);
      return (rng) => name(firstAtLeast(cdf, guide, rng.next()));
    }
    case 'hot': {
      const hot = Math.max(1, Math.min(n, Math.ceil(n * w.hot_fraction)));
      return (rng) => {
        const u = rng.next();
        if (u < HOT_SHARE || hot === n) return name(rng.int(hot));
        return name(hot + rng.int(n - hot));
      };
    }
    default: {
      const never: never = w.key_distribution;
      throw new Error(`unknown key distribution ${String(never)}`);
    }
  }
}

/**
 * For each of `cdf.length` equal slices of [0, 1], the first index whose CDF value reaches the
 * slice's start (and one more entry, for the end of the last slice): a draw only searches the
 * few indices of its own slice, not the whole table.
 */
export function cdfGuide(cdf: Float64Array): Int32Array {
  const n = cdf.length;
  const guide = new Int32Array(n + 1);
  let i = 0;
  for (let b = 0; b <= n; b++) {
    const x = b / n;
    while (i < n - 1 && (cdf[i] as number) < x) i++;
    guide[b] = i;
  }
  return guide;
}

/**
 * The first index whose CDF value is at least `u` (the last index if none is): a binary search
 * within `u`'s slice of the guide, checked, and over the whole table if the check fails (a
 * rounding at a slice's edge), so the answer is always the plain binary search's. With 1000
 * zipf keys the plain search took ten unpredictable steps per generated op; a slice holds one
 * to a few keys.
 */
export function firstAtLeast(cdf: Float64Array, guide: Int32Array, u: number): number {
  const n = cdf.length;
  const b = Math.min(n - 1, Math.max(0, Math.floor(u * n)));
  const lo = searchCdf(cdf, guide[b] as number, guide[b + 1] as number, u);
  if (((cdf[lo] as number) >= u || lo === n - 1) && (lo === 0 || (cdf[lo - 1] as number) < u)) return lo;
  return searchCdf(cdf, 0, n - 1, u);
}

/** The first index in [lo, hi] whose CDF value is at least `u` (`hi` if none is), by binary search. */
function searchCdf(cdf: Float64Array, lo: number, hi: number, u: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Zipf ranks 1..n with P(r) ∝ 1/r^s by rejection-inversion (Hörmann and Derflinger, 1996, as
 * in Apache Commons): invert the integral of the hat function 1/x^s, round to a rank, accept
 * it almost always. Constant memory and time per draw, for any n and s > 0.
 */
export function zipfSampler(n: number, s: number): (rng: Rng) => number {
  const h = (x: number) => Math.exp(-s * Math.log(x));
  // (1 - s)-scaled helpers, stable near s = 1: log1p(x)/x and expm1(x)/x
  const helper1 = (x: number) => (Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x)));
  const helper2 = (x: number) => (Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x)));
  const hIntegral = (x: number) => {
    const logX = Math.log(x);
    return helper2((1 - s) * logX) * logX;
  };
  const hIntegralInverse = (x: number) => {
    let t = x * (1 - s);
    if (t < -1) t = -1; // rounding can push it just below the domain
    return Math.exp(helper1(t) * x);
  };
  const hIntegralX1 = hIntegral(1.5) - 1;
  const hIntegralN = hIntegral(n + 0.5);
  const squeeze = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
  return (rng) => {
    for (;;) {
      const u = hIntegralN + rng.next() * (hIntegralX1 - hIntegralN);
      const x = hIntegralInverse(u);
      const k = Math.min(n, Math.max(1, Math.floor(x + 0.5)));
      if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) return k;
    }
  };
}
