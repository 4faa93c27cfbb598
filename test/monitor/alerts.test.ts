// Alert rules (issue 15): a lag alert fires during a partition (and only then), `for` delays
// the firing, the window delays the resolve, and an availability alert fires when a region's
// clients fail. Times are read from the `alert` records in the history.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { AlertRecord, HistoryRecord } from '../../src/history/types.js';

function run(faults: string, rule: string) {
  const yaml = `
name: alerts
seed: 3
duration: 120s
settle: 5s
regions:
  a: { nodes: 2 }
  b: { nodes: 2 }
network:
  intra_region: { latency: 500us }
  inter_region: { latency: 40ms, jitter: 4ms }
engine: { type: async, conflict: lww, timestamps: hybrid }
workload:
  keys: 10
  clients:
    a: { count: 2, rate: 10/s }
    b: { count: 2, rate: 10/s }
  timeout: 1s
alerts:
  r: ${rule}
faults: ${faults}
`;
  const p = parseScenario(yaml, 'alerts.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  const alerts = (out.history as HistoryRecord[]).filter((r): r is AlertRecord => r.type === 'alert');
  const metric = (out.result.metrics as unknown as { alert: Record<string, { fired_after_s: number | null; resolved_after_s: number | null }> }).alert['r'];
  if (!metric) throw new Error('no alert metric');
  return { alerts, metric };
}

const LAG = '{ metric: replication_lag_ms.max, above: 3000, window: 10s, for: 5s, every: 1s }';

describe('a replication lag alert', () => {
  it('fires during a partition: threshold (3 s) + for (5 s) after it began, and resolves a window after the heal', () => {
    const r = run('[{ at: 30s, partition: [[a], [b]], for: 40s }]', LAG);
    expect(r.alerts.map((a) => a.state)).toEqual(['firing', 'resolved']);
    const [fire, resolve] = r.alerts as [AlertRecord, AlertRecord];
    expect(fire.t).toBeGreaterThanOrEqual(38e6);
    expect(fire.t).toBeLessThanOrEqual(40e6);
    expect(r.metric.fired_after_s).toBe((fire.t - 30e6) / 1e6);
    expect(resolve.t).toBeGreaterThan(70e6);
    expect(resolve.t).toBeLessThanOrEqual(70e6 + 10e6 + 1e6);
  });

  it('stays silent with no partition (the same rule, the same traffic)', () => {
    const r = run('[]', LAG);
    expect(r.alerts).toEqual([]);
    expect(r.metric.fired_after_s).toBeNull();
  });

  it('does not fire on a partition too short for the lag to pass the threshold (2 s < 3 s)', () => {
    expect(run('[{ at: 30s, partition: [[a], [b]], for: 2s }]', LAG).alerts).toEqual([]);
  });

  it('fires on a 6 s partition: the window keeps the peak long enough to outlast `for`', () => {
    expect(run('[{ at: 30s, partition: [[a], [b]], for: 6s }]', LAG).alerts.map((a) => a.state)).toEqual(['firing', 'resolved']);
  });
});

describe('an availability alert', () => {
  it('fires when a region’s nodes crash and its clients time out', () => {
    const r = run('[{ at: 30s, crash: a, for: 30s }]', '{ metric: availability, region: a, below: 0.9, window: 10s, every: 2s }');
    expect(r.alerts[0]?.state).toBe('firing');
    expect(r.metric.fired_after_s).toBeLessThanOrEqual(5);
    expect(run('[]', '{ metric: availability, region: a, below: 0.9, window: 10s, every: 2s }').alerts).toEqual([]);
  });
});

describe('a queue-length alert (node capacity)', () => {
  function runQueue(burst: boolean) {
    const yaml = `
name: queue-alert
seed: 21
duration: 30s
settle: 2s
regions:
  eu-west: { nodes: 2, capacity: { concurrency: 2, queue: 100, service: { read: 5ms exponential, write: 10ms exponential, message: 200us } } }
engine: { type: async }
workload:
  keys: 500
  clients:
    eu-west: { count: 4, rate: 60/s }
  timeout: 2s
${burst ? '  load:\n    bursts: [{ at: 10s, for: 3s, x: 4 }]' : ''}
alerts:
  q: { metric: queue_length.max, above: 50, window: 2s, every: 500ms }
`;
    const p = parseScenario(yaml, 'queue-alert.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario, { keepHistory: true, check: false });
    if (!out.ok) throw new Error(out.error);
    return (out.history as HistoryRecord[]).filter((r): r is AlertRecord => r.type === 'alert');
  }

  it('fires while a burst fills the queues and resolves after they drain', () => {
    const alerts = runQueue(true);
    expect(alerts.map((a) => a.state)).toEqual(['firing', 'resolved']);
    const [fire, resolve] = alerts as [AlertRecord, AlertRecord];
    expect(fire.t).toBeGreaterThanOrEqual(10e6);
    expect(fire.t).toBeLessThanOrEqual(12e6);
    expect(resolve.t).toBeGreaterThan(13e6);
    expect(resolve.t).toBeLessThanOrEqual(13e6 + 2e6 + 1e6);
  });

  it('stays silent at 45% load', () => {
    expect(runQueue(false)).toEqual([]);
  });
});
