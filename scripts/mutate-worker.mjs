// One mutant's runs (scripts/mutate.mjs starts it with `node --import tsx`): loads every given
// scenario from a copy of src/ (the mutated tree), runs it with the checker and prints one JSON
// line per (scenario, seed) with what the harness compares against the unmutated baseline.
// Usage: node --import tsx scripts/mutate-worker.mjs SRC_DIR SEEDS FILE...
//   SEEDS: how many seeds per scenario (the scenario's own, then seed+1, ...).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [srcDir, seedsArg, ...files] = process.argv.slice(2);
const seeds = Math.max(1, Number(seedsArg) || 1);
const { loadScenario } = await import(pathToFileURL(join(srcDir, 'scenario', 'load.ts')).href);
const { runScenario } = await import(pathToFileURL(join(srcDir, 'run', 'run.ts')).href);

for (const file of files) {
  const l = loadScenario(file);
  if (!l.ok) {
    emit({ file, seed: null, kind: 'crash', error: `load: ${l.errors.map((e) => e.message).join('; ')}` });
    continue;
  }
  for (let i = 0; i < seeds; i++) {
    const seed = l.scenario.seed + i;
    emit(runOne(file, { ...l.scenario, seed }, i === 0));
  }
}

/** Runs one scenario at one seed; a thrown error is a crash, not a harness failure. */
function runOne(file, scenario, ownSeed) {
  try {
    const out = runScenario(scenario, { keepHistory: true });
    if (!out.ok) return { file, seed: scenario.seed, kind: 'crash', error: out.error };
    const r = out.result;
    // Engine-reported invariants are fault records the engine wrote; the checker's own
    // invariant rules (oversell, double apply ...) are the rest of the family's count.
    const engineInvariants = out.history.filter((h) => h.type === 'fault' && h.fault === 'invariant').length;
    const counts = {};
    for (const [name, a] of Object.entries(r.anomalies)) counts[name] = a.count;
    return {
      file,
      seed: scenario.seed,
      kind: 'ran',
      // only the scenario's own seed has an expect block that was written for it
      unmet: ownSeed ? r.expect.filter((e) => !e.met).map((e) => `${e.name} ${e.want} (got ${e.got})`) : [],
      complete: r.stop.complete,
      stop: r.stop.reason,
      counts,
      engineInvariants,
      sha: r.history_sha256,
    };
  } catch (e) {
    const err = e instanceof Error ? e.message : String(e);
    return { file, seed: scenario.seed, kind: 'crash', error: err.split('\n')[0] };
  }
}

function emit(o) {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}
