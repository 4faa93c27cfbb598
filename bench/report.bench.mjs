// HTML report benchmark: runs a scenario (default scenarios/partition-2h.yaml), then times
// building its report page and prints one JSON line: size, generation time, what was embedded,
// and (when Chromium can be launched) how long the page takes to open and draw.
// Needs dist/ (`npm run build`). Usage:
//   node bench/report.bench.mjs [SCENARIO] [--duration 20m] [--no-check] [--no-browser]
// --duration shortens the scenario (faults keep their times; those past the end are cut).
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseScenario, runScenario } from '../dist/index.js';
import { buildRunData, renderRunHtml } from '../dist/report/html/index.js';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--duration') ?? 'scenarios/partition-2h.yaml';
let text = readFileSync(file, 'utf8');
const duration = option('--duration');
if (duration) text = text.replace(/^duration: .*$/m, `duration: ${duration}`);
const parsed = parseScenario(text, file);
if (!parsed.ok) {
  console.error(parsed.errors.map((e) => e.message).join('\n'));
  process.exit(2);
}
const round = (x) => Math.round(x * 1000) / 1000;
const t0 = performance.now();
const outcome = runScenario(parsed.scenario, { keepHistory: true, check: !flag('--no-check') });
if (!outcome.ok) {
  console.error(outcome.error);
  process.exit(2);
}
const t1 = performance.now();
const input = { scenario: parsed.scenario, source: text, result: outcome.result, history: outcome.history ?? [] };
const data = buildRunData(input);
const t2 = performance.now();
const html = renderRunHtml(data);
const t3 = performance.now();

let open_s = null;
if (!flag('--no-browser')) {
  const { launchChromium } = await import('../scripts/chromium.mjs');
  const launched = await launchChromium();
  if (launched.ok) {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-bench-'));
    const path = join(dir, 'report.html');
    writeFileSync(path, html);
    const page = await launched.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const s0 = performance.now();
    await page.goto(`file://${path}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    open_s = round((performance.now() - s0) / 1000);
    await launched.browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  JSON.stringify({
    bench: 'report',
    scenario: parsed.scenario.name,
    sim_seconds: outcome.result.metrics.sim_seconds,
    history_records: input.history.length,
    ops: outcome.result.ops.total,
    checked: !flag('--no-check'),
    run_s: round((t1 - t0) / 1000),
    report_s: round((t3 - t1) / 1000),
    extract_s: round((t2 - t1) / 1000),
    render_s: round((t3 - t2) / 1000),
    bytes: Buffer.byteLength(html),
    mb: round(Buffer.byteLength(html) / 1e6),
    bucket_s: data.series.bucket_us / 1e6,
    buckets: data.series.n,
    detail_ops: data.detail.embedded_ops,
    detail_windows: data.detail.windows.length,
    open_s,
  }),
);
