// Issue 19.1: the 2-hour three-way partition under async LWW with default engine settings
// (bench/scenarios/partition-2h-defaults.yaml: no coalescing, no queue_limit, so every change
// of the partition waits in the change log). Target: ≤ 20 s of CPU and ≤ 1 GiB peak RSS.
// Three runs, each in a fresh process (bench/scenario.mjs): one run of this memory-bound
// scenario varies by several seconds on a shared virtual machine, so the line gives the
// median of the three (cpu_s, wall_s, peak_rss_mb) and every run's figures beside it.
// `node bench/partition-2h-defaults.bench.mjs [runs=3]`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Math.max(1, Number(process.argv[2] ?? 3) | 0);
const results = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, [join(root, 'bench', 'scenario.mjs'), join(root, 'bench', 'scenarios', 'partition-2h-defaults.yaml')], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  results.push(JSON.parse(out.trim().split('\n').pop()));
}
const median = (f) => {
  const xs = results.map(f).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
};
const byCpu = [...results].sort((a, b) => a.cpu_s - b.cpu_s);
const mid = byCpu[Math.floor(byCpu.length / 2)];
console.log(
  JSON.stringify({
    ...mid,
    bench: 'partition-2h-defaults',
    runs,
    cpu_s: median((r) => r.cpu_s),
    wall_s: median((r) => r.wall_s),
    peak_rss_mb: median((r) => r.peak_rss_mb),
    cpu_s_runs: results.map((r) => r.cpu_s),
    peak_rss_mb_runs: results.map((r) => r.peak_rss_mb),
    load1_runs: results.map((r) => r.load1),
    target_cpu_s: 20,
    target_peak_rss_mb: 1024,
  }),
);
