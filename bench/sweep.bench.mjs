// Sweep throughput: `replsim sweep` over N seeds of a scenario (default: the quickstart, 40
// seeds; `node bench/sweep.bench.mjs FILE N`) on the worker pool, in this process so that
// process.cpuUsage() counts the worker threads too. Prints runs/s of wall time, CPU seconds
// per run, and the machine's load beside them (on a shared machine wall figures mean little
// without it). Needs dist/ (npm run build).
import { loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { main } from '../dist/cli/main.js';
import { memoryIo } from '../dist/cli/io.js';

const root = join(import.meta.dirname, '..');
const file = process.argv[2] ?? join(root, 'scenarios', 'quickstart.yaml');
const seeds = Number(process.argv[3] ?? 40);
const load_before = loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const io = memoryIo();
const code = await main(['sweep', file, '--seeds', `1..${seeds}`, '--json'], io);
const wall_s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpu_s = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    bench: 'sweep',
    scenario: file.split('/').pop(),
    runs: seeds,
    exit: code,
    wall_s: Number(wall_s.toFixed(2)),
    runs_per_s: Number((seeds / wall_s).toFixed(2)),
    cpu_s: Number(cpu_s.toFixed(2)),
    cpu_s_per_run: Number((cpu_s / seeds).toFixed(3)),
    workers: Math.min(availableParallelism(), seeds),
    load_1m_before: load_before,
    load_1m_after: loadavg()[0],
  }),
);
