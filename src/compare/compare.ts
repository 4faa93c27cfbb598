/**
 * The library side of `replsim compare`: one scenario (same seed, workload, network and
 * faults) run under each engine setting on the worker pool, reduced to the numbers a learner
 * compares side by side. Settings that cannot run on this scenario are rows with an error.
 */
import type { RunResult } from '../run/result.js';
import { formatError, loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { runPool } from '../suite/pool.js';
import { withEngineSetting, type Applied } from './apply.js';
import type { EngineSetting } from './settings.js';

/** p50 and p99 of ok operations, in milliseconds (null: no such operations). */
export interface P50P99 {
  p50: number | null;
  p99: number | null;
}

/** One setting's numbers, or why it could not run. */
export type CompareRow =
  | {
      setting: string;
      ok: true;
      /** the engine's own name, e.g. `async/lww/physical` */
      engine: string;
      availability: number | null;
      latency_ms: { write: P50P99; read: P50P99 };
      /** anomaly counts; null where the check does not apply */
      lost_update: number | null;
      stale_read: number | null;
      divergence: number | null;
      /** broken invariants (an oversell, an order billed twice, an increment applied twice) */
      invariant: number | null;
      rpo_ms: number | null;
      /** false: rpo_ms is an upper bound (losses not pinned to ops) */
      rpo_exact?: boolean | null;
      rto_ms: number | null;
      ops: RunResult['ops'];
      history_sha256: string;
    }
  | { setting: string; ok: false; error: string };

export interface CompareReport {
  scenario: string;
  file: string;
  seed: number;
  rows: CompareRow[];
  /** compare A.yaml B.yaml: where the files' traffic differs (empty: the same experiment) */
  notes?: string[];
}

export type CompareResult = { ok: true; report: CompareReport } | { ok: false; errors: string[] };

export interface CompareOptions {
  seed?: number;
  /** worker threads (0: this thread); default up to the number of cores */
  workers?: number;
  /** called as each setting's run completes, with how many are done and the setting */
  onProgress?: (done: number, total: number, setting: string) => void;
}

/** Runs `file` under every setting; rows follow the order of `settings`. */
export async function compareScenario(file: string, settings: readonly EngineSetting[], opts: CompareOptions = {}): Promise<CompareResult> {
  const r = await runSettings(file, settings, (source, s) => withEngineSetting(source, s, opts.seed), opts);
  if (!r.ok) return r;
  const rows: CompareRow[] = r.runs.map((x) => (x.ok ? rowOf(x.label, x.result) : { setting: x.label, ok: false, error: x.error }));
  return { ok: true, report: { scenario: r.scenario.name, file, seed: r.scenario.seed, rows } };
}

/** One setting's run, or why it could not run. */
export type SettingRun = { label: string; ok: true; result: RunResult } | { label: string; ok: false; error: string };

/**
 * Loads `file`, applies each setting to its text (`apply`: the scenario under that setting, or
 * an error) and runs the ones that apply on the worker pool; runs follow the settings' order.
 */
export async function runSettings<S extends { label: string }>(
  file: string,
  settings: readonly S[],
  apply: (source: string, setting: S) => Applied,
  opts: CompareOptions = {},
): Promise<{ ok: true; scenario: Scenario; runs: SettingRun[] } | { ok: false; errors: string[] }> {
  const loaded = loadScenario(file, opts.seed === undefined ? {} : { seed: opts.seed });
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatError) };
  const applied = settings.map((s) => apply(loaded.source, s));
  const runnable: Array<{ at: number; scenario: Scenario }> = [];
  applied.forEach((a, at) => {
    if (a.ok) runnable.push({ at, scenario: a.scenario });
  });
  let done = 0;
  const outcomes = await runPool(
    runnable.map((r) => r.scenario),
    {
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      onDone: (k) => opts.onProgress?.(++done, runnable.length, settings[runnable[k]?.at ?? 0]?.label ?? ''),
    },
  );
  const runs: SettingRun[] = settings.map((s, i) => {
    const a = applied[i];
    if (!a || !a.ok) return { label: s.label, ok: false, error: a ? a.error : 'not run' };
    const k = runnable.findIndex((r) => r.at === i);
    const out = outcomes[k];
    if (!out) return { label: s.label, ok: false, error: 'not run' };
    return out.ok ? { label: s.label, ok: true, result: out.result } : { label: s.label, ok: false, error: out.error };
  });
  return { ok: true, scenario: loaded.scenario, runs };
}

/** The compared numbers of one run. */
export function rowOf(setting: string, r: RunResult): CompareRow {
  const m = r.metrics;
  const pick = (p: { p50: number | null; p99: number | null }): P50P99 => ({ p50: p.p50, p99: p.p99 });
  return {
    setting,
    ok: true,
    engine: r.engine,
    availability: m.availability,
    latency_ms: { write: pick(m.latency_ms.write), read: pick(m.latency_ms.read) },
    lost_update: r.anomalies.lost_update.count,
    stale_read: r.anomalies.stale_read.count,
    divergence: r.anomalies.divergence.count,
    invariant: r.anomalies.invariant.count,
    rpo_ms: m.rpo_ms,
    rpo_exact: m.rpo_exact ?? null,
    rto_ms: m.rto_ms,
    ops: r.ops,
    history_sha256: r.history_sha256,
  };
}
