/**
 * What the checker reports. Shared by every anomaly family (one file each under
 * src/checker) and by the linearizability search. The checker imports nothing from
 * src/engines, src/sim or src/net: it judges histories, whoever produced them.
 */

/** Anomaly names, as in ../shared/CHECKING.md; these are also `expect` names. */
export const ANOMALY_NAMES = [
  'divergence',
  'lost_update',
  'aborted_read',
  'stale_read',
  'read_your_writes',
  'monotonic_read',
  'non_linearizable',
  'invariant',
  'split_brain',
] as const;
export type AnomalyName = (typeof ANOMALY_NAMES)[number];

/** One instance of an anomaly: the operations involved and a sentence a learner can follow. */
export interface Witness {
  /** op ids involved, most important first */
  ops: number[];
  /** e.g. "read op 912 at ap-northeast/0 returned 300 at 20.001 s although write op 40 (value 500) was acknowledged at 3.200 s" */
  explanation: string;
  key?: string;
  clients?: string[];
  nodes?: string[];
  /** times (us) of the events named, in the order of `ops` where it applies */
  times_us?: number[];
  /** family-specific facts (replica → value for divergence, the prefix for linearizability...) */
  details?: Record<string, unknown>;
}

/**
 * One anomaly family's outcome. Unknown is never zero (CHECKING.md): `applicable: false`
 * (e.g. divergence on a black-box history with no `final` records, session families without
 * sticky sessions) has `count: null` and a `note` saying why; a family whose search stopped on
 * a budget has `count: null`, `unknown: true` and the reason in `note` (its witnesses, if any
 * were found before it stopped, are kept, and `at_least` counts them).
 */
export interface AnomalyReport {
  applicable: boolean;
  count: number | null;
  witnesses: Witness[];
  /** why not applicable, or why unknown */
  note?: string;
  unknown?: boolean;
  /** unknown families: instances found before the search stopped (a lower bound, not the count) */
  at_least?: number;
  /** session families without sticky sessions: how many reads would violate under sticky sessions (not counted) */
  would_violate?: number;
  /** work the family's search did (linearizability), to size budgets; deterministic */
  work?: SearchWork;
}

/** Work done by the linearizability search and the bounds it ran under. */
export interface SearchWork {
  /** configurations stored, across partitions */
  states: number;
  max_states: number;
  /** most bytes the memos of unfinished searches held at once (as the search counts them) */
  peak_memo_bytes: number;
  max_memo_bytes: number;
}

/**
 * Bounds of the linearizability search. `run`, `test`, `compare` and `runScenario` bound it by
 * work only (states, memo memory), so a verdict never depends on the machine; a time budget
 * applies only when `now_ms` is given (`replsim check --budget-ms`, the user's explicit choice).
 */
export interface SearchBounds {
  /** configurations the search may store, across partitions */
  max_states?: number;
  /** bytes the memos of unfinished searches may hold together */
  max_memo_bytes?: number;
  /** time budget in ms, only with `now_ms` */
  time_ms?: number;
  /** wall clock in ms for the time budget; src/checker reads no clock itself (the CLI passes one) */
  now_ms?: () => number;
}

export interface Percentiles {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** The result's `metrics` object (CHECKING.md); dotted paths into it are `expect` names. */
export interface Metrics {
  availability: number | null;
  availability_by_region: Record<string, number | null>;
  availability_during_faults: number | null;
  latency_ms: { read: Percentiles; write: Percentiles };
  replication_lag_ms: Percentiles;
  convergence_ms: number | null;
  rpo_ms: number | null;
  /** true: rpo_ms spans named lost writes; false: an upper bound (losses not pinned to ops); null with rpo_ms null */
  rpo_exact?: boolean | null;
  /** the worst region's RTO (`rto_ms_by_region`) */
  rto_ms: number | null;
  /** RTO of each client region: another region's recovery never stands in for it */
  rto_ms_by_region: Record<string, number | null>;
  /** further metrics (engine-specific, per-key convergence...) */
  [extra: string]: unknown;
}

export type CheckModel =
  | 'register'
  | 'cas-register'
  | 'multi-register'
  | 'kv'
  | 'counter'
  | 'set'
  | 'inventory';

export interface CheckOptions {
  model: CheckModel;
  /** initial state (default: empty register / 0 counter / empty set / "" kv) */
  initial?: unknown;
  /** does a read of nil mean "no value" (Porcupine) or "unknown, matches anything" (Knossos) */
  nilRead?: 'empty' | 'any';
  /** `sticky` reports session violations as anomalies; `none` reports them as "would violate" */
  sessions?: 'sticky' | 'none';
  /** the engine promised no split brain (sync pause/witness, raft); split_brain is only counted then */
  promisesNoSplitBrain?: boolean;
  /** linearizability budget; exceeded → `non_linearizable` unknown (count null) */
  budget?: SearchBounds;
  /** stock each inventory key starts with */
  initialStock?: number;
}

export interface CheckReport {
  anomalies: Record<AnomalyName, AnomalyReport>;
  metrics: Metrics;
  /** overall linearizability verdict across keys */
  linearizable: boolean | 'unknown';
}
