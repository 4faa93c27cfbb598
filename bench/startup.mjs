// Cold start (issue 19.3, 18.5): wall time of `replsim --help`, `--version` and a plain
// `replsim run scenarios/quickstart.yaml` in a fresh process each time, as a user meets them.
// Prints one JSON line per command: median and min over RUNS processes (after one warm-up for
// the file cache), with the load average beside the figure (2-core machines are shared).
// Targets: --help <= 300 ms, quickstart <= 800 ms. The quickstart is measured as users run it
// (printing the report), quiet, and without the V8 code cache (REPLSIM_NO_CODE_CACHE=1: the ES
// bundle, as before the cache) to show what the cache is worth in the same sitting. The warm-up
// run also makes the code cache (bin/code-cache.mjs), as a user's first run does.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// STARTUP_ROOT=/other/checkout measures another build (e.g. before a change) the same way.
const root = process.env.STARTUP_ROOT ?? join(import.meta.dirname, '..');
const CPU_HOOK = pathToFileURL(join(import.meta.dirname, 'cpu-at-exit.mjs')).href;
const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const commands = [
  { name: 'help', args: ['--help'], target_ms: 300 },
  { name: 'version', args: ['--version'], target_ms: 300 },
  { name: 'quickstart', args: ['run', 'scenarios/quickstart.yaml'], target_ms: 800 },
  { name: 'quickstart-quiet', args: ['run', 'scenarios/quickstart.yaml', '--quiet'], target_ms: 800 },
  { name: 'quickstart-no-code-cache', args: ['run', 'scenarios/quickstart.yaml'], env: { REPLSIM_NO_CODE_CACHE: '1' }, target_ms: 800 },
];

for (const c of commands) {
  const walls = [];
  const cpus = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', CPU_HOOK, join(root, 'bin', 'replsim.mjs'), ...c.args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...c.env },
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = Number(String(r.output[3] ?? '').trim());
    if (r.status !== 0) {
      console.log(JSON.stringify({ bench: 'startup', command: c.name, error: `exit ${r.status}: ${r.stderr.split('\n')[0]}` }));
      break;
    }
    if (i > 0) {
      // the first run only warms the file cache
      walls.push(ms);
      cpus.push(cpu);
    }
  }
  if (walls.length === 0) continue;
  walls.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const median_ms = walls[Math.floor(walls.length / 2)];
  console.log(
    JSON.stringify({
      bench: 'startup',
      command: `${Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v} `).join('')}replsim ${c.args.join(' ')}`,
      runs: walls.length,
      median_ms: Math.round(median_ms),
      min_ms: Math.round(walls[0]),
      // CPU time of the process (the hook's figure, so without Node's own exit): steadier under load
      cpu_median_ms: Math.round(cpus[Math.floor(cpus.length / 2)]),
      target_ms: c.target_ms,
      met: median_ms <= c.target_ms,
      load_avg_1m: Number(loadavg()[0].toFixed(2)),
      node: process.version,
    }),
  );
}

// Where the quickstart's time goes, from `run --json`'s own clock: `outside_ms` is the process
// minus the run (Node's start, module loading and compiling, parsing flags, validating the
// scenario, printing), then the simulation and the check.
{
  const parts = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, 'bin', 'replsim.mjs'), 'run', 'scenarios/quickstart.yaml', '--json'], { cwd: root, encoding: 'utf8' });
    const total_ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) break;
    const m = JSON.parse(r.stdout).metrics;
    if (i > 0 && typeof m.wall_seconds === 'number') {
      parts.push({ total_ms, outside_ms: total_ms - m.wall_seconds * 1000, simulate_ms: m.wall_seconds_simulate * 1000, check_ms: m.wall_seconds_check * 1000 });
    }
  }
  if (parts.length > 0) {
    const med = (f) => Math.round(parts.map((p) => p[f]).sort((a, b) => a - b)[Math.floor(parts.length / 2)]);
    console.log(
      JSON.stringify({
        bench: 'startup-split',
        command: 'replsim run scenarios/quickstart.yaml --json',
        runs: parts.length,
        total_median_ms: med('total_ms'),
        outside_median_ms: med('outside_ms'),
        simulate_median_ms: med('simulate_ms'),
        check_median_ms: med('check_ms'),
        load_avg_1m: Number(loadavg()[0].toFixed(2)),
      }),
    );
  }
}
