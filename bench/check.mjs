// Linearizability checker benchmark (prints JSON). Run via `npm run bench:check` (builds dist/).
// - the 102 Porcupine etcd histories (cas-register, Porcupine semantics): total, slowest, rate
// - the c50 kv histories (Porcupine runs these only as benchmarks)
// - a generated 1,000,000-op register history over 1,000 keys: a sequential execution whose
//   ops get overlapping real-time windows, with 1% of writes ending `info` (half of them never
//   applied); deterministic (fixed seed), so it is linearizable and every run checks the same.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { nonLinearizable } from '../dist/checker/linearizable.js';
import { readHistory } from '../dist/history/import/index.js';
import { mulberry32 } from './mulberry32.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const oracles = join(root, '../shared/oracles');
const clock = () => performance.now();
const round = (x) => Math.round(x * 10) / 10;

// Wall time, plus this process's CPU time: on a shared machine the wall time also counts
// the time other processes held the cores, the CPU time does not.
function check(records, opts) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = nonLinearizable(records, { ...opts, budget: { now_ms: clock, time_ms: 60_000 } });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpu_ms: (c.user + c.system) / 1000, verdict: r.verdict, note: r.report.note };
}

const out = {};

if (existsSync(oracles)) {
  const dir = join(oracles, 'porcupine-etcd');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log') && f !== 'etcd_095.log')
    .sort();
  const parsed = files.map((f) => {
    const r = readHistory('jepsen-log', readFileSync(join(dir, f), 'utf8'), f);
    if (!r.ok) throw new Error(`${f}: ${r.error.message}`);
    return { f, records: r.records };
  });
  const opts = { model: 'cas-register', initial: null, nilRead: 'empty' };
  const pass = () => {
    const times = parsed.map(({ f, records }) => ({ f, ...check(records, opts) }));
    const total = times.reduce((s, x) => s + x.ms, 0);
    const cpu = times.reduce((s, x) => s + x.cpu_ms, 0);
    const slowest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      total_ms: round(total),
      total_cpu_ms: round(cpu),
      slowest_ms: round(slowest.ms),
      slowest_cpu_ms: round(slowest.cpu_ms),
      slowest_file: slowest.f,
      histories_per_s: Math.round(times.length / (total / 1000)),
    };
  };
  const first = pass();
  out.etcd = { histories: parsed.length, first_pass: first, second_pass: pass() };

  out.c50_kv = {};
  for (const name of ['c50-ok.txt', 'c50-bad.txt']) {
    const r = readHistory('jepsen-edn', readFileSync(join(oracles, 'porcupine-kv', name), 'utf8'), name);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    const c = check(r.records, { model: 'kv', initial: '' });
    out.c50_kv[name] = { ms: round(c.ms), cpu_ms: round(c.cpu_ms), verdict: c.verdict, ...(c.note ? { note: c.note } : {}) };
  }
} else {
  out.oracles = `skipped: ${oracles} is absent`;
}

// --- generated million-op register history ---------------------------------------------
function generate(nOps, nKeys, seed) {
  const rnd = mulberry32(seed);
  const value = new Map();
  const calls = new Float64Array(nOps);
  const rets = new Float64Array(nOps);
  const invokes = new Array(nOps);
  const completions = new Array(nOps);
  for (let i = 0; i < nOps; i++) {
    const key = `k${Math.floor(rnd() * nKeys)}`;
    const point = 10 * (i + 1); // linearization points, 10 µs apart
    const call_t = Math.max(0, point - Math.floor(rnd() * 5000));
    const ret_t = point + Math.floor(rnd() * 5000);
    calls[i] = call_t;
    rets[i] = ret_t;
    const client = `c${i % 500}`;
    if (rnd() < 0.5) {
      invokes[i] = { t: call_t, type: 'invoke', op: i, client, node: client, f: 'read', key };
      completions[i] = { t: ret_t, type: 'ok', op: i, value: value.get(key) ?? null };
    } else {
      invokes[i] = { t: call_t, type: 'invoke', op: i, client, node: client, f: 'write', key, value: i };
      const u = rnd();
      if (u < 0.005) {
        completions[i] = { t: ret_t, type: 'info', op: i }; // unknown outcome, never applied
      } else {
        value.set(key, i);
        completions[i] = u < 0.01 ? { t: ret_t, type: 'info', op: i } : { t: ret_t, type: 'ok', op: i };
      }
    }
  }
  // events ordered by time (ties: order generated); seq < 2^21 keeps the sort key exact
  const order = new Float64Array(2 * nOps);
  for (let i = 0; i < nOps; i++) {
    order[2 * i] = calls[i] * 2 ** 21 + 2 * i;
    order[2 * i + 1] = rets[i] * 2 ** 21 + 2 * i + 1;
  }
  order.sort();
  const records = new Array(2 * nOps);
  for (let j = 0; j < order.length; j++) {
    const seq = order[j] % 2 ** 21;
    const i = Math.floor(seq / 2);
    records[j] = seq % 2 === 0 ? invokes[i] : completions[i];
  }
  return records;
}

const N = 1_000_000;
const g0 = performance.now();
const records = generate(N, 1000, 42);
const genMs = performance.now() - g0;
const m = check(records, { model: 'register' });
out.million = {
  ops: N,
  keys: 1000,
  generate_ms: round(genMs),
  check_ms: round(m.ms),
  check_cpu_ms: round(m.cpu_ms),
  ops_per_s: Math.round(N / (m.ms / 1000)),
  verdict: m.verdict,
  ...(m.note ? { note: m.note } : {}),
};

out.load_average_1m = Math.round(os.loadavg()[0] * 100) / 100;
out.cores = os.cpus().length;
console.log(JSON.stringify(out, null, 2));
