/**
 * Load shapes (`workload.load`): every client's rate times a factor f(t) = level(t) ×
 * diurnal(t) × bursts(t). Arrivals stay Poisson, now non-homogeneous, drawn by thinning
 * (Lewis & Shedler 1979): candidates at the peak rate, each kept with probability
 * f(t) / f_max. Only scenarios with a shape draw the extra numbers, so others are unchanged.
 */
import type { LoadShapeSpec } from '../scenario/types.js';
import type { Rng } from '../sim/rng.js';

/** The rate factor at time t (us). */
export function loadFactor(l: LoadShapeSpec, t: number): number {
  let level = 1;
  for (const s of l.steps) {
    if (t < s.at_us) break;
    if (s.ramp_us > 0 && t < s.at_us + s.ramp_us) {
      level = level + ((s.x - level) * (t - s.at_us)) / s.ramp_us;
      break;
    }
    level = s.x;
  }
  let f = level;
  const d = l.diurnal;
  if (d) f *= d.min + ((1 - d.min) * (1 + Math.cos((2 * Math.PI * (t - d.peak_us)) / d.period_us))) / 2;
  for (const b of l.bursts) if (t >= b.at_us && t < b.at_us + b.for_us) f *= b.x;
  return f;
}

/** An upper bound of the factor over all time: the largest level times every burst that raises it. */
export function maxFactor(l: LoadShapeSpec): number {
  let level = 1;
  for (const s of l.steps) level = Math.max(level, s.x);
  let f = level;
  for (const b of l.bursts) if (b.x > 1) f *= b.x;
  return f;
}

/**
 * The delay (us, ≥ 1) from `now` to the next arrival of a client of base rate `rate_per_s`
 * under the shape; Infinity when the factor is 0 from some point on past `until_us`.
 */
export function nextArrival(l: LoadShapeSpec, fmax: number, rate_per_s: number, rng: Rng, now: number, until_us: number): number {
  if (fmax <= 0) return Infinity;
  const mean_us = 1_000_000 / (rate_per_s * fmax);
  let t = now;
  // bounded: a candidate past the end of the workload ends the search
  for (;;) {
    t += Math.max(1, Math.round(rng.exp(mean_us)));
    if (t > until_us) return Infinity;
    if (rng.next() * fmax < loadFactor(l, t)) return t - now;
  }
}
