/**
 * `replsim shrink`: delta debugging (Zeller and Hildebrandt, 2002) over a scenario. From a
 * run that fails, try reductions biggest first (reductions.ts); keep one only when the reduced
 * scenario still fails the same way (until.ts); after each kept reduction, try again from the
 * top, skipping reductions already refused in this pass. When a pass keeps nothing, try a few
 * other seeds: a seed under which the failure still shows may let more go; a seed change that
 * leads to no further reduction is undone. Every step is a pure function of the scenario and
 * the run results, runs are in this thread one at a time, so the same input shrinks to the
 * same file. Bounded by `maxRuns` runs (the first run included).
 */
import { stringify } from 'yaml';
import { runScenario } from '../run/run.js';
import type { RunResult } from '../run/result.js';
import { validate } from '../sweep/plan.js';
import type { Parsed } from '../sweep/values.js';
import { candidates } from './reductions.js';
import { describeTest, stillFails, unmetTest, type FailureTest } from './until.js';

type Raw = Record<string, unknown>;

/** Default run budget. */
export const DEFAULT_MAX_RUNS = 200;
/** Other seeds tried when a pass keeps nothing (the next seeds after the current one). */
export const SEED_TRIES = 3;

export interface ShrinkOptions {
  /** the seed of the failing run (default: the scenario's) */
  seed?: number;
  /** what failing means (default: the original's unmet expectations stay unmet) */
  until?: FailureTest;
  maxRuns?: number;
  /** called after every run: runs so far, the budget, and the reduction kept (if it was) */
  onRun?: (runs: number, max: number, kept: string | undefined) => void;
}

export interface ShrinkReport {
  /** the minimal scenario as written */
  raw: Raw;
  /** what was removed or simplified, in order */
  removed: string[];
  runs: number;
  /** whether the budget ran out before no reduction was left */
  exhausted: boolean;
  test: FailureTest;
  seed: number;
  /** the minimal scenario's result */
  result: RunResult;
}

/** Shrinks `raw` (a scenario as written that validated). Errors: it does not fail, or cannot run. */
export function shrinkScenario(raw0: Raw, opts: ShrinkOptions = {}): Parsed<ShrinkReport> {
  const maxRuns = opts.maxRuns ?? DEFAULT_MAX_RUNS;
  let runs = 0;
  const run = (raw: Raw): RunResult | string | undefined => {
    const v = validate(raw);
    if (!v.ok) return undefined; // not a scenario: no run spent
    runs++;
    const r = runScenario(v.value);
    return r.ok ? r.result : r.error;
  };
  let current: Raw = opts.seed === undefined ? raw0 : { ...raw0, seed: opts.seed };
  const first = run(current);
  if (first === undefined) return { ok: false, error: 'the scenario does not validate' };
  if (typeof first === 'string') return { ok: false, error: `the scenario cannot run: ${first}` };
  const test = opts.until ?? unmetTest(first);
  if (!stillFails(test, first)) {
    const why = test.kind === 'until' ? `--until ${test.text} does not hold` : 'every expectation is met';
    return { ok: false, error: `nothing to shrink: ${why} with seed ${String(current.seed ?? 1)}; give a failing --seed or --until` };
  }
  opts.onRun?.(runs, maxRuns, undefined);
  let result = first;
  const removed: string[] = [];
  const triedSeeds = new Set<number>([Number(current.seed ?? 1)]);

  const fails = (raw: Raw): RunResult | undefined => {
    const r = run(raw);
    if (r === undefined || typeof r === 'string') return undefined;
    return stillFails(test, r) ? r : undefined;
  };

  /** Greedy passes until a pass keeps nothing or the budget is spent; true if anything was kept. */
  const passes = (): boolean => {
    let keptAny = false;
    for (;;) {
      const refused = new Set<string>();
      let keptInPass = false;
      let again = true;
      while (again && runs < maxRuns) {
        again = false;
        for (const c of candidates(current)) {
          if (runs >= maxRuns) break;
          if (refused.has(c.what)) continue;
          const before = runs;
          const r = fails(c.raw);
          if (r) {
            current = c.raw;
            result = r;
            removed.push(c.what);
            keptInPass = keptAny = again = true;
            opts.onRun?.(runs, maxRuns, c.what);
            break;
          }
          refused.add(c.what);
          if (runs > before) opts.onRun?.(runs, maxRuns, undefined);
        }
      }
      if (!keptInPass || runs >= maxRuns) return keptAny;
    }
  };

  passes();
  // Other seeds: kept only when they let something more go.
  for (let k = 0; k < SEED_TRIES && runs < maxRuns; k++) {
    const seed = nextSeed(triedSeeds, Number(current.seed ?? 1));
    triedSeeds.add(seed);
    const withSeed = { ...current, seed };
    const r = fails(withSeed);
    opts.onRun?.(runs, maxRuns, undefined);
    if (!r) continue;
    const saved = { current, result, removed: removed.length };
    current = withSeed;
    result = r;
    removed.push(`seed ${String(saved.current.seed ?? 1)} → ${seed}`);
    if (!passes()) {
      current = saved.current;
      result = saved.result;
      removed.length = saved.removed;
    }
  }
  const exhausted = runs >= maxRuns;
  return { ok: true, value: { raw: current, removed, runs, exhausted, test, seed: Number(current.seed ?? 1), result } };
}

function nextSeed(tried: ReadonlySet<number>, from: number): number {
  let s = from + 1;
  while (tried.has(s)) s++;
  return s;
}

/** The minimal scenario's YAML, with a header comment saying where it came from and what went. */
export function shrunkYaml(report: ShrinkReport, file: string): string {
  const head = [
    `# Shrunk by \`replsim shrink ${file}\` in ${report.runs} runs${report.exhausted ? ' (the run budget ran out; it may shrink further with --max-runs)' : ''}.`,
    `# Still fails: ${describeTest(report.test)} (seed ${report.seed}).`,
    report.removed.length === 0 ? '# Nothing could be removed.' : '# Removed or simplified, in order:',
    ...report.removed.map((w) => `#   - ${w.replace(/\s*\n\s*/g, ' ')}`),
  ];
  return `${head.join('\n')}\n${stringify(report.raw, { lineWidth: 0 })}`;
}
