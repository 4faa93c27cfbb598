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

export function keyChooser(w: Pick<WorkloadSpec, 'keys' | 'key_distribution' | 'zipf_s' | 'hot_fraction'>): KeyChooser {
  const n = Math.max(1, w.keys);
  const names = Array.from({ length: n }, (_, i) => keyName(i));
  switch (w.key_distribution) {
    case 'uniform':
      return (rng) => names[rng.int(n)] as string;
    case 'zipf': {
      const cdf = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += 1 / Math.pow(i + 1, w.zipf_s);
        cdf[i] = sum;
      }
      for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
      return (rng) => {
        const u = rng.next();
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((cdf[mid] as number) < u) lo = mid + 1;
          else hi = mid;
        }
        return names[lo] as string;
      };
    }
    case 'hot': {
      const hot = Math.max(1, Math.min(n, Math.ceil(n * w.hot_fraction)));
      return (rng) => {
        const u = rng.next();
        if (u < HOT_SHARE || hot === n) return names[rng.int(hot)] as string;
        return names[hot + rng.int(n - hot)] as string;
      };
    }
    default: {
      const never: never = w.key_distribution;
      throw new Error(`unknown key distribution ${String(never)}`);
    }
  }
}
