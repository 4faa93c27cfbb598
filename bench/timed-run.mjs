// One scenario run with its wall and CPU time (user), for the benchmarks that build their own
// scenario text. Prints `{ bench: NAME, ...tags, error }` and exits on a bad scenario or run.
import { parseScenario, runScenario } from '../dist/index.js';

export function timedRun(name, text, tags = {}) {
  const p = parseScenario(text, `${name}.yaml`);
  if (!p.ok) {
    console.log(JSON.stringify({ bench: name, ...tags, error: 'invalid scenario', detail: JSON.stringify(p).slice(0, 400) }));
    process.exit(0);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = runScenario(p.scenario, { wallClock: () => performance.now() });
  const wall_s = (performance.now() - t0) / 1000;
  const cpu_s = process.cpuUsage(c0).user / 1e6;
  if (!out.ok) {
    console.log(JSON.stringify({ bench: name, ...tags, error: out.error }));
    process.exit(0);
  }
  return { r: out.result, wall_s, cpu_s };
}
