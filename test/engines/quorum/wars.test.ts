/**
 * The test's own WARS Monte Carlo (wars.ts) checked against what can be computed by hand,
 * before the quorum engine is checked against it (pbs.test.ts): an independent model that is
 * itself wrong would prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { stream } from '../../../src/sim/rng.js';
import { choose, kStalenessClosedForm, randomQuorumWithinK, warsFreshness } from './wars.js';
import { pbsModel } from './pbs-run.js';

const u = (name: string) => {
  const r = stream(11, name);
  return () => r.next();
};
const zero = () => 0;
/** 4 standard deviations of a proportion estimated from n samples */
const tol = (p: number, n: number) => 4 * Math.sqrt(Math.max(p * (1 - p), 1e-4) / n);

describe('k-staleness closed form (Bailis et al. §3.2)', () => {
  it('binomial coefficients', () => {
    expect([choose(3, 1), choose(3, 2), choose(5, 2), choose(2, 3)]).toEqual([3, 3, 10, 0]);
  });
  it('known values: N=3 R=W=1 misses with 2/3; R+W>N never misses', () => {
    expect(kStalenessClosedForm(3, 1, 1, 1)).toBeCloseTo(1 / 3, 12);
    expect(kStalenessClosedForm(3, 1, 1, 2)).toBeCloseTo(1 - 4 / 9, 12);
    expect(kStalenessClosedForm(3, 2, 2, 1)).toBe(1);
    expect(kStalenessClosedForm(3, 1, 3, 1)).toBe(1);
  });
  it.each([
    [3, 1, 1, 1],
    [3, 1, 1, 3],
    [5, 2, 1, 2],
    [5, 1, 2, 4],
  ])('matches random strict quorums N=%i R=%i W=%i k=%i', (N, R, W, k) => {
    const n = 40_000;
    const sim = randomQuorumWithinK(N, R, W, k, n, u(`k${N}${R}${W}${k}`));
    const cf = kStalenessClosedForm(N, R, W, k);
    expect(Math.abs(sim - cf)).toBeLessThan(tol(cf, n));
  });
});

describe('WARS Monte Carlo', () => {
  const base = pbsModel;

  it('matches the memoryless hand calculation when only the write delay is random', () => {
    // A = R = S = 0, W ~ Exp(mu): the commit is the fastest replica; a read asks one replica
    // at random: it is the fastest (1/3) or, by memorylessness, lags by Exp(mu):
    // P(fresh at t) = 1/3 + 2/3 (1 - e^(-t/mu))
    const p = base({ a: zero, r: zero, s: zero });
    const ts = [0, 500, 1_000, 3_000];
    const n = 60_000;
    const got = warsFreshness(p, ts, n, u('hand'));
    ts.forEach((t, i) => {
      const want = 1 / 3 + (2 / 3) * (1 - Math.exp(-t / 1_000));
      expect(Math.abs((got[i] as number) - want)).toBeLessThan(tol(want, n));
    });
  });

  it('the read fan-out matters: the first of N responders is staler than one random replica', () => {
    // the first responder is the one whose request arrived soonest (small R_i), which gives
    // the write the least time to get there: the two designs must not be compared as one
    const ts = [0, 1_000];
    const level = warsFreshness(base(), ts, 40_000, u('lvl'));
    const all = warsFreshness(base({ readFanout: 'all' }), ts, 40_000, u('all'));
    expect(level[0] as number).toBeGreaterThan((all[0] as number) + 0.05);
  });

  it.each(['level', 'all'] as const)('%s: never below the closed form at t = 0, rises with t, R=W=2 is always fresh', (f) => {
    const ts = [0, 1_000, 2_000, 5_000, 20_000];
    const n = 40_000;
    const p11 = warsFreshness(base({ readFanout: f }), ts, n, u(`m${f}`));
    expect(p11[0] as number).toBeGreaterThan(kStalenessClosedForm(3, 1, 1, 1) - tol(1 / 3, n));
    expect(p11[0] as number).toBeLessThan(0.99); // partial quorums are stale right after the ack
    for (let i = 1; i < ts.length; i++) expect(p11[i] as number).toBeGreaterThanOrEqual((p11[i - 1] as number) - tol(0.5, n));
    expect(p11[ts.length - 1] as number).toBeGreaterThan(0.999);
    expect(warsFreshness(base({ R: 2, W: 2, readFanout: f }), ts, 20_000, u(`q${f}`))).toEqual(ts.map(() => 1));
  });
});
