/**
 * The library side of `replsim test`: discover scenario files, load them, run them on the
 * worker pool, judge each one by its `expect` block and its golden outcome, and (with
 * `update`) record new golden outcomes. Returns data; the CLI prints it.
 */
import { resolve } from 'node:path';
import { formatError } from '../scenario/load.js';
import { prepareScenario } from '../run/prepare.js';
import { describeGot, type ExpectationResult } from '../scenario/expect.js';
import type { Scenario } from '../scenario/types.js';
import { discoverScenarios } from './discover.js';
import { outcomeDrift, outcomeOf, outcomePath, readOutcome, writeOutcome, type Outcome } from './outcome.js';
import { runPool, defaultWorkers, type PoolOutcome } from './pool.js';

export interface SuiteOptions {
  /** files or directories (default: `scenarios`) */
  paths?: readonly string[];
  /** glob patterns of files to skip */
  exclude?: readonly string[];
  /** record golden outcomes instead of comparing with them */
  update?: boolean;
  /** run only the k-th of n deterministic slices of the files (1-based), e.g. for a CI matrix */
  shard?: Shard;
  /** worker threads; 0 runs in this thread; default: up to the number of cores */
  workers?: number;
  /** base directory for relative paths (default: process.cwd()) */
  cwd?: string;
  /** monotonic milliseconds, for timings (injected by the CLI) */
  wallClock?: () => number;
  /** called after each scenario run completes, with how many are done */
  onProgress?: (done: number, total: number, file: string) => void;
  /** called with each scenario's report, in file order, as soon as it and all before it are judged */
  onReport?: (r: ScenarioReport) => void;
}

/**
 * How the golden outcome compared: `match`, `drift` (a failure), `missing` (not a failure),
 * `invalid` (unreadable: a failure), `written` / `unchanged` (with update), `none` (no run).
 */
export type GoldenStatus = 'match' | 'drift' | 'missing' | 'invalid' | 'written' | 'unchanged' | 'none';

export interface ScenarioReport {
  /** the file as given or found, relative to cwd */
  file: string;
  /** the scenario's `name`, or the file's base name when it could not be loaded */
  name: string;
  /** pass: expectations met and no drift; fail: an expectation, the golden outcome or the run failed; error: bad input */
  status: 'pass' | 'fail' | 'error';
  time_ms: number | null;
  /** one sentence per problem, in the order expectations, run, golden outcome */
  failures: string[];
  /** bad input: load errors as `file:line:col path: message`, or why the run could not start */
  errors: string[];
  expect: ExpectationResult[];
  golden: GoldenStatus;
  /** what changed from the golden outcome (`lost_update 14 → 9`) */
  drift: string[];
  /** informational lines, e.g. "no golden outcome; run --update" */
  notes: string[];
  outcome?: Outcome;
}

export interface SuiteReport {
  scenarios: ScenarioReport[];
  /** files left out by `exclude` */
  excluded: string[];
  /** the slice run, when sharded, and how many files all slices hold together */
  shard?: Shard & { of_files: number };
  workers: number;
  summary: { total: number; passed: number; failed: number; errors: number };
}

/** Slice `index` (1-based) of `count`: the files whose position in the sorted list is index-1 modulo count. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `k/n` (1 ≤ k ≤ n). */
export function parseShard(text: string): { ok: true; shard: Shard } | { ok: false; error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    return { ok: false, error: `--shard: expected k/n with 1 <= k <= n, e.g. 1/4, got "${text}"` };
  }
  return { ok: true, shard: { index, count } };
}

export type SuiteResult = { ok: true; report: SuiteReport } | { ok: false; error: string };

/** Default paths of `replsim test`. */
export const DEFAULT_SUITE_PATHS: readonly string[] = ['scenarios'];

/** Runs the suite. Never throws for bad scenarios; `{ ok: false }` only when nothing can be run. */
export async function runSuite(opts: SuiteOptions = {}): Promise<SuiteResult> {
  const paths = opts.paths && opts.paths.length > 0 ? opts.paths : DEFAULT_SUITE_PATHS;
  const found = discoverScenarios(paths, { exclude: opts.exclude ?? [], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  if (!found.ok) return { ok: false, error: found.error };
  if (found.files.length === 0) {
    const why = found.excluded.length > 0 ? ` (${found.excluded.length} excluded)` : '';
    return { ok: false, error: `no scenario files (*.yaml) under ${paths.join(', ')}${why}` };
  }
  const shard = opts.shard;
  // Round-robin over the sorted list: every shard gets a similar mix, and the union is the whole.
  const files = shard ? found.files.filter((_, i) => i % shard.count === shard.index - 1) : found.files;
  const cwd = opts.cwd ?? process.cwd();
  const abs = (f: string) => resolve(cwd, f);

  const reports: ScenarioReport[] = [];
  const runnable: Array<{ report: ScenarioReport; scenario: Scenario; path: string }> = [];
  for (const file of files) {
    // Imports a module engine and checks its settings (async); built-in engines load as before.
    const loaded = await prepareScenario(abs(file));
    const report: ScenarioReport = {
      file,
      name: loaded.ok ? loaded.scenario.name : baseName(file),
      status: 'pass',
      time_ms: null,
      failures: [],
      errors: [],
      expect: [],
      golden: 'none',
      drift: [],
      notes: [],
    };
    reports.push(report);
    if (loaded.ok) runnable.push({ report, scenario: loaded.scenario, path: abs(file) });
    else {
      report.status = 'error';
      // Errors name the file as the user gave it, not the absolute path used to read it.
      report.errors = loaded.errors.map((e) => formatError({ ...e, file }));
    }
  }

  const workers = Math.min(opts.workers ?? defaultWorkers(runnable.length), runnable.length);
  const ready = new Set<ScenarioReport>(reports.filter((r) => r.status === 'error'));
  let emitted = 0;
  const emit = () => {
    while (emitted < reports.length && ready.has(reports[emitted] as ScenarioReport)) {
      // (not `opts.onReport?.(reports[emitted++])`: optional chaining would skip the increment)
      const r = reports[emitted] as ScenarioReport;
      emitted++;
      opts.onReport?.(r);
    }
  };
  emit();
  let done = 0;
  await runPool(
    runnable.map((r) => r.scenario),
    {
      workers,
      order: longestFirst(runnable.map((r) => r.scenario)),
      guardDeterminism: true,
      ...(opts.wallClock ? { wallClock: opts.wallClock } : {}),
      onDone: (i, out) => {
        const r = runnable[i];
        if (!r) return;
        judge(r.report, r.scenario, r.path, out, opts.update === true);
        ready.add(r.report);
        opts.onProgress?.(++done, runnable.length, r.report.file);
        emit();
      },
    },
  );
  emit();

  const summary = {
    total: reports.length,
    passed: reports.filter((r) => r.status === 'pass').length,
    failed: reports.filter((r) => r.status === 'fail').length,
    errors: reports.filter((r) => r.status === 'error').length,
  };
  const report: SuiteReport = { scenarios: reports, excluded: found.excluded, workers, summary };
  if (shard) report.shard = { ...shard, of_files: found.files.length };
  return { ok: true, report };
}

/** Exit code of a suite: 2 for any bad input, else 1 for any failure, else 0. */
export function suiteExitCode(r: SuiteReport): 0 | 1 | 2 {
  if (r.summary.errors > 0) return 2;
  return r.summary.failed > 0 ? 1 : 0;
}

function judge(report: ScenarioReport, s: Scenario, path: string, out: PoolOutcome, update: boolean): void {
  report.time_ms = out.wall_ms;
  if (!out.ok) {
    report.status = 'error';
    report.errors.push(`${report.file}: ${out.error}`);
    return;
  }
  const r = out.result;
  report.expect = r.expect;
  for (const e of r.expect) {
    if (!e.met) report.failures.push(`${e.name}: want ${e.want}, got ${describeGot(e, formatNumber)}`);
  }
  if (out.nondeterministic !== undefined) report.failures.push(out.nondeterministic);
  // A run cut short by a limit or an invariant is a failure, unless the scenario is about that.
  if (!r.stop.complete && !s.expect.some((e) => e.name === 'invariant')) {
    report.failures.push(`the run did not complete: ${r.stop.reason}`);
  }
  const outcome = outcomeOf(r);
  report.outcome = outcome;
  const golden = outcomePath(path);
  const prev = readOutcome(golden);
  if (update) {
    const same = prev.kind === 'ok' && outcomeDrift(prev.outcome, outcome).length === 0;
    if (same) report.golden = 'unchanged';
    else {
      try {
        writeOutcome(golden, outcome);
        report.golden = 'written';
      } catch (e) {
        report.golden = 'invalid';
        report.failures.push(`cannot write the golden outcome ${outcomePath(report.file)}: ${(e as Error).message}`);
      }
    }
  } else if (prev.kind === 'missing') {
    report.golden = 'missing';
    report.notes.push('no golden outcome; run --update');
  } else if (prev.kind === 'invalid') {
    report.golden = 'invalid';
    report.failures.push(prev.error);
  } else {
    report.drift = outcomeDrift(prev.outcome, outcome);
    report.golden = report.drift.length > 0 ? 'drift' : 'match';
    if (report.drift.length > 0) {
      report.failures.push(`outcome changed from ${outcomePath(report.file)}: ${report.drift.join(', ')}`);
    }
  }
  report.status = report.failures.length > 0 ? 'fail' : 'pass';
}

/** Start the costliest scenarios first, so one long run does not start last and hold the pool. */
function longestFirst(scenarios: readonly Scenario[]): number[] {
  const cost = scenarios.map((s) => {
    const rate = Object.values(s.workload.clients).reduce((a, c) => a + c.count * c.rate_per_s, 0);
    return ((s.duration_us + s.settle_us) / 1e6) * (rate + 1) + s.workload.script.length;
  });
  return scenarios.map((_, i) => i).sort((a, b) => (cost[b] as number) - (cost[a] as number) || a - b);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(4)));
}
