/**
 * `sweep --html`: a self-contained page of curves from a sweep summary, drawn with uPlot (the
 * report's chart library, inlined: the page needs no network). The x axis is the first
 * varied setting whose values are numbers or durations (durations in ms); every other varied
 * setting (an engine, say) gives one line per value. Each chart shows a rate (anomaly, failed)
 * or a metric mean with its 95% band (Wilson for rates, normal for means).
 */
import { loadAssets } from '../report/html/assets.js';
import { parseDuration } from '../sim/time.js';
import { renderSweepSummary } from './render.js';
import { SUMMARY_METRICS, type SettingSummary, type SweepSummary } from './summary.js';
import type { VaryValue } from './values.js';
import type { MeanCI } from './stats.js';

/** One line of a chart: a value per x, and its band. */
export interface CurveSeries {
  label: string;
  y: Array<number | null>;
  lo: Array<number | null>;
  hi: Array<number | null>;
}

export interface Chart {
  title: string;
  unit: string;
  series: CurveSeries[];
}

export interface Curves {
  x_label: string;
  /** x values, ascending (numeric axis) or positions (categorical) */
  x: number[];
  /** tick labels when the axis is categorical */
  x_names: string[] | null;
  charts: Chart[];
}

/** The curves of a summary (pure; the page and the tests use it). */
export function sweepCurves(s: SweepSummary): Curves {
  const xi = s.vary.findIndex((v) => v.values.every((x) => numeric(x) !== undefined));
  const xVary = xi >= 0 ? s.vary[xi] : s.vary[0];
  const xPath = xVary?.path;
  const xs = xVary ? [...new Set(xVary.values.map((v) => String(v)))] : ['(as written)'];
  const numericX = xi >= 0;
  const xNum = numericX ? xs.map((v) => numeric(scalarOf(v, xVary)) as number) : xs.map((_, i) => i);
  const order = xNum.map((_, i) => i).sort((a, b) => (xNum[a] as number) - (xNum[b] as number));
  const x = order.map((i) => xNum[i] as number);
  const xKeys = order.map((i) => xs[i] as string);
  // Lines: the settings other than x.
  const lineOf = (st: SettingSummary) =>
    Object.entries(st.settings)
      .filter(([k]) => k !== xPath)
      .map(([k, v]) => (k === 'engine' ? String(v) : `${k}=${String(v)}`))
      .join(' ') || s.scenario;
  const lines = [...new Set(s.settings.map(lineOf))];
  const at = (line: string, xKey: string) => s.settings.find((st) => lineOf(st) === line && (xPath === undefined || String(st.settings[xPath]) === xKey));

  const charts: Chart[] = [];
  const rateChart = (title: string, pick: (st: SettingSummary) => { rate: number | null; ci95: [number, number] | null } | undefined) => {
    const series = lines.map((line) => {
      const pts = xKeys.map((k) => {
        const st = at(line, k);
        return st ? pick(st) : undefined;
      });
      return {
        label: line,
        y: pts.map((p) => (p && p.rate !== null ? p.rate * 100 : null)),
        lo: pts.map((p) => (p && p.ci95 ? p.ci95[0] * 100 : null)),
        hi: pts.map((p) => (p && p.ci95 ? p.ci95[1] * 100 : null)),
      };
    });
    if (series.some((se) => se.y.some((v) => v !== null))) charts.push({ title, unit: '% of runs', series });
  };
  function meanChart(title: string, unit: string, pick: (st: SettingSummary) => MeanCI | undefined): void {
    const series = lines.map((line) => {
      const pts = xKeys.map((k) => {
        const st = at(line, k);
        return st ? pick(st) : undefined;
      });
      return { label: line, y: pts.map((p) => p?.mean ?? null), lo: pts.map((p) => p?.ci95?.[0] ?? null), hi: pts.map((p) => p?.ci95?.[1] ?? null) };
    });
    if (series.some((se) => se.y.some((v) => v !== null))) charts.push({ title, unit, series });
  }
  const families = [...new Set(s.settings.flatMap((st) => Object.keys(st.anomalies)))];
  for (const f of families) {
    rateChart(`${f}: share of runs with at least one`, (st) => st.anomalies[f]);
    meanChart(`${f}: mean count per run`, '', (st) => st.anomaly_counts[f]);
  }
  rateChart('failed runs (an expectation unmet, or cut short)', (st) => st.failed);
  for (const m of SUMMARY_METRICS) meanChart(`mean ${m}`, m.includes('ms') ? 'ms' : '', (st) => st.metrics[m]);
  const unit = numericX && xVary && xVary.values.some((v) => typeof v === 'string') ? ' (ms)' : '';
  return { x_label: `${xPath ?? 'setting'}${unit}`, x, x_names: numericX ? null : xKeys, charts };
}

/** The page. */
export function sweepPage(s: SweepSummary): string {
  const assets = loadAssets();
  const curves = sweepCurves(s);
  const data = JSON.stringify(curves).replace(/</g, '\\u003c');
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const title = `replsim sweep · ${s.scenario}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${assets.uplot_css}
body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:15px;margin:24px 0 4px}
pre{background:#f6f6f6;padding:12px;overflow:auto;font-size:12px}.note{color:#555}</style></head>
<body><h1>${esc(title)}</h1>
<p class="note">${s.runs.present} of ${s.runs.planned} runs, seeds ${s.seeds.first}..${s.seeds.last}${s.swarm ? ', swarm' : ''}. Bands: ${esc(s.interval)}.</p>
<div id="charts"></div>
<h2>Summary</h2><pre>${esc(renderSweepSummary(s))}</pre>
<script>${assets.uplot_js}</script>
<script id="data" type="application/json">${data}</script>
<script>${CLIENT}</script>
</body></html>
`;
}

/** The page's script: one uPlot per chart, a line per series with its band filled. */
const CLIENT = `
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  var root = document.getElementById('charts');
  D.charts.forEach(function (c) {
    var h = document.createElement('h2'); h.textContent = c.title; root.appendChild(h);
    var div = document.createElement('div'); root.appendChild(div);
    var data = [D.x], series = [{ label: D.x_label }], bands = [];
    c.series.forEach(function (s, i) {
      var col = colors[i % colors.length];
      data.push(s.y, s.lo, s.hi);
      series.push({ label: s.label, stroke: col, width: 2, points: { show: true } });
      series.push({ label: s.label + ' 95% low', stroke: col + '40', width: 1, dash: [4, 4] });
      series.push({ label: s.label + ' 95% high', stroke: col + '40', width: 1, dash: [4, 4] });
      bands.push({ series: [3 * i + 3, 3 * i + 2], fill: col + '22' });
    });
    var xAxis = { label: D.x_label };
    if (D.x_names) xAxis.values = function (u, ticks) { return ticks.map(function (t) { return D.x_names[t] || ''; }); };
    new uPlot({ width: Math.min(900, window.innerWidth - 48), height: 280, scales: { x: { time: false } },
      series: series, bands: bands, axes: [xAxis, { label: c.unit }] }, data, div);
  });
})();
`;

/** A number, or a duration in ms, or undefined. */
function numeric(v: VaryValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const d = parseDuration(v);
  return d.ok ? d.value / 1000 : undefined;
}

function scalarOf(key: string, vary: { values: VaryValue[] } | undefined): VaryValue {
  return vary?.values.find((v) => String(v) === key) ?? key;
}
