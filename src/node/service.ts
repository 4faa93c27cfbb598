/**
 * Service-time draws for node capacity: constant, exponential or uniform on [0, 2·mean],
 * in integer microseconds (the kernel's unit). A non-zero mean never draws 0: a job always
 * takes at least 1 us, so a saturated node cannot serve an unbounded number in no time.
 */
import type { Rng } from '../sim/rng.js';
import type { ServiceTimeSpec } from '../scenario/types.js';

export function drawService(s: ServiceTimeSpec, rng: Rng): number {
  if (s.mean_us <= 0) return 0;
  switch (s.distribution) {
    case 'constant':
      return s.mean_us;
    case 'exponential':
      return Math.max(1, Math.round(rng.exp(s.mean_us)));
    case 'uniform':
      return Math.max(1, Math.round(rng.next() * 2 * s.mean_us));
    default: {
      const never: never = s.distribution;
      return never;
    }
  }
}
