// The raft quickstart's check (issue 19.4): scenarios/quickstart.yaml's traffic under
// `raft:lease` (as `replsim compare` applies it), simulated once without the checker, then its
// history checked as `run` checks it (every family, the run's own check options, the default
// state bound) and its linearizability family alone. Prints one JSON line: wall and CPU ms of
// each, states the search stored, the verdict, and the machine load.
// Before lin/zones.ts the busiest key (k0) ran out of the 20 M-state bound (~60 s of CPU, verdict
// unknown); target: the whole check in ≤ 1 s.
//   node bench/check-raft-quickstart.bench.mjs   (also run by `npm run bench` and `npm run bench:check`)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { runScenario } from '../dist/index.js';
import { checkHistory } from '../dist/checker/index.js';
import { nonLinearizable } from '../dist/checker/linearizable.js';
import { checkOptionsOf } from '../dist/run/run.js';
import { parseEngineSettings } from '../dist/compare/settings.js';
import { withEngineSetting } from '../dist/compare/apply.js';

const file = join(import.meta.dirname, '..', 'scenarios', 'quickstart.yaml');
const round = (x) => Math.round(x * 10) / 10;
const out = { bench: 'check-raft-quickstart', setting: 'raft:lease', load_1m: os.loadavg()[0], cpus: os.cpus().length };

const parsed = parseEngineSettings(['raft:lease']);
const applied = parsed.ok ? withEngineSetting(readFileSync(file, 'utf8'), parsed.settings[0]) : parsed;
if (!applied.ok) throw new Error(String(applied.error));
const scenario = applied.scenario;
const sim = runScenario(scenario, { keepHistory: true, check: false });
if (!sim.ok) throw new Error(sim.error);
const records = sim.history;
out.records = records.length;

function timed(f) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms: round(ms), cpu_ms: round((c.user + c.system) / 1000), r };
}

const opts = checkOptionsOf(scenario);
const all = timed(() => checkHistory(records, opts));
const lin = all.r.anomalies.non_linearizable;
out.check = { ms: all.ms, cpu_ms: all.cpu_ms, linearizable: all.r.linearizable, non_linearizable: lin.count, states: lin.work?.states ?? null };
const alone = timed(() => nonLinearizable(records, opts));
out.lin_only = { ms: alone.ms, cpu_ms: alone.cpu_ms, verdict: alone.r.verdict, states: alone.r.report.work?.states ?? null };
out.load_1m_end = os.loadavg()[0];
console.log(JSON.stringify(out));
