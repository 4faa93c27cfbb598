// `replsim check` as the CLI runs it, in one process: every family (not only linearizability)
// on each of Porcupine's etcd histories (cas-register, nil = empty), timed per file from parsed
// records to report, as the CLI's `check_ms`. Prints JSON: summed and slowest wall ms and CPU ms
// per pass (pass 1 is the cold process a user runs; later passes are warm), and the machine load.
// Also a generated valid single-register history of 10,000 ops from 10 concurrent clients.
//   node bench/check-cli.bench.mjs [passes]   (also run by `npm run bench` and `npm run bench:check`)
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { checkHistory } from '../dist/checker/index.js';
import { readHistory } from '../dist/history/import/index.js';
import { readJsonl } from "../dist/history/import/jsonl.js";
import { mulberry32 } from './mulberry32.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const oracles = join(root, '../shared/oracles');
const round = (x) => Math.round(x * 10) / 10;
const passes = Number(process.argv[2] ?? 5);

function timed(records, opts) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = checkHistory(records, opts);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpu_ms: (c.user + c.system) / 1000, report };
}

const out = { bench: 'check-cli', load_1m: os.loadavg()[0], cpus: os.cpus().length };

if (existsSync(oracles)) {
  const dir = join(oracles, 'porcupine-etcd');
  const files = readdirSync(dir).filter((f) => f.endsWith('.log') && f !== 'etcd_095.log').sort();
  const parsed = files.map((f) => {
    const r = readHistory('jepsen-log', readFileSync(join(dir, f), 'utf8'), f);
    if (!r.ok) throw new Error(`${f}: ${r.error.message}`);
    return { f, records: r.records };
  });
  const opts = { model: 'cas-register', nilRead: 'empty', sessions: 'none' };
  const runs = [];
  for (let p = 0; p < passes; p++) {
    const times = parsed.map(({ f, records }) => ({ f, ...timed(records, opts) }));
    const slowest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    const slowestCpu = times.reduce((a, b) => (b.cpu_ms > a.cpu_ms ? b : a));
    runs.push({
      total_ms: round(times.reduce((s, x) => s + x.ms, 0)),
      total_cpu_ms: round(times.reduce((s, x) => s + x.cpu_ms, 0)),
      slowest_ms: round(slowest.ms),
      slowest_file: slowest.f,
      slowest_cpu_ms: round(slowestCpu.cpu_ms),
      invalid: times.filter((t) => t.report.linearizable === false).length,
      // the search's work (the same on every machine, unlike the times)
      states: times.reduce((s, t) => s + (t.report.anomalies.non_linearizable.work?.states ?? 0), 0),
    });
  }
  out.etcd_all_families = { histories: parsed.length, passes: runs };
  // What a user sees: `replsim check --json` over the 102 files, each a fresh process (so
  // pass 1 above is the comparable in-process figure); summed and slowest `check_ms`.
  const cli = [];
  for (let p = 0; p < 3; p++) {
    // exit 1 is expected (79 histories are not linearizable): read stdout whatever the code
    const r = spawnSync(process.execPath, [join(root, 'bin/replsim.mjs'), 'check', '--model', 'cas-register', '--json', ...files], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    cli.push({
      total_check_ms: round(lines.reduce((a, l) => a + l.check_ms, 0)),
      slowest_check_ms: Math.max(...lines.map((l) => l.check_ms)),
      exit: r.status,
    });
  }
  out.etcd_cli_cold = cli;
} else {
  out.etcd_all_families = `skipped: ${oracles} is absent`;
}

// A valid single-register history: 10 clients, each with one op in flight at a time; every op
// takes effect at a point inside its window, so the history is linearizable by construction.
function generate(nOps, clients, seed) {
  const rnd = mulberry32(seed);
  const lines = [];
  let value = null;
  let t = 0;
  const busyUntil = new Array(clients).fill(0);
  const events = [];
  for (let i = 0; i < nOps; i++) {
    t += 1 + Math.floor(rnd() * 20);
    const c = i % clients;
    if (busyUntil[c] >= t) t = busyUntil[c] + 1; // one op in flight per client
    const start = Math.max(busyUntil[c] + 1, t - Math.floor(rnd() * 50));
    const point = t; // points increase with i: the generation order is a linearization
    const end = point + Math.floor(rnd() * 200);
    busyUntil[c] = end;
    const id = i + 1;
    if (rnd() < 0.5) {
      events.push([start, 0, id, { t: start, type: 'invoke', op: id, client: `c${c}`, f: 'read', key: 'x' }]);
      events.push([end, 1, id, { t: end, type: 'ok', op: id, value }]);
    } else {
      events.push([start, 0, id, { t: start, type: 'invoke', op: id, client: `c${c}`, f: 'write', key: 'x', value: id }]);
      value = id;
      events.push([end, 1, id, { t: end, type: 'ok', op: id, value: id }]);
    }
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  for (const e of events) lines.push(JSON.stringify(e[3]));
  return lines.join('\n') + '\n';
}
{
  const text = generate(10_000, 10, 7);
  const r = readJsonl(text, 'generated.jsonl');
  if (!r.ok) throw new Error(r.error.message);
  const runs = [];
  for (let p = 0; p < passes; p++) {
    const x = timed(r.records, { model: 'register', nilRead: 'empty', sessions: 'none' });
    runs.push({ ms: round(x.ms), cpu_ms: round(x.cpu_ms), linearizable: x.report.linearizable, states: x.report.anomalies.non_linearizable.work?.states ?? null });
  }
  out.register_10k_10_clients = runs;
}
out.load_1m_end = os.loadavg()[0];
console.log(JSON.stringify(out));
