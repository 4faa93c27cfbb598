// Issue 19.1: the 2-hour three-way partition under async LWW with default engine settings
// (bench/scenarios/partition-2h-defaults.yaml: no coalescing, no queue_limit, so every change
// of the partition waits in the change log). Target: ≤ 20 s of CPU and ≤ 1 GiB peak RSS.
// One JSON line from bench/scenario.mjs (cpu_s, peak_rss_mb, load1), in its own process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = execFileSync(process.execPath, [join(root, 'bench', 'scenario.mjs'), join(root, 'bench', 'scenarios', 'partition-2h-defaults.yaml')], {
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
const r = JSON.parse(out.trim().split('\n').pop());
console.log(JSON.stringify({ ...r, bench: 'partition-2h-defaults' }));
