/**
 * Scenario sections of the traffic layer (issue 15): `routing` (global routing policy and
 * its health checks), `client` (retries with backoff, a retry budget) and `alerts` (rules on
 * the run's metrics over a window). All optional: without them today's routing, no retries
 * and no alerts stay the default, so older scenarios run exactly as before.
 */
import { z } from 'zod';
import { strict, duration, probability } from './fields.js';
import type { AlertSpec, ClientPolicySpec, RoutingSpec } from './types.js';

const healthCheckSchema = strict({
  interval: duration({ positive: true }).prefault('5s').describe('time between two probes of a region from each client region'),
  timeout: duration({ positive: true }).prefault('2s').describe('a probe unanswered after this is a failure'),
  unhealthy_after: z.int().min(1).max(100).default(3).describe('consecutive failures before a region is unhealthy'),
  healthy_after: z.int().min(1).max(100).default(2).describe('consecutive successes before it is healthy again'),
  window: z.int().min(1).max(1000).default(10).describe('probes kept for the error rate (weighted)'),
}).describe('health checks: probes over the simulated network from each client region to every region');

export const routingSchema = strict({
  policy: z
    .enum(['nearest', 'dns', 'anycast', 'weighted', 'home'])
    .describe('nearest | dns | anycast | weighted | home: how clients are sent to regions'),
  ttl: duration().prefault('60s').describe('dns: how long a client keeps a resolved answer'),
  ignore_ttl: probability().default(0).describe('dns: fraction of resolvers that ignore the TTL'),
  ignore_ttl_keep: duration({ positive: true }).prefault('1h').describe('dns: how long a resolver that ignores the TTL keeps an answer'),
  convergence: duration().prefault('30s').describe('anycast: delay until routes follow a health change'),
  error_rate_above: probability().default(0.05).describe('weighted: weight 0 when the probes’ error rate is above this'),
  latency_penalty_per_ms: z.number().min(0).max(1).default(0.005).describe('weighted: weight lost per ms of probe round trip'),
  floor: z.number().min(0).max(1).default(0.05).describe('weighted: least weight of a healthy region'),
  repoint: z.boolean().default(true).describe('home: move to the nearest healthy region while the home region is unhealthy'),
  health_check: healthCheckSchema.prefault({}),
})
  .transform((r): RoutingSpec => {
    const policy: RoutingSpec['policy'] =
      r.policy === 'dns'
        ? { kind: 'dns', ttl_us: r.ttl, ignore_ttl_fraction: r.ignore_ttl, ignore_ttl_keep_us: r.ignore_ttl_keep }
        : r.policy === 'anycast'
          ? { kind: 'anycast', convergence_us: r.convergence }
          : r.policy === 'weighted'
            ? { kind: 'weighted', error_rate_above: r.error_rate_above, latency_penalty_per_ms: r.latency_penalty_per_ms, floor: r.floor }
            : r.policy === 'home'
              ? { kind: 'home', repoint: r.repoint }
              : { kind: 'nearest' };
    const h = r.health_check;
    return {
      policy,
      health_check: {
        interval_us: h.interval,
        timeout_us: h.timeout,
        unhealthy_after: h.unhealthy_after,
        healthy_after: h.healthy_after,
        window: h.window,
      },
    };
  })
  .describe('global routing between clients and regions (default: each client keeps its own region)');

export const clientPolicySchema = strict({
  retries: z.int().min(0).max(10).default(0).describe('new attempts after a timeout or a failure, per operation'),
  attempt_timeout: duration({ positive: true })
    .optional()
    .describe('how long one attempt waits before it is retried (default: workload.timeout)'),
  backoff: duration().prefault('50ms').describe('delay before the first retry; doubles each retry'),
  backoff_max: duration().prefault('2s').describe('longest delay between two attempts'),
  jitter: probability().default(1).describe('fraction of each delay drawn at random ("full jitter" at 1)'),
  retry_budget: probability()
    .default(1)
    .describe('retries allowed as a fraction of first attempts, per client (0.1: at most one retry per ten ops)'),
  breaker: strict({
    failures: z.int().min(1).max(1000).default(5).describe('consecutive failures (timeouts or fails) that open the breaker'),
    open_for: duration({ positive: true }).prefault('10s').describe('how long it stays open before one trial request'),
  })
    .optional()
    .describe('a circuit breaker per client and region: while open, requests there fail at once without being sent'),
  hedge: strict({
    after: duration({ positive: true }).describe('send the same request to another node when the first has no answer after this'),
  })
    .optional()
    .describe('hedged requests: one extra attempt per op, elsewhere; the first answer wins'),
})
  .transform(
    (c): ClientPolicySpec => ({
      retries: c.retries,
      ...(c.attempt_timeout === undefined ? {} : { attempt_timeout_us: c.attempt_timeout }),
      backoff_us: c.backoff,
      backoff_max_us: c.backoff_max,
      jitter: c.jitter,
      retry_budget: c.retry_budget,
      ...(c.breaker ? { breaker: { failures: c.breaker.failures, open_for_us: c.breaker.open_for } } : {}),
      ...(c.hedge ? { hedge_after_us: c.hedge.after } : {}),
    }),
  )
  .describe('client behaviour: retries with exponential backoff and jitter, a retry budget, circuit breakers, hedged requests');

const ALERT_NAME_RE = /^[a-z0-9_]+$/;

export const alertSchema = strict({
  metric: z
    .enum(['replication_lag_ms.p99', 'replication_lag_ms.max', 'availability', 'error_rate', 'queue_length.max'])
    .describe(
      'replication_lag_ms.p99 | replication_lag_ms.max | availability | error_rate | queue_length.max (the longest request queue among the nodes, sampled at each evaluation, highest over the window; needs `capacity`), over the window',
    ),
  region: z.string().min(1).optional().describe('only ops of clients in this region (availability, error_rate) or applies at its nodes (lag)'),
  above: z.number().optional().describe('fires while the metric is above this'),
  below: z.number().optional().describe('fires while the metric is below this'),
  window: duration({ positive: true }).prefault('30s').describe('the metric is computed over this much recent time'),
  for: duration().prefault('0s').describe('the condition must hold this long before the alert fires'),
  every: duration({ positive: true }).prefault('5s').describe('evaluation interval'),
})
  .refine((a) => (a.above === undefined) !== (a.below === undefined), { error: 'an alert needs exactly one of above or below' })
  .transform(
    (a): Omit<AlertSpec, 'name'> => ({
      metric: a.metric,
      ...(a.region === undefined ? {} : { region: a.region }),
      op: a.above !== undefined ? 'above' : 'below',
      threshold: (a.above ?? a.below) as number,
      window_us: a.window,
      for_us: a.for,
      every_us: a.every,
    }),
  )
  .describe('an alert rule: a metric over a window compared with a threshold, for a time');

export const alertsSchema = z
  .record(
    z.string().regex(ALERT_NAME_RE, { error: 'an alert name uses lowercase letters, digits and "_"' }).describe('alert name'),
    alertSchema,
  )
  .transform((r): AlertSpec[] => Object.entries(r).map(([name, a]) => ({ name, ...a })))
  .describe('alert name → rule; each firing and resolving is recorded in the history and reported');
