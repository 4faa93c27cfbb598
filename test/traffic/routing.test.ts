// Global routing (issue 15): each policy moves traffic for the reason it should, health
// checks travel over the simulated network (a partition makes a live region look down), and
// the DNS cache keeps clients where they were until their answer expires.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord, RouteRecord } from '../../src/history/types.js';
import { THREE_REGIONS } from './three-regions.js';

const NET = THREE_REGIONS;

function run(body: string) {
  const p = parseScenario(`name: routing-test\nseed: 4\nsettle: 5s\n${NET}${body}`, 'routing-test.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  const m = out.result.metrics as unknown as {
    routing: { moves: number; left_after_s: Record<string, number | null>; share_during_fault?: Record<string, number | null> };
  };
  return { routing: m.routing, history: out.history as HistoryRecord[], sha: out.result.history_sha256 };
}

const routes = (h: HistoryRecord[]) => h.filter((r): r is RouteRecord => r.type === 'route');

describe('health checks over the network', () => {
  const weighted = (fault: string) =>
    run(`duration: 60s
workload:
  clients: { eu-west: { count: 10, rate: 5/s } }
  timeout: 1s
routing: { policy: weighted, health_check: { interval: 1s, timeout: 500ms } }
faults:
  - ${fault}
`);

  it('a partition makes a region that is up look down from the other side: weighted sends it nothing', () => {
    const cut = weighted('{ at: 20s, partition: [[us-east], [eu-west, ap-northeast]], for: 30s }');
    // detection takes 3 probe failures (3 s); the share counts the whole fault window
    expect(cut.routing.share_during_fault?.['us-east']).toBeLessThan(0.05);
    expect(routes(cut.history).some((r) => r.reason === 'weighted')).toBe(true);
  });

  it('the same clients send a third of their ops to us-east when nothing is cut (the test can fail)', () => {
    const calm = weighted('{ at: 20s, clock: { node: ap-northeast/0, offset: 1ms }, for: 30s }');
    expect(calm.routing.share_during_fault?.['us-east']).toBeGreaterThan(0.2);
  });
});

describe('dns', () => {
  const dns = (extra: string) =>
    run(`duration: 200s
workload:
  clients: { us-east: { count: 10, rate: 2/s } }
  timeout: 1s
routing: { policy: dns, ttl: 20s, ${extra} health_check: { interval: 2s, timeout: 1s } }
faults:
  - { at: 30s, crash: us-east, for: 150s }
`);

  it('clients leave within detection plus one TTL, each when its own cached answer expires', () => {
    const r = dns('');
    const left = r.routing.left_after_s['us-east'] as number;
    expect(left).toBeGreaterThan(6); // 3 failed probes 2 s apart
    expect(left).toBeLessThanOrEqual(6 + 20 + 2);
    const moves = routes(r.history).filter((x) => x.reason === 'dns' && x.t < 180e6);
    expect(moves).toHaveLength(10);
    // spread over the TTL, not all at once
    expect(new Set(moves.map((x) => Math.floor(x.t / 1e6))).size).toBeGreaterThan(3);
  });

  it('resolvers that ignore the TTL keep clients on the dead region: traffic never leaves (null, not a number)', () => {
    const r = dns('ignore_ttl: 1, ignore_ttl_keep: 1h,');
    expect(r.routing.left_after_s['us-east']).toBeNull();
  });

  it('the same scenario and seed give the same history', () => {
    expect(dns('').sha).toBe(dns('').sha);
  });
});

describe('anycast', () => {
  it('every client of a region moves at the same instant, convergence after detection', () => {
    const r = run(`duration: 90s
workload:
  clients: { us-east: { count: 6, rate: 2/s } }
  timeout: 1s
routing: { policy: anycast, convergence: 10s, health_check: { interval: 2s, timeout: 1s } }
faults:
  - { at: 30s, crash: us-east, for: 30s }
`);
    const away = routes(r.history).filter((x) => x.from.startsWith('us-east/'));
    expect(away).toHaveLength(6);
    expect(new Set(away.map((x) => x.t)).size).toBe(1);
    const t = (away[0] as RouteRecord).t;
    expect(t).toBeGreaterThanOrEqual(30e6 + 10e6);
    expect(t).toBeLessThan(30e6 + 10e6 + 8e6);
    // back home once us-east answers again
    expect(routes(r.history).filter((x) => x.to.startsWith('us-east/'))).toHaveLength(6);
  });
});
