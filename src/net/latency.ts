/**
 * One-way delay samples per link distribution. `latency_us` is the typical one-way delay,
 * `jitter_us` its spread; every sample is clamped at zero and rounded to whole microseconds.
 */
import type { Rng } from '../sim/rng.js';
import type { Distribution } from '../scenario/types.js';

export function sampleLatency(d: Distribution, latency_us: number, jitter_us: number, rng: Rng): number {
  let x: number;
  switch (d) {
    case 'constant':
      x = latency_us;
      break;
    case 'uniform': // latency ± jitter: the mean stays the configured latency
      x = latency_us + (rng.next() * 2 - 1) * jitter_us;
      break;
    case 'normal':
      x = latency_us + rng.normal() * jitter_us;
      break;
    case 'lognormal': {
      // median = latency; sigma chosen so that one sigma above the median is latency + jitter
      if (latency_us <= 0) return 0;
      const sigma = Math.log(1 + jitter_us / latency_us);
      x = latency_us * Math.exp(sigma * rng.normal());
      break;
    }
    case 'pareto': {
      // a floor at `latency` with a heavy tail of scale `jitter` (shape 2.5: finite variance)
      const u = 1 - rng.next();
      x = latency_us + jitter_us * (Math.pow(u, -1 / 2.5) - 1);
      break;
    }
    case 'exponential': {
      // a floor at `latency` plus an exponential tail of mean `jitter`: the propagation delay
      // plus queueing, and with `latency: 0us` the memoryless one-way delay of the PBS/WARS
      // model (Bailis et al., VLDB 2012), whose rate is 1 / jitter
      x = latency_us + rng.exp(jitter_us);
      break;
    }
    default: {
      const never: never = d;
      throw new Error(`unknown distribution ${String(never)}`);
    }
  }
  return x > 0 ? Math.round(x) : 0;
}
