// The `routing`, `client` and `alerts` sections (src/scenario/traffic-schema.ts): resolved
// values, and bad input as one line naming file:line:column and the field.
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/load.js';

const HEAD = `name: t
duration: 10s
regions: { a: { nodes: 1 }, b: { nodes: 1 } }
engine: { type: async }
`;

const errors = (text: string): string[] => {
  const r = parseScenario(HEAD + text, 't.yaml');
  return r.ok ? [] : r.errors.map(formatError);
};

describe('routing, client and alerts', () => {
  it('resolve to microseconds and policy variants, with defaults', () => {
    const r = parseScenario(
      `${HEAD}routing: { policy: dns, ttl: 30s, ignore_ttl: 0.1 }\nclient: { retries: 2, hedge: { after: 50ms } }\nalerts:\n  lag: { metric: replication_lag_ms.p99, above: 5000, for: 10s }\n`,
      't.yaml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.scenario.routing?.policy).toEqual({ kind: 'dns', ttl_us: 30e6, ignore_ttl_fraction: 0.1, ignore_ttl_keep_us: 3600e6 });
    expect(r.scenario.routing?.health_check).toEqual({ interval_us: 5e6, timeout_us: 2e6, unhealthy_after: 3, healthy_after: 2, window: 10 });
    expect(r.scenario.client).toMatchObject({ retries: 2, backoff_us: 50e3, backoff_max_us: 2e6, jitter: 1, hedge_after_us: 50e3 });
    expect(r.scenario.alerts).toEqual([
      { name: 'lag', metric: 'replication_lag_ms.p99', op: 'above', threshold: 5000, window_us: 30e6, for_us: 10e6, every_us: 5e6 },
    ]);
  });

  it('an older scenario has none of them (today’s routing, one attempt, no alerts)', () => {
    const r = parseScenario(HEAD, 't.yaml');
    if (!r.ok) throw new Error('invalid');
    expect('routing' in r.scenario || 'client' in r.scenario || 'alerts' in r.scenario).toBe(false);
  });

  it('bad input names the line, column and field', () => {
    expect(errors('routing: { policy: gossip }\n')).toEqual([
      expect.stringMatching(/^t\.yaml:5:20 routing\.policy: .*nearest \| dns \| anycast \| weighted \| home/),
    ]);
    expect(errors('alerts:\n  x: { metric: availability, above: 1, below: 0 }\n')[0]).toMatch(/^t\.yaml:6:6 alerts\.x: an alert needs exactly one of above or below/);
    expect(errors('alerts:\n  x: { metric: availability, region: mars, below: 0.9 }\n')[0]).toMatch(/^t\.yaml:6:\d+ alerts\.x\.region: unknown region "mars"/);
    expect(errors('expect:\n  alert.nope.fired: 1\n')[0]).toMatch(/^t\.yaml:6:3 expect\.alert\.nope\.fired: no alert named "nope"/);
    expect(errors('expect:\n  alert.x.when: 1\n')[0]).toMatch(/expected alert\.NAME\.FIELD/);
    expect(errors('workload: { failover: { detect: 1s, dns_ttl: 0s } }\nrouting: { policy: nearest }\n')[0]).toMatch(
      /^t\.yaml:6:1 routing: routing replaces workload\.failover/,
    );
  });
});
