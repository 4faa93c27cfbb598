/**
 * The HTML page: one file with the data (a JSON block), uPlot and the page script inlined.
 * Nothing is fetched when it is opened.
 */
import { loadAssets } from './assets.js';
import { reportMain, type PageData } from './client.js';
import { buildRunData, type RunInput } from './extract.js';
import type { CompareData, RunData } from './types.js';

/** The page of one run. */
export function renderRunHtml(input: RunInput | RunData): string {
  const run = 'lanes' in input ? input : buildRunData(input);
  return page(`replsim · ${run.name}`, { kind: 'run', run });
}

/**
 * The page of a comparison: a side-by-side table, the metrics overlaid per setting, and each
 * setting's diagram and anomalies on a tab. Pass each run as its input (history included) or
 * as `buildRunData(...)` output, so a caller can drop each history once it is reduced.
 */
export function renderCompareHtml(input: { title: string; runs: Array<{ label: string; run: RunInput | RunData }> }): string {
  const data: CompareData = {
    title: input.title,
    runs: input.runs.map((r) => ({ label: r.label, run: 'lanes' in r.run ? r.run : buildRunData(r.run) })),
  };
  return page(input.title, { kind: 'compare', compare: data });
}

/** JSON that is safe inside <script>: no `<` at all, so no `</script>` or `<!--`. */
export function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function page(title: string, data: PageData): string {
  const a = loadAssets();
  // `__name` guards against bundlers that wrap named functions (esbuild keepNames) when the
  // page script is stringified from transformed code.
  const main = `var __name = function (f) { return f; };\n(${reportMain.toString()})(JSON.parse(document.getElementById('report-data').textContent), window.uPlot);`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="replsim">
<title>${escapeHtml(title)}</title>
<style>${a.uplot_css}</style>
<style>${CSS}</style>
</head>
<body>
<noscript>This report draws itself with JavaScript; please enable it.</noscript>
<main id="app"></main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${a.uplot_js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${main.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

const CSS = `
:root { --fg: #1d2329; --muted: #66707a; --line: #dde2e7; --bad: #c0392b; --good: #23844a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f6f7f9; }
main { max-width: 1500px; margin: 0 auto; padding: 18px 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
.desc { margin: 0 0 10px; color: var(--muted); max-width: 1100px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
h4 { margin: 6px 0 2px; font-size: 13px; font-weight: 600; }
.hint { color: var(--muted); font-size: 12.5px; margin: 2px 0 6px; }
.chips { display: flex; gap: 8px; flex-wrap: wrap; }
.chip { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 2px 10px; font-size: 12.5px; }
.chip.bad { border-color: var(--bad); color: var(--bad); }
.chip.good { border-color: var(--good); color: var(--good); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.legend i { display: inline-block; width: 14px; height: 9px; margin-right: 5px; vertical-align: middle; border: 1px solid rgba(0,0,0,0.1); }
.diagram { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px; scroll-margin-top: 8px; }
.dg-toolbar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
.dg-toolbar button, .tab { font: inherit; font-size: 12.5px; padding: 3px 10px; border: 1px solid var(--line); background: #f3f5f8; border-radius: 4px; cursor: pointer; }
.dg-toolbar button:hover, .tab:hover { background: #e8ecf1; }
.dg-info { color: var(--muted); font-size: 12px; margin-left: 6px; }
.dg-caption { margin: 2px 4px 6px; padding: 4px 8px; border-left: 3px solid #e0007a; background: #fdf0f6; font-size: 12.5px; }
.dg-body { position: relative; }
.dg-body canvas { display: block; cursor: grab; }
.region-label { position: absolute; left: 6px; font-weight: 600; font-size: 12px; line-height: 20px; color: #334; }
.lane-label { position: absolute; left: 14px; width: 180px; display: flex; flex-direction: column; justify-content: center; font-size: 12px; line-height: 13px; white-space: nowrap; overflow: hidden; }
.lane-label .node { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.lane-label .clock { color: #7b3fb8; font-size: 11px; }
.dg-tip { position: absolute; z-index: 2; background: #1d2329; color: #fff; font-size: 12px; padding: 4px 8px; border-radius: 4px; max-width: 360px; pointer-events: none; }
.grid { display: grid; grid-template-columns: minmax(360px, 5fr) minmax(0, 7fr); gap: 24px; align-items: start; }
@media (max-width: 1000px) { .grid { grid-template-columns: 1fr; } }
.col { min-width: 0; }
table.summary, table.compare { border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-size: 13px; }
table.summary th, table.summary td, table.compare th, table.compare td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #edf0f3; vertical-align: top; }
table.summary th { color: var(--muted); font-weight: 500; white-space: nowrap; }
table.compare td { font-variant-numeric: tabular-nums; }
table.compare tr:first-child th { background: #eef1f5; }
tr.unmet td, td.bad { color: var(--bad); font-weight: 600; }
tr.met td { color: var(--good); }
.family { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
.family.bad { border-left: 4px solid var(--bad); }
.family h3 { display: flex; justify-content: space-between; margin: 2px 0; font-size: 14px; }
.family .count { font-variant-numeric: tabular-nums; }
.family.bad .count { color: var(--bad); }
.meaning, .note { margin: 2px 0; font-size: 12.5px; color: var(--muted); }
ol.witnesses { margin: 4px 0; padding-left: 22px; max-height: 260px; overflow: auto; font-size: 12.5px; }
.witness { cursor: pointer; padding: 3px 4px; border-radius: 4px; }
.witness:hover { background: #f1f4f8; }
.witness[data-selected] { background: #fde6f2; outline: 1px solid #e0007a; }
.witness.would { color: var(--muted); }
.witness .ops { font-family: ui-monospace, Menlo, monospace; color: #e0007a; font-size: 11.5px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; margin-bottom: 10px; }
.charts.wide { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
@media (max-width: 1000px) { .charts.wide { grid-template-columns: 1fr; } }
.tabs { display: flex; gap: 6px; margin-bottom: 8px; }
.tab[aria-selected="true"] { background: #1d2329; color: #fff; border-color: #1d2329; }
pre.yaml { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; overflow: auto; font-size: 12.5px; max-height: 520px; }
.u-legend { font-size: 11.5px; }
`;
