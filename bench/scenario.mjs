// Runs one scenario file and prints one JSON line of speed and memory figures.
// Usage: node bench/scenario.mjs FILE [--engine-override JSON]
import { loadScenario, runScenario } from '../dist/index.js';

const file = process.argv[2];
const override = process.argv[3] === '--engine' ? JSON.parse(process.argv[4]) : undefined;
const loaded = loadScenario(file);
if (!loaded.ok) {
  console.log(JSON.stringify({ bench: 'scenario', file, error: 'invalid scenario' }));
  process.exit(0);
}
const scenario = override ? { ...loaded.scenario, engine: { ...loaded.scenario.engine, ...override } } : loaded.scenario;
const t0 = performance.now();
const out = runScenario(scenario, { wallClock: () => performance.now() });
const wall = (performance.now() - t0) / 1000;
if (!out.ok) {
  console.log(JSON.stringify({ bench: 'scenario', scenario: scenario.name, error: out.error }));
  process.exit(0);
}
const r = out.result;
const events = r.metrics.events;
const sim = r.metrics.sim_seconds;
const simWall = r.metrics.wall_seconds_simulate ?? wall;
console.log(
  JSON.stringify({
    bench: 'scenario',
    scenario: r.scenario,
    engine: r.engine,
    ops: r.ops.total,
    events,
    wall_s: +wall.toFixed(3),
    events_per_s: Math.round(events / simWall),
    simulate_s: +simWall.toFixed(3),
    check_s: +(r.metrics.wall_seconds_check ?? 0).toFixed(3),
    sim_per_wall: +(sim / wall).toFixed(1),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    stop: r.stop.reason,
  }),
);

