// `npm run bench:lin-work`: the work the linearizability search does on every built-in
// scenario (states stored, peak memo bytes) against its bounds, one JSON line each, then the
// maximum. `run`/`test`/`compare` bound the search by this work, never by time, so these
// figures (the same on every machine) are what the default bounds must cover.
// Usage: node bench/lin-work.mjs [NAME-FILTER...]   (after `npm run build`)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let maxStates = 0;
let maxMemo = 0;
for (const f of files) {
  const loaded = loadScenario(join(root, 'scenarios', f));
  if (!loaded.ok) {
    console.log(JSON.stringify({ bench: 'lin-work', scenario: f, error: 'invalid scenario' }));
    continue;
  }
  const out = runScenario(loaded.scenario);
  if (!out.ok) {
    console.log(JSON.stringify({ bench: 'lin-work', scenario: f, error: out.error }));
    continue;
  }
  const lin = out.result.anomalies.non_linearizable;
  const work = lin.work ?? null;
  if (work) {
    maxStates = Math.max(maxStates, work.states);
    maxMemo = Math.max(maxMemo, work.peak_memo_bytes);
  }
  console.log(
    JSON.stringify({
      bench: 'lin-work',
      scenario: f,
      count: lin.count,
      unknown: lin.unknown === true,
      ...(lin.note ? { note: lin.note } : {}),
      states: work?.states ?? null,
      peak_memo_bytes: work?.peak_memo_bytes ?? null,
      max_states: work?.max_states ?? null,
      max_memo_bytes: work?.max_memo_bytes ?? null,
    }),
  );
}
console.log(JSON.stringify({ bench: 'lin-work', scenario: '(max)', states: maxStates, peak_memo_bytes: maxMemo }));
