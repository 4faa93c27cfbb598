// Validation time against file size (issue 20.1): a scenario with N unknown top-level keys,
// N keys under `expect:`, and an N-item list defined once with an anchor and used once
// through an alias, at 5k, 20k and 80k (plus 101k top-level keys). Prints one JSON line per
// case and one summary line with the 20k/5k ratios (linear is ~4x; the acceptance bound is 6x).
// Needs dist/ (`npm run build`). Usage: node bench/validate.mjs [--sizes 5000,20000]
import { performance } from 'node:perf_hooks';
import { parseScenario } from '../dist/index.js';

const HEAD = `name: big\nduration: 10s\nregions:\n  us-east: { nodes: 1 }\nengine: { type: async }\n`;

/** The three hostile shapes of issue 20.1, each about n lines long. */
export const CASES = {
  // base-36 key names keep 101,000 keys under the 1 MiB file limit
  top_keys: (n) => HEAD + Array.from({ length: n }, (_, i) => `k${i.toString(36)}: 1\n`).join(''),
  expect_keys: (n) => `${HEAD}expect:\n` + Array.from({ length: n }, (_, i) => `  k${i.toString(36)}: 1\n`).join(''),
  alias_items: (n) => `${HEAD}description: &D [${Array(n).fill('1').join(', ')}]\nworkload:\n  script: *D\n`,
};

const args = process.argv.slice(2);
const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [5_000, 20_000, 80_000];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function time(text) {
  // Best of three: the first pass also pays for JIT compilation. CPU time beside wall time:
  // on a shared machine the wall clock also measures the neighbours.
  let best = Infinity;
  let bestCpu = Infinity;
  let errors = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const r = parseScenario(text, 'bench.yaml');
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, cpuMs() - c0);
    errors = r.ok ? 0 : r.errors.length;
  }
  return { ms: best, cpu_ms: bestCpu, errors };
}

const results = {};
for (const [name, gen] of Object.entries(CASES)) {
  const list = name === 'top_keys' && sizesArg < 0 ? [...sizes, 101_000] : sizes;
  for (const n of list) {
    const text = gen(n);
    const { ms, cpu_ms, errors } = time(text);
    results[`${name}:${n}`] = cpu_ms;
    console.log(
      JSON.stringify({ bench: 'validate', case: name, items: n, bytes: Buffer.byteLength(text), ms: +ms.toFixed(1), cpu_ms: +cpu_ms.toFixed(1), errors }),
    );
  }
}
if (sizes.includes(5_000) && sizes.includes(20_000)) {
  const ratio = (c) => +(results[`${c}:20000`] / results[`${c}:5000`]).toFixed(2);
  console.log(
    JSON.stringify({
      bench: 'validate',
      summary: 'cpu time ratio 20k/5k (linear ~4, bound 6)',
      ...Object.fromEntries(Object.keys(CASES).map((c) => [c, ratio(c)])),
      ...(results['top_keys:101000'] === undefined ? {} : { top_keys_101k_cpu_ms: +results['top_keys:101000'].toFixed(1) }),
    }),
  );
}
