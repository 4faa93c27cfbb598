import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkHistory, summarizeOps } from '../../../src/checker/index.js';
import { ANOMALY_NAMES } from '../../../src/checker/types.js';
import type { HistoryRecord } from '../../../src/history/types.js';
import { columnsOf } from '../../../src/report/html/columns.js';
import { buildRunData, lanesOf, type RunData } from '../../../src/report/html/index.js';
import { renderRunHtml } from '../../../src/report/html/page.js';
import { bucketPercentiles, seriesOf } from '../../../src/report/html/series.js';
import type { RunResult } from '../../../src/run/result.js';
import { runScenario } from '../../../src/run/run.js';
import { loadScenario, parseScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { history, s } from '../../checker/builders.js';

const sum = (rows: number[][]): number => rows.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);

describe('quickstart report data', () => {
  let scenario: Scenario;
  let result: RunResult;
  let records: HistoryRecord[];
  let source: string;
  let data: RunData;
  beforeAll(() => {
    const l = loadScenario('scenarios/quickstart.yaml');
    if (!l.ok) throw new Error('quickstart does not load');
    scenario = l.scenario;
    source = l.source;
    const o = runScenario(scenario, { keepHistory: true });
    if (!o.ok || !o.history) throw new Error('quickstart does not run');
    result = o.result;
    records = o.history;
    data = buildRunData({ scenario, source, result, history: records });
  });

  it('has one lane per node, grouped by region in scenario order, with clock offsets', () => {
    const nodes = Object.entries(scenario.regions).flatMap(([r, spec]) => Array.from({ length: spec.nodes }, (_, i) => `${r}/${i}`));
    expect(data.lanes.map((l) => l.node)).toEqual(nodes);
    const ap = data.lanes.filter((l) => l.region === 'ap-northeast');
    expect(ap.every((l) => l.offset_us === scenario.regions['ap-northeast']?.clock.offset_us)).toBe(true);
    expect(ap[0]?.offset_us).not.toBe(0);
  });

  it('lists every anomaly family with the result count and its witnesses', () => {
    expect(data.anomalies.map((a) => a.name)).toEqual([...ANOMALY_NAMES]);
    for (const a of data.anomalies) {
      const want = result.anomalies[a.name as (typeof ANOMALY_NAMES)[number]];
      expect(a.count).toBe(want.count);
      expect(a.witnesses.map((w) => w.ops)).toEqual(want.witnesses.map((w) => w.ops));
    }
    expect(data.anomalies.reduce((n, a) => n + (a.count === null ? 0 : a.count), 0)).toBeGreaterThan(0);
  });

  it('bucketed op counts add up to the result op counts', () => {
    const sr = data.series;
    expect(sum(sr.total)).toBe(result.ops.total);
    expect(sum(sr.ok)).toBe(result.ops.ok);
    expect(sum(sr.fail)).toBe(result.ops.fail);
    expect(sum(sr.info)).toBe(result.ops.info);
    expect(sum(sr.lane_ops)).toBe(records.filter((r) => r.type === 'invoke').length);
    expect(sum(sr.lane_applies)).toBe(records.filter((r) => r.type === 'apply').length);
    expect(sr.n * sr.bucket_us).toBeGreaterThanOrEqual(data.end_us);
    expect(sr.n).toBeLessThanOrEqual(301);
  });

  it('embeds every op of a short run, with all its applies', () => {
    expect(data.detail.embedded_ops).toBe(result.ops.total);
    expect(data.detail.ap_t.length).toBe(records.filter((r) => r.type === 'apply' && r.op !== undefined).length);
    expect(data.detail.windows).toEqual([[0, data.end_us]]);
  });

  it('with a small budget embeds windows around anomalies and faults, and every witness op', () => {
    const small = buildRunData({ scenario, source, result, history: records, maxDetailOps: 500 });
    const witnessOps = new Set(small.anomalies.flatMap((a) => a.witnesses.flatMap((w) => w.ops)));
    const embedded = new Set(small.detail.op_id);
    for (const id of witnessOps) expect(embedded.has(id)).toBe(true);
    const inWindows = small.detail.op_t.filter((t) => small.detail.windows.some(([a, b]) => t >= a && t <= b)).length;
    expect(inWindows).toBeLessThanOrEqual(500);
    expect(small.detail.embedded_ops).toBeLessThanOrEqual(500 + witnessOps.size);
    expect(small.detail.embedded_ops).toBeLessThan(result.ops.total);
    // the isolation starts at 10 s: a window covers it
    expect(small.detail.windows.some(([a, b]) => a <= 10_000_000 && b >= 10_000_000)).toBe(true);
  });

  it('renders a page with the data, uPlot and no external resources', () => {
    const html = renderRunHtml(data);
    expect(html).toContain('id="report-data"');
    expect(html).toMatch(/uPlot/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const back = JSON.parse(json) as { kind: string; run: RunData };
    expect(back.run.anomalies.map((a) => a.count)).toEqual(data.anomalies.map((a) => a.count));
    expect(back.run.source).toBe(source);
  });
});

describe('series and bands from a hand-written history', () => {
  const yaml = `name: tiny
duration: 10s
settle: 0s
regions:
  a: { nodes: 1 }
  b: { nodes: 2, clock: { offset: 300ms } }
engine: { type: async, conflict: lww, timestamps: physical }
workload:
  model: register
  keys: 1
  clients: { a: { count: 1, rate: 0/s } }
`;
  const parsed = parseScenario(yaml, 'tiny.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const scenario = parsed.scenario;

  function build(records: HistoryRecord[]): RunData {
    const report = checkHistory(records, { model: 'register' });
    const result: RunResult = {
      scenario: 'tiny',
      seed: 1,
      engine: 'async/lww/physical',
      ops: summarizeOps(records),
      anomalies: report.anomalies,
      metrics: report.metrics,
      expect: [],
      history_sha256: '',
      stop: { reason: 'ran to completion', complete: true },
      passed: true,
    };
    return buildRunData({ scenario, source: yaml, result, history: records });
  }

  it('replication lag and backlog follow the applies', () => {
    const h = history();
    const w = h.write('a/0', 'x', 1, s(1), s(1.5));
    h.apply(s(1.2), 'a/0', 'x', 1, w);
    h.apply(s(3.2), 'b/0', 'x', 1, w);
    h.apply(s(5.7), 'b/1', 'x', 1, w);
    const recs = h.records();
    const lanes = lanesOf(scenario);
    const cols = columnsOf(recs, new Map(lanes.map((l, i) => [l.node, i])));
    const sr = seriesOf(cols, lanes.length, s(10), s(1));
    expect(sr.n).toBe(11);
    // first apply at 1.2 s: two more to come until 3.2 s, one until 5.7 s
    expect(sr.backlog.slice(0, 7)).toEqual([0, 2, 2, 1, 1, 0, 0]);
    expect(sr.lag_max_ms[3]).toBe(1700);
    expect(sr.lag_max_ms[5]).toBe(4200);
    expect(sr.lag_p50_ms[4]).toBeNull();
    expect(sr.p50_ms[0]?.[1]).toBe(500);
    expect(sr.lane_applies.map((l) => l.reduce((x, y) => x + y, 0))).toEqual([1, 1, 1]);
  });

  it('counts a business refusal as served in the availability series, as the summary does (issue 13.12)', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'cas', key: 'x', value: [7, 2], at: s(1), fail: s(1.1) });
    h.op({ client: 'a/0', f: 'write', key: 'x', value: 3, at: s(2), fail: s(2.1) });
    h.write('a/0', 'x', 4, s(3), s(3.1));
    const recs = h.records().map((r) => (r.type === 'fail' ? { ...r, error: r.op === 1 ? 'cas-mismatch' : 'timeout' } : r));
    const lanes = lanesOf(scenario);
    const cols = columnsOf(recs, new Map(lanes.map((l, i) => [l.node, i])));
    const sr = seriesOf(cols, lanes.length, s(10), s(1));
    expect(sr.served[0]?.slice(0, 4)).toEqual([0, 1, 0, 1]); // the cas mismatch served, the timeout not
    expect(sr.ok[0]?.slice(0, 4)).toEqual([0, 0, 0, 1]);
    expect(sr.total[0]?.slice(0, 4)).toEqual([0, 1, 1, 1]);
    const summary = checkHistory(recs, { model: 'cas-register' }).metrics.availability;
    const sum = (xs: number[][]): number => xs.flat().reduce((a, b) => a + b, 0);
    expect(sum(sr.served) / sum(sr.total)).toBe(summary);
  });

  it('turns fault records into bands on the right lanes', () => {
    const h = history();
    h.write('a/0', 'x', 1, s(1), s(1.1));
    h.fault(s(2), 'isolate', { id: 0, target: 'b' });
    h.fault(s(4), 'end', { of: 'isolate', id: 0 });
    h.fault(s(5), 'crash', { id: 1, target: 'b/1', nodes: ['b/1'], lose_volatile: true });
    h.fault(s(6), 'restart', { id: 2, target: 'b/1' });
    h.fault(s(7), 'clock', { id: 3, node: 'b/*', offset_us: -5_000_000 });
    const data = build(h.records());
    expect(data.bands.map((b) => [b.kind, b.start_us, b.end_us, b.lanes])).toEqual([
      ['isolate', s(2), s(4), null],
      ['crash', s(5), s(6), [2]],
      ['clock', s(7), s(10), [1, 2]],
    ]);
    expect(data.bands[0]?.label).toBe('isolate b');
    expect(data.bands[2]?.closed).toBe(false);
    expect(data.lanes.map((l) => l.offset_us)).toEqual([0, 300_000, 300_000]);
  });

  it('keeps script-breaking text out of the page script', () => {
    const h = history();
    h.write('a/0', 'x', '</script><script>alert(1)</script>', s(1), s(1.1));
    const data = build(h.records());
    const html = renderRunHtml({ ...data, source: `${yaml}# </script><!--` });
    const body = html.slice(html.indexOf('id="report-data">'));
    expect(body.indexOf('</script>')).toBe(body.indexOf('</script>\n<script>'));
    expect(html).not.toContain('<!--');
  });
});

describe('bucketPercentiles', () => {
  it('matches nearest-rank percentiles computed by sorting each bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: 4 }), v: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(NaN)) }), { maxLength: 60 }),
        (items) => {
          const key = Int32Array.from(items.map((x) => x.k));
          const value = Float64Array.from(items.map((x) => x.v));
          const got = bucketPercentiles(key, value, items.length, 5, [0.5, 0.99, 1]);
          for (let k = 0; k < 5; k++) {
            const xs = items.filter((x) => x.k === k && !Number.isNaN(x.v)).map((x) => x.v).sort((a, b) => a - b);
            [0.5, 0.99, 1].forEach((p, j) => {
              const want = xs.length ? Math.round((xs[Math.max(0, Math.ceil(p * xs.length) - 1)] as number) * 1000) / 1000 : null;
              expect(got[j]?.[k]).toBe(want);
            });
          }
        },
      ),
    );
  });
});
