// Runs one scenario file and prints one JSON line of speed and memory figures.
// Usage: node bench/scenario.mjs FILE [--setting TYPE:NAME] [--warm]   (settings as in `replsim compare`)
// A short scenario (under 2 s of simulation) is run thirteen more times: the first runs in a
// fresh process pay for JIT compilation, so both the cold rate and the steady-state rate (the
// median of the last five runs) are reported. `--warm` measures the steady state whatever the
// first run took, so two settings near the 2 s line are compared like for like.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadScenario, runScenario } from '../dist/index.js';
import { parseEngineSettings } from '../dist/compare/settings.js';
import { withEngineSetting } from '../dist/compare/apply.js';

const file = process.argv[2];
const setting = process.argv[3] === '--setting' ? process.argv[4] : undefined;
const loaded = loadScenario(file);
if (!loaded.ok) {
  console.log(JSON.stringify({ bench: 'scenario', file, error: 'invalid scenario' }));
  process.exit(0);
}
let scenario = loaded.scenario;
if (setting) {
  const parsed = parseEngineSettings([setting]);
  const applied = parsed.ok ? withEngineSetting(readFileSync(file, 'utf8'), parsed.settings[0]) : parsed;
  if (!applied.ok) {
    console.log(JSON.stringify({ bench: 'scenario', file, setting, error: applied.error }));
    process.exit(0);
  }
  scenario = applied.scenario;
}

function once() {
  const t0 = performance.now();
  const out = runScenario(scenario, { wallClock: () => performance.now() });
  const wall = (performance.now() - t0) / 1000;
  if (!out.ok) {
    console.log(JSON.stringify({ bench: 'scenario', scenario: scenario.name, error: out.error }));
    process.exit(0);
  }
  return { r: out.result, wall, sim: out.result.metrics.wall_seconds_simulate ?? wall };
}

const cold = once();
// Steady state: V8 needs five or so runs of a sub-second scenario before its optimised code is in
// place (the quickstart goes 0.4, 0.6, 0.8, 0.9, then 1.2-1.4 M events/s), so warm up for
// WARMUP runs and report the median of the MEASURED runs after them.
const WARMUP = 8;
const MEASURED = 5;
let warm;
if (cold.sim < 2 || process.argv.includes('--warm')) {
  for (let i = 0; i < WARMUP; i++) once();
  const sims = [];
  for (let i = 0; i < MEASURED; i++) sims.push(once().sim);
  sims.sort((a, b) => a - b);
  warm = { sim: sims[Math.floor(MEASURED / 2)] };
}
const r = cold.r;
const events = r.metrics.events;
console.log(
  JSON.stringify({
    bench: 'scenario',
    scenario: r.scenario,
    engine: r.engine,
    ops: r.ops.total,
    events,
    wall_s: +cold.wall.toFixed(3),
    simulate_s: +cold.sim.toFixed(3),
    check_s: +(r.metrics.wall_seconds_check ?? 0).toFixed(3),
    events_per_s: Math.round(events / (warm ?? cold).sim),
    cold_events_per_s: Math.round(events / cold.sim),
    sim_per_wall: +(r.metrics.sim_seconds / cold.wall).toFixed(1),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    // CPU of the whole process (all runs, user + system): on a shared machine wall time
    // measures the load more than the code; the load is printed beside it
    cpu_s: +((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2),
    load1: +loadavg()[0].toFixed(2),
    stop: r.stop.reason,
  }),
);
