/**
 * Client retries (`client:` in a scenario): after an attempt times out or fails, the client
 * tries again after an exponential backoff with jitter (AWS's "full jitter" at `jitter: 1`),
 * up to `retries` more attempts, within a retry budget (retries at most a fraction of first
 * attempts, per client, as Finagle's RetryBudget and gRPC's retry throttling do), so that
 * retries cannot multiply the load without bound when a region is sick.
 */
import type { ClientPolicySpec } from '../scenario/types.js';
import type { Rng } from '../sim/rng.js';

/** Delay before attempt `attempt` (2 for the first retry): base × 2^(attempt−2), capped, jittered. */
export function backoff_us(p: ClientPolicySpec, attempt: number, rng: Rng): number {
  const full = Math.min(p.backoff_max_us, p.backoff_us * 2 ** Math.max(0, attempt - 2));
  const fixed = full * (1 - p.jitter);
  return Math.max(1, Math.round(fixed + full * p.jitter * rng.next()));
}

/** A client's retry budget: retries so far against first attempts so far. */
export interface Budget {
  firsts: number;
  retries: number;
}

/** Whether one more retry fits the budget (a fraction of first attempts). */
export function budgetAllows(p: ClientPolicySpec, b: Budget): boolean {
  return b.retries + 1 <= p.retry_budget * b.firsts;
}
