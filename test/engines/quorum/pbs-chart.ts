/**
 * Draws docs/img/pbs-t-visibility.svg, the chart of docs/04b-quorums.md: the t-visibility of
 * the quorum engine (R = W = 1 and R = W = 2, measured as pbs.test.ts does) over the WARS
 * Monte Carlo's curve, and prints the table the chapter shows. Seeded: the same file every
 * time. Run: `npm run docs:pbs` (a minute or two).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { stream } from '../../../src/sim/rng.js';
import { warsFreshness, warsFreshnessAt } from './wars.js';
import { measurePbs, pbsModel, pbsRun, PBS_TARGETS_MS } from './pbs-run.js';

const OUT = 'docs/img/pbs-t-visibility.svg';
const TARGETS = PBS_TARGETS_MS;
const run = pbsRun;
const model = pbsModel;


const rng = stream(14, 'wars');
const u = () => rng.next();

const engine11 = measurePbs(run({}));
const engine22 = measurePbs(run({ R: 2, W: 2, writes: 500, sparseEvery: 2 }));
const rows = engine11.map((b, i) => ({
  t0: b.t0_ms,
  engine: b.fresh / b.ts_ms.length,
  wars: warsFreshnessAt(model(), b.ts_ms.map((t) => t * 1000), 50, u),
  engine22: (engine22[i]!.fresh / engine22[i]!.ts_ms.length) as number,
}));
const curveTs = Array.from({ length: 121 }, (_, i) => Math.expm1((i / 120) * Math.log1p(50)));
const curve = warsFreshness(model(), curveTs.map((t) => t * 1000), 40_000, u);
const curveAll = warsFreshness(model({ readFanout: 'all' }), curveTs.map((t) => t * 1000), 20_000, u);

// ---- the SVG: x is log(1 + t) so that 0..2 ms and 50 ms both show
const W = 640;
const H = 360;
const L = 60;
const Rm = 20;
const T = 20;
const B = 50;
const x = (t: number) => L + (Math.log1p(t) / Math.log1p(50)) * (W - L - Rm);
const yMin = 0.6;
const y = (p: number) => T + (1 - (p - yMin) / (1 - yMin)) * (H - T - B);
const f = (n: number) => n.toFixed(1);
const path = (ts: number[], ps: number[]) => ts.map((t, i) => `${i === 0 ? 'M' : 'L'}${f(x(t))},${f(y(ps[i]!))}`).join(' ');
const parts: string[] = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
for (const p of [0.6, 0.7, 0.8, 0.9, 1]) {
  parts.push(`<line x1="${L}" x2="${W - Rm}" y1="${f(y(p))}" y2="${f(y(p))}" stroke="#ddd"/>`);
  parts.push(`<text x="${L - 6}" y="${f(y(p) + 4)}" text-anchor="end">${Math.round(p * 100)}%</text>`);
}
for (const t of TARGETS) {
  parts.push(`<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${T}" y2="${H - B}" stroke="#eee"/>`);
  parts.push(`<text x="${f(x(t))}" y="${H - B + 16}" text-anchor="middle">${t}</text>`);
}
parts.push(`<text x="${(L + W - Rm) / 2}" y="${H - 12}" text-anchor="middle">t: ms since the write was acknowledged</text>`);
parts.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">reads returning the write</text>`);
parts.push(`<path d="${path(curveTs, curve)}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
parts.push(`<path d="${path(curveTs, curveAll)}" fill="none" stroke="#aaa" stroke-width="1.5" stroke-dasharray="4 3"/>`);
parts.push(`<path d="${path(TARGETS, rows.map((r) => r.engine22))}" fill="none" stroke="#2ca02c" stroke-width="2"/>`);
for (const r of rows) parts.push(`<circle cx="${f(x(r.t0 + 0.25))}" cy="${f(y(r.engine))}" r="4" fill="#d62728"/>`);
const legend: Array<[string, string]> = [
  ['#1f77b4', 'WARS Monte Carlo, R=W=1 (read from one replica)'],
  ['#aaa', 'WARS, R=W=1, first of 3 responders (Dynamo reads)'],
  ['#d62728', 'quorum engine, R=W=1 (dots: buckets t..t+0.5 ms)'],
  ['#2ca02c', 'quorum engine, R=W=2'],
];
legend.forEach(([c, label], i) => {
  const ly = y(0.78) + i * 18;
  parts.push(`<rect x="${W - 330}" y="${f(ly - 9)}" width="12" height="12" fill="${c}"/>`);
  parts.push(`<text x="${W - 312}" y="${f(ly + 1)}">${label}</text>`);
});
parts.push('</svg>');

mkdirSync('docs/img', { recursive: true });
writeFileSync(`${OUT}.tmp`, `${parts.join('\n')}\n`);
renameSync(`${OUT}.tmp`, OUT);
console.log('| t (ms) | engine R=W=1 | WARS Monte Carlo | difference | engine R=W=2 |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  console.log(`| ${r.t0} | ${pct(r.engine)} | ${pct(r.wars)} | ${((r.engine - r.wars) * 100).toFixed(1)} pp | ${pct(r.engine22)} |`);
}
console.log(`wrote ${OUT}`);
