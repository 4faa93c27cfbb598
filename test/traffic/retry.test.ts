// Backoff and retry budget (src/traffic/retry.ts), checked against the formula written out
// here: the k-th attempt waits min(max, base·2^(k−2)), of which a `jitter` share is drawn.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoff_us, budgetAllows } from '../../src/traffic/retry.js';
import { fromUniform } from '../../src/sim/rng.js';
import type { ClientPolicySpec } from '../../src/scenario/types.js';
import type { Micros } from '../../src/sim/time.js';

const policy = (base: number, max: number, jitter: number, budget = 1): ClientPolicySpec => ({
  retries: 3,
  backoff_us: base as Micros,
  backoff_max_us: max as Micros,
  jitter,
  retry_budget: budget,
});

describe('backoff', () => {
  it('lies between the fixed share and the full exponential delay, capped at backoff_max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (base, max, jitter, attempt, u) => {
          const full = Math.min(max, base * 2 ** (attempt - 2));
          const d = backoff_us(policy(base, max, jitter), attempt, fromUniform(() => u));
          expect(d).toBeGreaterThanOrEqual(Math.max(1, Math.floor(full * (1 - jitter))));
          expect(d).toBeLessThanOrEqual(Math.ceil(full));
        },
      ),
    );
  });

  it('doubles per attempt without jitter: 20, 40, 80 ms, then the cap', () => {
    const p = policy(20_000, 100_000, 0);
    const rng = fromUniform(() => 0.5);
    expect([2, 3, 4, 5].map((k) => backoff_us(p, k, rng))).toEqual([20_000, 40_000, 80_000, 100_000]);
  });
});

describe('retry budget', () => {
  it('allows retries up to the fraction of first attempts, not one more', () => {
    const p = policy(1, 1, 0, 0.1);
    expect(budgetAllows(p, { firsts: 10, retries: 0 })).toBe(true);
    expect(budgetAllows(p, { firsts: 10, retries: 1 })).toBe(false);
    expect(budgetAllows(p, { firsts: 9, retries: 0 })).toBe(false);
  });
});
