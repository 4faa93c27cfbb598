/**
 * One line of `sweep --out runs.jsonl`: a run reduced to what a sweep summarizes and what a
 * user needs to reproduce it (seed, settings, the swarm's drawn plan, the history hash).
 * Built in the main thread from the pool's result; the witnesses are dropped, the counts kept
 * (null stays null: unknown is never zero).
 */
import type { Percentiles } from '../checker/types.js';
import type { RunResult } from '../run/result.js';
import type { VaryValue } from './values.js';
import type { SwarmDraw } from './swarm.js';

/** The metrics a sweep keeps per run (a subset of the result's `metrics`). */
export interface RecordMetrics {
  availability: number | null;
  latency_ms: { read: Percentiles; write: Percentiles };
  replication_lag_ms: Percentiles;
  convergence_ms: number | null;
  rpo_ms: number | null;
  rto_ms: number | null;
}

interface RecordBase {
  type: 'run';
  /** position in the sweep's run order (point-major, then seed): the key shards are merged by */
  run: number;
  /** which grid point (setting) */
  point: number;
  seed: number;
  /** the varied settings of this run, path → value as written */
  settings: Record<string, VaryValue>;
  /** the swarm's drawn fault plan and settings (with --swarm) */
  swarm?: SwarmDraw;
}

/** A run that ran (whether or not its expectations held). */
export interface RanRecord extends RecordBase {
  ok: true;
  engine: string;
  ops: RunResult['ops'];
  /** anomaly family → count; null: not applicable or unknown (with `anomaly_notes`) */
  anomalies: Record<string, number | null>;
  /** why a count is null, per family */
  anomaly_notes?: Record<string, string>;
  metrics: RecordMetrics;
  expect_met: boolean;
  /** names of unmet expectations, in the scenario's order */
  unmet: string[];
  /** false: a limit or an invariant stopped the run (`stop` says which) */
  complete: boolean;
  stop: string;
  /** true when the run counts as failing: an unmet expectation, or cut short by a limit */
  failed: boolean;
  history_sha256: string;
}

/** A run that could not run (a drawn swarm plan that does not fit, an engine error). */
export interface ErrorRecord extends RecordBase {
  ok: false;
  error: string;
  failed: true;
}

export type RunRecord = RanRecord | ErrorRecord;

/** Where a record sits in the sweep, before it has run. */
export type RecordKey = Omit<RecordBase, 'type'>;

/** The record of a run that ran. */
export function recordOf(key: RecordKey, r: RunResult, expectsInvariant: boolean): RanRecord {
  const anomalies: Record<string, number | null> = {};
  const notes: Record<string, string> = {};
  for (const name of Object.keys(r.anomalies).sort()) {
    const a = r.anomalies[name as keyof RunResult['anomalies']];
    anomalies[name] = a.count;
    if (a.count === null) notes[name] = a.note ?? (a.unknown ? 'unknown' : 'not applicable');
  }
  const m = r.metrics;
  const unmet = r.expect.filter((e) => !e.met).map((e) => e.name);
  // Same rule as `replsim test`: a run cut short fails, unless the scenario is about that.
  const cut = !r.stop.complete && !expectsInvariant;
  return {
    type: 'run',
    ...key,
    ok: true,
    engine: r.engine,
    ops: { total: r.ops.total, ok: r.ops.ok, fail: r.ops.fail, info: r.ops.info },
    anomalies,
    ...(Object.keys(notes).length > 0 ? { anomaly_notes: notes } : {}),
    metrics: {
      availability: m.availability,
      latency_ms: { read: { ...m.latency_ms.read }, write: { ...m.latency_ms.write } },
      replication_lag_ms: { ...m.replication_lag_ms },
      convergence_ms: m.convergence_ms,
      rpo_ms: m.rpo_ms,
      rto_ms: m.rto_ms,
    },
    expect_met: unmet.length === 0,
    unmet,
    complete: r.stop.complete,
    stop: r.stop.reason,
    failed: unmet.length > 0 || cut,
    history_sha256: r.history_sha256,
  };
}

/** The record of a run that could not run. */
export function errorRecord(key: RecordKey, error: string): ErrorRecord {
  return { type: 'run', ...key, ok: false, error, failed: true };
}
