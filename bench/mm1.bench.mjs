// The kernel against a bare loop (issue 19.6): replsim's M/M/1 (bench/mm1.mjs, the kernel's
// public API with its limits and stop reasons) and ../shared/bench's plain binary heap, in the
// same sitting, alternated so that both see the same machine load. Prints one JSON line with
// each side's median events/s over ROUNDS runs and their ratio (>= 1: the kernel is no slower).
// `ratio` draws from the simulator's own streams (src/sim/rng.ts), as a scenario would;
// `ratio_mulberry32` from the reference's PRNG with the reference's arithmetic (unrounded
// times), so both sides pay the same draws and simulate the same customers: the like-for-like
// figure, checked below (same events, same mean_wait). CPU figures
// (user + system of each process, from bench/cpu-split-at-exit.mjs: whole process, and after
// Node's bootstrap) sit beside the wall figures: on a shared machine they bend less.
// Usage: node bench/mm1.bench.mjs [N=2000000] [ROUNDS=7]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const baseline = join(root, '..', 'shared', 'bench', 'mm1_node.mjs');
if (!existsSync(baseline)) {
  console.log(JSON.stringify({ bench: 'mm1-vs-baseline', error: `no baseline at ${baseline}` }));
  process.exit(0);
}
const CPU_HOOK = pathToFileURL(join(root, 'bench', 'cpu-split-at-exit.mjs')).href;
const ours = join(root, 'bench', 'mm1.mjs');
const sides = {
  baseline: [baseline, String(N)],
  kernel: [ours, String(N), '42', 'alea'],
  kernel_mulberry32: [ours, String(N), '42', 'mulberry32'],
};
const runs = { baseline: [], kernel: [], kernel_mulberry32: [] };
const load0 = loadavg()[0];
for (let i = 0; i < ROUNDS; i++) {
  // rotate who goes first, so none always runs right after another warmed the caches
  const names = Object.keys(sides);
  const order = names.slice(i % names.length).concat(names.slice(0, i % names.length));
  for (const name of order) {
    const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...sides[name]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`);
    const line = JSON.parse(r.stdout.trim().split('\n').pop());
    const [total_ms, main_ms] = String(r.output[3]).trim().split(' ').map(Number);
    runs[name].push({ ...line, cpu_s: total_ms / 1000, main_cpu_s: main_ms / 1000, load1: loadavg()[0] });
  }
}
// Like for like: the mulberry32 side draws the reference's numbers with the reference's
// arithmetic, so it must simulate the very same customers: same event count, same mean_wait.
// A difference means the two sides no longer run the same model, and the ratio means nothing.
const ref = runs.baseline[0];
for (const r of runs.kernel_mulberry32) {
  if (r.events !== ref.events || r.mean_wait !== ref.mean_wait) {
    throw new Error(`not the same model: kernel_mulberry32 ${r.events} events, mean_wait ${r.mean_wait}; baseline ${ref.events}, ${ref.mean_wait}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const eps = (name) => median(runs[name].map((x) => x.events_per_s));
// the fastest run of each side: the one a loaded machine disturbed least
const best = (name) => Math.max(...runs[name].map((x) => x.events_per_s));
const cpu = (name) => median(runs[name].map((x) => x.cpu_s));
const mainCpu = (name) => median(runs[name].map((x) => x.main_cpu_s));
console.log(
  JSON.stringify({
    bench: 'mm1-vs-baseline',
    customers: N,
    rounds: ROUNDS,
    kernel_events_per_s: Math.round(eps('kernel')),
    baseline_events_per_s: Math.round(eps('baseline')),
    ratio: +(eps('kernel') / eps('baseline')).toFixed(3),
    ratio_best: +(best('kernel') / best('baseline')).toFixed(3),
    kernel_mulberry32_events_per_s: Math.round(eps('kernel_mulberry32')),
    ratio_mulberry32: +(eps('kernel_mulberry32') / eps('baseline')).toFixed(3),
    cpu_ratio_mulberry32: +(cpu('baseline') / cpu('kernel_mulberry32')).toFixed(3),
    // the same ratio from CPU seconds per process (higher is better for the kernel)
    cpu_ratio: +(cpu('baseline') / cpu('kernel')).toFixed(3),
    kernel_cpu_s: +cpu('kernel').toFixed(3),
    kernel_mulberry32_cpu_s: +cpu('kernel_mulberry32').toFixed(3),
    baseline_cpu_s: +cpu('baseline').toFixed(3),
    // CPU after Node's bootstrap (script, imports, run): the same ratios without the start-up
    // both sides pay alike
    main_cpu_ratio_mulberry32: +(mainCpu('baseline') / mainCpu('kernel_mulberry32')).toFixed(3),
    main_cpu_ratio: +(mainCpu('baseline') / mainCpu('kernel')).toFixed(3),
    kernel_mulberry32_main_cpu_s: +mainCpu('kernel_mulberry32').toFixed(3),
    baseline_main_cpu_s: +mainCpu('baseline').toFixed(3),
    // how the load moved while the rounds ran (1-minute load average after each run)
    load1_min: +Math.min(...Object.values(runs).flat().map((x) => x.load1)).toFixed(2),
    load1_max: +Math.max(...Object.values(runs).flat().map((x) => x.load1)).toFixed(2),
    kernel_mean_wait: runs.kernel[0].mean_wait,
    kernel_mulberry32_mean_wait: runs.kernel_mulberry32[0].mean_wait,
    baseline_mean_wait: runs.baseline[0].mean_wait,
    load1_start: +load0.toFixed(2),
    load1: +loadavg()[0].toFixed(2),
  }),
);
