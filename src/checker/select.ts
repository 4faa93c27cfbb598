/**
 * Nearest-rank percentiles without sorting: p50, p99 and max need three order statistics,
 * which quickselect finds in linear time. Sorting millions of latencies took most of the
 * metrics' time on the 2-hour run. The answer is the element a sort would put at that
 * rank, so the result is the same number.
 */
import type { Percentiles } from './types.js';

/** Nearest-rank p50, p99 and max of `a` (reordered in place). */
export function selectPercentiles(a: Float64Array): Percentiles {
  const n = a.length;
  if (n === 0) return { p50: null, p99: null, max: null };
  // a sort orders -0 before 0 and NaN last; selection compares with `<`, so leave those to it
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (v !== v || (v === 0 && 1 / v < 0)) {
      a.sort();
      return ranks(a, (k) => a[k] as number);
    }
  }
  const k50 = rank(50, n);
  const k99 = rank(99, n);
  select(a, k50, 0, n - 1);
  select(a, k99, k50, n - 1);
  let max = a[k99] as number;
  for (let i = k99 + 1; i < n; i++) if ((a[i] as number) > max) max = a[i] as number;
  return { p50: a[k50] as number, p99: a[k99] as number, max };
}

function rank(p: number, n: number): number {
  return Math.max(0, Math.ceil((p / 100) * n) - 1);
}

function ranks(a: Float64Array, at: (k: number) => number): Percentiles {
  return { p50: at(rank(50, a.length)), p99: at(rank(99, a.length)), max: at(a.length - 1) };
}

/** Puts the k-th smallest of a[lo..hi] at a[k], smaller ones before it and larger after (Hoare partitions). */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    // median of three as the pivot: latencies arrive nearly sorted in places
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    // now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] == pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
