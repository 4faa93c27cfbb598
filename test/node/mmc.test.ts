// The model check of node capacity (issue 15): a node with `concurrency: c` workers,
// exponential service of mean 1/μ and Poisson arrivals at rate λ is an M/M/c queue, whose
// mean queueing delay is given by the Erlang C formula. The formula is implemented here, from
// the textbook (Kleinrock, Queueing Systems vol. 1, §3.5), sharing nothing with src/.
//
// Two levels:
// 1. The Station (src/node/station.ts) driven by the kernel and the service draws the world
//    uses, at ρ = 0.5, 0.8, 0.95 for c = 1 and 4. How many customers: the error of a mean
//    wait grows like (1-ρ)^-2 (Whitt 1989, "Planning queueing simulations"), so heavy traffic
//    needs far more customers: 200 k to 500 k at ρ = 0.5 and 0.8, 3 M to 5.4 M at 0.95, after a warm-up
//    of 20 k dropped. The test measures its own sampling error by batch means (50 batches;
//    at these sizes a batch spans thousands of relaxation times, so batches are nearly
//    independent) and requires 2 standard errors (a 95% interval) to be under 5%: the
//    comparison is then not decided by luck. Counts per (c, ρ) are in CUSTOMERS, 10 M in
//    all. Seeds are fixed, so the verdict is the same on every run.
// 2. The whole simulator (scenario YAML → world → engine → history) at ρ = 0.8, c = 4: the
//    metric `capacity.all.queue_delay_ms.mean` within 5% of Erlang C, 300 k operations.
import { describe, expect, it } from 'vitest';
import { createKernel } from '../../src/sim/kernel.js';
import { stream } from '../../src/sim/rng.js';
import { Station, type Job } from '../../src/node/station.js';
import { drawService } from '../../src/node/service.js';
import type { CapacitySpec } from '../../src/scenario/types.js';
import type { Micros } from '../../src/sim/time.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

/** Erlang C: the probability that an arrival waits, for c servers at offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1; // a^k / k!
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const rho = a / c;
  const last = term / (1 - rho); // a^c / c! / (1 - ρ)
  return last / (sum + last);
}

/** Mean queueing delay Wq = C(c, a) / (cμ - λ). */
function meanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

describe('Erlang C (the reference itself)', () => {
  it('matches closed forms: M/M/1 Wq = ρ/(μ-λ), M/M/2 C = 2ρ²/(1+ρ)', () => {
    expect(meanWait(1, 0.8, 1)).toBeCloseTo(0.8 / 0.2, 10);
    const rho = 0.7;
    expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 10);
  });
});

const MEAN_SERVICE_US = 1000;

function spec(c: number): CapacitySpec {
  return {
    concurrency: c,
    queue: 10_000_000,
    service: { write: { mean_us: MEAN_SERVICE_US as Micros, distribution: 'exponential' } },
    default_service: { mean_us: 0 as Micros, distribution: 'constant' },
    shed: {},
  };
}

/** Runs N customers through a Station; returns the mean wait (us) after warm-up and its batch-means standard error. */
function simulate(c: number, rho: number, n: number, warm: number, seed: number) {
  const lambda_per_us = (rho * c) / MEAN_SERVICE_US;
  const arrivals = stream(seed, 'mmc/arrivals');
  const services = stream(seed, 'mmc/services');
  const s = spec(c);
  const st = new Station(s, 1e12, 1);
  type Ev = { k: 0 } | { k: 1; job: Job };
  const kernel = createKernel<Ev>({ max_events: 4 * n + 100, end_us: Infinity, max_queue: 1_000_000 });
  const waits = new Float64Array(n);
  let arrived = 0;
  let started = 0;
  const begin = (job: Job, now: number) => {
    waits[started++] = now - job.in_us;
    kernel.at(now + drawService(s.service['write']!, services), { k: 1, job });
  };
  kernel.at(0, { k: 0 });
  kernel.run((e, now) => {
    if (e.k === 0) {
      const job: Job = { kind: 0, from: 0, payload: null, fn: 'write', prio: 1, in_us: now };
      if (st.offer(job, now) === 'start') begin(job, now);
      if (++arrived < n) kernel.after(Math.max(1, Math.round(arrivals.exp(1 / lambda_per_us))), { k: 0 });
    } else {
      const next = st.finish(now);
      if (next) begin(next, now);
    }
  });
  expect(started).toBe(n);
  // the station's own delay record agrees with the waits seen here
  let all = 0;
  for (let i = 0; i < n; i++) all += waits[i] as number;
  expect(st.delay.mean()).toBeCloseTo(all / n, 6);
  const B = 50;
  const per = Math.floor((n - warm) / B);
  const means: number[] = [];
  for (let b = 0; b < B; b++) {
    let sum = 0;
    for (let i = warm + b * per; i < warm + (b + 1) * per; i++) sum += waits[i] as number;
    means.push(sum / per);
  }
  const mean = means.reduce((a, x) => a + x, 0) / B;
  const variance = means.reduce((a, x) => a + (x - mean) ** 2, 0) / (B - 1);
  return { mean_us: mean, se_us: Math.sqrt(variance / B) };
}

/** Customers per (c, ρ): sized from a first run's batch-means errors so that 2 standard errors stay near 4%. */
const CUSTOMERS: Record<string, number> = {
  '1/0.5': 200_000,
  '1/0.8': 500_000,
  '1/0.95': 5_400_000,
  '4/0.5': 500_000,
  '4/0.8': 500_000,
  '4/0.95': 3_000_000,
};

describe('a node with capacity is an M/M/c queue', () => {
  for (const c of [1, 4]) {
    for (const rho of [0.5, 0.8, 0.95]) {
      it(`c = ${c}, ρ = ${rho}: mean queueing delay within 5% of Erlang C`, () => {
        const n = CUSTOMERS[`${c}/${rho}`] as number;
        const got = simulate(c, rho, n, 20_000, 7 + c);
        const want_us = meanWait(c, (rho * c) / MEAN_SERVICE_US, 1 / MEAN_SERVICE_US);
        // the sample is big enough that 5% is not decided by luck: a 95% interval is inside it
        expect(2 * got.se_us).toBeLessThan(0.05 * want_us);
        expect(Math.abs(got.mean_us - want_us) / want_us).toBeLessThan(0.05);
      }, 60_000);
    }
  }
});

describe('the whole simulator: capacity.all.queue_delay_ms.mean', () => {
  it('c = 4, ρ = 0.8 through a scenario (async engine, one node, no network delay): within 5% of Erlang C', () => {
    // 4 workers × 1000 ops/s each at ρ = 0.8 is 3200 ops/s; 100 s gives ~320 k operations
    const yaml = `
name: mmc
seed: 3
duration: 100s
settle: 1s
regions:
  r: { nodes: 1, capacity: { concurrency: 4, queue: 1000000, service: { write: 1ms exponential } } }
network:
  intra_region: { latency: 0us, jitter: 0us, distribution: constant }
engine: { type: async }
workload:
  model: register
  keys: 1000
  clients:
    r: { count: 4, rate: 800/s }
  mix: { write: 1 }
  timeout: 1h
`;
    const p = parseScenario(yaml, 'mmc.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario, { check: false });
    if (!out.ok) throw new Error(out.error);
    const cap = (out.result.metrics as Record<string, unknown>)['capacity'] as Record<string, { queue_delay_ms: { mean: number }; utilisation: number; requests: number }>;
    const all = cap['all']!;
    const want_ms = meanWait(4, 3.2, 1);
    expect(all.requests).toBeGreaterThan(300_000);
    expect(Math.abs(all.queue_delay_ms.mean - want_ms) / want_ms).toBeLessThan(0.05);
    // utilisation is ρ (the run's last second has no arrivals: 100/101 of it)
    expect(all.utilisation).toBeCloseTo(0.8 * (100 / 101), 2);
  }, 120_000);
});
