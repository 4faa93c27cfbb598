/**
 * `replsim compare A.yaml B.yaml ...`: several scenario files side by side, each with its own
 * engine, instead of one file under several `--engine` settings. Meant for files that differ
 * in their engine (a module engine against a built-in one, two versions of an engine): the
 * report notes where the files' traffic differs (seed, duration, regions, workload, faults),
 * since then the rows are not the same experiment.
 */
import { basename } from 'node:path';
import { prepareScenario } from '../run/prepare.js';
import { formatError } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { runPool } from '../suite/pool.js';
import { rowOf, type CompareOptions, type CompareResult, type CompareRow } from './compare.js';

/** Runs every file (its own engine, the seed overridden by `opts.seed`); rows follow `files`. */
export async function compareFiles(files: readonly string[], opts: CompareOptions = {}): Promise<CompareResult> {
  const scenarios: Scenario[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const loaded = await prepareScenario(f, opts.seed === undefined ? {} : { seed: opts.seed });
    if (loaded.ok) scenarios.push(loaded.scenario);
    else errors.push(...loaded.errors.map(formatError));
  }
  if (errors.length > 0) return { ok: false, errors };
  const labels = files.map((f) => basename(f).replace(/\.ya?ml$/, ''));
  let done = 0;
  const outcomes = await runPool(scenarios, {
    ...(opts.workers === undefined ? {} : { workers: opts.workers }),
    onDone: (i) => opts.onProgress?.(++done, scenarios.length, labels[i] ?? ''),
  });
  const rows: CompareRow[] = outcomes.map((out, i) => {
    const label = labels[i] ?? '';
    return out.ok ? rowOf(label, out.result) : { setting: label, ok: false, error: out.error };
  });
  const first = scenarios[0] as Scenario;
  return {
    ok: true,
    report: {
      scenario: scenarios.map((s) => s.name).join(' vs '),
      file: files.join(' '),
      seed: first.seed,
      rows,
      notes: trafficDifferences(scenarios, labels),
    },
  };
}

/** What differs between the files besides the engine: each a reason the rows are not comparable. */
export function trafficDifferences(scenarios: readonly Scenario[], labels: readonly string[]): string[] {
  const first = scenarios[0];
  if (!first) return [];
  const parts: Array<[string, (s: Scenario) => unknown]> = [
    ['seed', (s) => s.seed],
    ['duration', (s) => [s.duration_us, s.settle_us]],
    ['regions', (s) => s.regions],
    ['network', (s) => s.network],
    ['workload', (s) => s.workload],
    ['faults', (s) => s.faults],
  ];
  const notes: string[] = [];
  scenarios.forEach((s, i) => {
    if (i === 0) return;
    const differ = parts.filter(([, get]) => JSON.stringify(get(s)) !== JSON.stringify(get(first))).map(([name]) => name);
    if (differ.length > 0) notes.push(`${labels[i]} differs from ${labels[0]} in ${differ.join(', ')}: not the same traffic`);
  });
  return notes;
}
