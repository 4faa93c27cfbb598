/**
 * Interval estimates for sweep summaries. Pure functions of counts and values, so a merged
 * sweep and a single run give the same numbers to the last bit.
 */

/** z for a two-sided 95% interval (the 0.975 quantile of the standard normal). */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes in n trials (Wilson 1927). Unlike the normal
 * approximation p ± z·sqrt(p(1-p)/n) it stays inside [0, 1] and is not zero-width at k = 0
 * or k = n, which is exactly where sweeps live (an anomaly never or always seen).
 * n = 0 has no interval: null.
 */
export function wilson(k: number, n: number, z: number = Z95): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bound is 0 (or 1) exactly; the float formula leaves ~1e-19 there.
  return [k === 0 ? 0 : Math.max(0, center - half), k === n ? 1 : Math.min(1, center + half)];
}

/** Mean and its 95% interval mean ± z·s/√n (normal approximation; null interval below 2 values). */
export interface MeanCI {
  n: number;
  mean: number | null;
  ci95: [number, number] | null;
}

/** Values in the order given (the caller's order is the sweep's run order, for bit-identical sums). */
export function meanCI(values: readonly number[], z: number = Z95): MeanCI {
  const n = values.length;
  if (n === 0) return { n, mean: null, ci95: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, mean, ci95: null };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const half = z * Math.sqrt(ss / (n - 1) / n);
  return { n, mean, ci95: [mean - half, mean + half] };
}
