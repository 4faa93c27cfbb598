// The kernel against a bare loop (issue 19.6): replsim's M/M/1 (bench/mm1.mjs, the kernel's
// public API with its limits and stop reasons) and ../shared/bench's plain binary heap, in the
// same sitting, alternated so that both see the same machine load. Prints one JSON line with
// each side's median events/s over ROUNDS runs and their ratio (≥ 1: the kernel is no slower).
// Usage: node bench/mm1.bench.mjs [N=2000000] [ROUNDS=5]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const baseline = join(root, '..', 'shared', 'bench', 'mm1_node.mjs');
if (!existsSync(baseline)) {
  console.log(JSON.stringify({ bench: 'mm1-vs-baseline', error: `no baseline at ${baseline}` }));
  process.exit(0);
}
const run = (file) => JSON.parse(execFileSync(process.execPath, [file, String(N)], { encoding: 'utf8' }).trim().split('\n').pop());
const ours = [];
const theirs = [];
for (let i = 0; i < ROUNDS; i++) {
  // alternate who goes first, so neither always runs right after the other warmed the caches
  const pair = i % 2 === 0 ? [baseline, join(root, 'bench', 'mm1.mjs')] : [join(root, 'bench', 'mm1.mjs'), baseline];
  for (const f of pair) (f === baseline ? theirs : ours).push(run(f));
}
const median = (xs) => xs.map((x) => x.events_per_s).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = median(ours);
const b = median(theirs);
console.log(
  JSON.stringify({
    bench: 'mm1-vs-baseline',
    customers: N,
    rounds: ROUNDS,
    kernel_events_per_s: Math.round(k),
    baseline_events_per_s: Math.round(b),
    ratio: +(k / b).toFixed(3),
    kernel_mean_wait: ours[0].mean_wait,
    baseline_mean_wait: theirs[0].mean_wait,
    load1: +loadavg()[0].toFixed(2),
  }),
);
