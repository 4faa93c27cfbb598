// What the built-in scenarios use of the run limits (history bytes, largest record, replica
// state, heap), to keep the defaults of `limits:` far above them (src/scenario/limit-defaults.ts).
// Needs dist/ (`npm run build`). Usage: node bench/limits.mjs [NAME-FILTER...]
// Prints one JSON line per scenario and a last line with the maxima and the default limits.
import { createReadStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { loadScenario, runScenario } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
const dir = mkdtempSync(join(tmpdir(), 'replsim-limits-'));
const max = { history_bytes: 0, value_bytes: 0, state_bytes: 0, heap_mb: 0 };
let defaults;
for (const f of files) {
  const loaded = loadScenario(join(root, 'scenarios', f));
  if (!loaded.ok) continue;
  defaults ??= loaded.scenario.limits;
  const path = join(dir, 'h.jsonl');
  const out = runScenario(loaded.scenario, { historyPath: path, check: false });
  const heap_mb = Math.round(getHeapStatistics().used_heap_size / 2 ** 20);
  if (!out.ok) continue;
  // Same counting as src/run/limits.ts: JSON line lengths, the last apply per node and key.
  let history_bytes = 0;
  let value_bytes = 0;
  let state_bytes = 0;
  const state = new Map();
  // line by line: the longest built-in history is over 512 MB, more than one string may hold
  for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    if (!line) continue;
    const n = line.length + 1;
    history_bytes += n;
    value_bytes = Math.max(value_bytes, n);
    if (line.includes('"type":"apply"')) {
      const r = JSON.parse(line);
      const id = `${r.node}\u0000${r.key}`;
      state_bytes += n - (state.get(id) ?? 0);
      state.set(id, n);
    }
  }
  rmSync(path, { force: true });
  const row = { history_bytes, value_bytes, state_bytes, heap_mb };
  for (const k of Object.keys(max)) max[k] = Math.max(max[k], row[k]);
  console.log(JSON.stringify({ bench: 'limits', scenario: f, ...row, stop: out.result.stop.reason }));
}
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'limits',
    summary: 'largest use by a built-in scenario vs the default limit',
    max,
    defaults: defaults && {
      max_history_bytes: defaults.max_history_bytes,
      max_value_bytes: defaults.max_value_bytes,
      max_state_bytes: defaults.max_state_bytes,
      max_heap_mb: defaults.max_heap_mb,
    },
  }),
);
