// The curves of `sweep --html`: x is the numeric varied setting in ascending order (durations
// in ms), one line per other setting, rates in % with their Wilson band; error runs count as
// failed and not in the anomaly rates; the page inlines uPlot and its data safely.
import { describe, expect, it } from 'vitest';
import type { SweepHeader } from '../../src/sweep/plan.js';
import type { RunRecord } from '../../src/sweep/record.js';
import { summarize } from '../../src/sweep/summary.js';
import { sweepCurves, sweepPage } from '../../src/sweep/html.js';
import { wilson } from '../../src/sweep/stats.js';

const header: SweepHeader = {
  type: 'sweep',
  format: 1,
  scenario: 'x',
  file: 'x.yaml',
  source_sha256: '0'.repeat(64),
  seeds: { first: 1, last: 4 },
  vary: [
    { path: 'engine', values: ['async:lww', 'raft:lease'] },
    { path: 'network.inter_region.latency', values: ['100ms', '10ms'] },
  ],
  swarm: false,
  runs: 16,
};

/** Stale reads in `k` of the 4 seeds of each point; point 3's last seed could not run. */
function records(staleBy: number[]): RunRecord[] {
  const out: RunRecord[] = [];
  for (let run = 0; run < 16; run++) {
    const point = Math.floor(run / 4);
    const seed = 1 + (run % 4);
    const key = { run, point, seed, settings: {} };
    if (point === 3 && seed === 4) {
      out.push({ type: 'run', ...key, ok: false, error: 'boom', failed: true });
      continue;
    }
    const stale = seed <= (staleBy[point] as number) ? 2 : 0;
    out.push({
      type: 'run',
      ...key,
      ok: true,
      engine: 'e',
      ops: { total: 10, ok: 10, fail: 0, info: 0 },
      anomalies: { stale_read: stale, split_brain: null },
      metrics: {
        availability: 1,
        latency_ms: { read: { p50: 1, p99: 2, max: 3 }, write: { p50: point * 10 + seed, p99: 50, max: 60 } },
        replication_lag_ms: { p50: null, p99: null, max: null },
        convergence_ms: null,
        rpo_ms: null,
        rto_ms: null,
      },
      expect_met: true,
      unmet: [],
      complete: true,
      stop: 'ran to completion',
      failed: false,
      history_sha256: 'h',
    });
  }
  return out;
}

describe('sweep curves', () => {
  const s = summarize(header, records([4, 1, 0, 0]).reverse());

  it('summarizes per point in grid order, error runs failed and outside the rates', () => {
    expect(s.settings.map((x) => x.label)).toEqual([
      'engine=async:lww network.inter_region.latency=100ms',
      'engine=async:lww network.inter_region.latency=10ms',
      'engine=raft:lease network.inter_region.latency=100ms',
      'engine=raft:lease network.inter_region.latency=10ms',
    ]);
    expect(s.settings[3]?.errors).toBe(1);
    expect(s.settings[3]?.failed.runs_with).toBe(1);
    expect(s.settings[3]?.failing_seeds).toEqual([4]);
    expect(s.settings[3]?.anomalies.stale_read).toMatchObject({ runs_with: 0, of: 3, unknown: 1 });
    expect(s.settings[0]?.anomalies.split_brain).toMatchObject({ of: 0, unknown: 4, rate: null, ci95: null });
    expect(s.settings[0]?.anomaly_counts.stale_read?.mean).toBe(2);
  });

  it('puts the latency on x in ascending ms, one line per engine, rates in % with Wilson bands', () => {
    const c = sweepCurves(s);
    expect(c.x).toEqual([10, 100]);
    expect(c.x_label).toBe('network.inter_region.latency (ms)');
    const stale = c.charts.find((x) => x.title.startsWith('stale_read: share'));
    expect(stale?.series.map((x) => x.label)).toEqual(['async:lww', 'raft:lease']);
    // async:lww: 1/4 at 10 ms, 4/4 at 100 ms
    expect(stale?.series[0]?.y).toEqual([25, 100]);
    expect(stale?.series[0]?.lo[0]).toBeCloseTo((wilson(1, 4) as [number, number])[0] * 100, 10);
    expect(stale?.series[0]?.hi[1]).toBeCloseTo(100, 10);
    // a family with no count anywhere has no chart
    expect(c.charts.some((x) => x.title.startsWith('split_brain'))).toBe(false);
    const lat = c.charts.find((x) => x.title === 'mean latency_ms.write.p50');
    // raft at 10 ms: seeds 1-3 only (seed 4 could not run): (31+32+33)/3
    expect(lat?.series[1]?.y).toEqual([32, 22.5]);
  });

  it('the page inlines uPlot and data that cannot close its script tag', () => {
    const page = sweepPage({ ...s, scenario: 'x</script><b>' });
    expect(page).toContain('uPlot');
    expect(page).not.toContain('x</script><b>');
    const data = /<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(JSON.parse(data).x).toEqual([10, 100]);
  });
});
