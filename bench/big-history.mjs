// Writes a big simulator-format (jsonl) history for measuring `replsim check` on large files:
// N ops (default 1,000,000: 2,000,000 lines, one invoke and one completion each) over a key
// space of K keys (default 1,000,000), keys drawn uniformly, from 500 clients. A sequential
// execution whose ops get overlapping real-time windows (linearization points 10 µs apart,
// windows up to ±5 ms), half reads, half writes with values unique per key; 1% of writes end
// `info` (half of them never applied). Deterministic (fixed seed): every run writes the same
// bytes, and the history is linearizable.
//
//   node bench/big-history.mjs OUT.jsonl [ops] [keys]
//   /usr/bin/time -v node bin/replsim.mjs check OUT.jsonl                 # partitioned: 64 MB buckets
//   /usr/bin/time -v node bin/replsim.mjs check OUT.jsonl --memory-mb 1e6 # the one-pass check
import { openSync, writeSync, closeSync, renameSync } from 'node:fs';
import { mulberry32 } from './mulberry32.mjs';

const [out, opsArg, keysArg] = process.argv.slice(2);
if (!out) {
  console.error('usage: node bench/big-history.mjs OUT.jsonl [ops=1000000] [keys=1000000]');
  process.exit(2);
}
const N = Number(opsArg ?? 1_000_000);
const K = Number(keysArg ?? 1_000_000);

const rnd = mulberry32(42);
const value = new Map();
const calls = new Float64Array(N);
const rets = new Float64Array(N);
const invokes = new Array(N);
const completions = new Array(N);
for (let i = 0; i < N; i++) {
  const id = i + 1; // the simulator's numbering
  const key = `k${Math.floor(rnd() * K)}`;
  const point = 10 * (i + 1) + 5000;
  const call_t = point - Math.floor(rnd() * 5000);
  const ret_t = point + Math.floor(rnd() * 5000);
  calls[i] = call_t;
  rets[i] = ret_t;
  const client = `r${i % 5}/${i % 500}`;
  if (rnd() < 0.5) {
    const v = value.get(key) ?? null;
    invokes[i] = `{"t":${call_t},"type":"invoke","op":${id},"client":"${client}","node":"${client}","f":"read","key":"${key}"}`;
    completions[i] = `{"t":${ret_t},"type":"ok","op":${id},"value":${JSON.stringify(v)}}`;
  } else {
    invokes[i] = `{"t":${call_t},"type":"invoke","op":${id},"client":"${client}","node":"${client}","f":"write","key":"${key}","value":${id}}`;
    const u = rnd();
    if (u < 0.005) completions[i] = `{"t":${ret_t},"type":"info","op":${id}}`;
    else {
      value.set(key, id);
      completions[i] = u < 0.01 ? `{"t":${ret_t},"type":"info","op":${id}}` : `{"t":${ret_t},"type":"ok","op":${id},"value":${id}}`;
    }
  }
}
// events ordered by time (ties: order generated); seq < 2^22 keeps the sort key exact
const order = new Float64Array(2 * N);
for (let i = 0; i < N; i++) {
  order[2 * i] = calls[i] * 2 ** 22 + 2 * i;
  order[2 * i + 1] = rets[i] * 2 ** 22 + 2 * i + 1;
}
order.sort();
const tmp = `${out}.tmp`;
const fd = openSync(tmp, 'w');
let buf = [];
for (let j = 0; j < order.length; j++) {
  const seq = order[j] % 2 ** 22;
  const i = Math.floor(seq / 2);
  buf.push(seq % 2 === 0 ? invokes[i] : completions[i]);
  if (buf.length === 65536) {
    writeSync(fd, buf.join('\n') + '\n');
    buf = [];
  }
}
if (buf.length > 0) writeSync(fd, buf.join('\n') + '\n');
closeSync(fd);
renameSync(tmp, out);
console.log(JSON.stringify({ file: out, ops: N, lines: 2 * N, key_space: K, distinct_keys: new Set(invokes.map((s) => /"key":"([^"]+)"/.exec(s)[1])).size }));
