/**
 * The engine metrics each engine type reports (its `metrics()`, merged over nodes by the
 * runner), so that `expect: { engine.NAME: ... }` is checked when the scenario is validated
 * rather than printing "got n/a" after the run. test/scenario/engine-metrics.test.ts runs
 * every engine type and ties this table to what the engines really report, both ways.
 */
import type { EngineSpec, WorkloadModel } from './types.js';

/** What decides whether a metric is reported besides the engine type. */
export interface MetricSetting {
  engine: EngineSpec;
  /** undefined when the workload section did not validate: settings-dependent names are then let through */
  model: WorkloadModel | undefined;
  read_from: 'local' | 'leader' | 'quorum' | undefined;
}

export interface EngineMetric {
  /** the name after `engine.`; `{REGION}` stands for each declared region */
  name: string;
  /** reported only in this setting (always when absent) */
  when?: (s: MetricSetting) => boolean;
  /** the condition in the scenario's words, for the error message */
  only?: string;
}

/** Whether `m` is reported in setting `s` (unknown workload: assumed yes). */
function holds(m: EngineMetric, s: MetricSetting): boolean {
  return m.when === undefined || s.model === undefined || s.read_from === undefined || m.when(s);
}

const async = (s: MetricSetting) => (s.engine.type === 'async' ? s.engine : undefined);

/** Engine type → the metrics it reports. */
export const ENGINE_METRICS: Readonly<Record<EngineSpec['type'], readonly EngineMetric[]>> = {
  async: [
    { name: 'max_queue_depth' },
    { name: 'max_queue_depth_to_{REGION}' },
    { name: 'changes_lost_in_queues' },
    { name: 'changes_coalesced', when: (s) => async(s)?.coalesce === true, only: 'with coalesce: true' },
    { name: 'writes_refused_queue_full' },
    { name: 'anti_entropy_keys' },
    {
      name: 'max_siblings_read',
      when: (s) => {
        const e = async(s);
        return e?.conflict === 'version-vector' || (e?.conflict === 'crdt' && e.register === 'mv' && s.model === 'register');
      },
      only: 'with conflict: version-vector, or conflict: crdt with register: mv on registers',
    },
    { name: 'quorum_reads', when: (s) => s.read_from === 'quorum', only: 'with read_from: quorum' },
    { name: 'quorum_reads_abandoned', when: (s) => s.read_from === 'quorum', only: 'with read_from: quorum' },
    { name: 'quorum_reads_pending', when: (s) => s.read_from === 'quorum', only: 'with read_from: quorum' },
    { name: 'reads_forwarded', when: (s) => s.read_from === 'leader', only: 'with read_from: leader' },
  ],
  sync: [
    { name: 'commits' },
    { name: 'aborts' },
    { name: 'removals' },
    { name: 'rejoins' },
    { name: 'max_in_doubt_ms' },
    { name: 'in_doubt_blocked_ms' },
    { name: 'max_rejoin_ms' },
    { name: 'keys_copied' },
  ],
  raft: [
    { name: 'raft_campaigns' },
    { name: 'raft_leader_elections' },
    { name: 'raft_transfers' },
    { name: 'max_raft_elect_ms' },
    { name: 'raft_elect_ms_sum' },
    { name: 'raft_elect_count' },
    { name: 'raft_lease_reads' },
    { name: 'raft_read_index_reads' },
    { name: 'raft_follower_reads' },
    { name: 'max_raft_follower_read_age_ms' },
    { name: 'raft_follower_read_age_ms_sum' },
    { name: 'raft_forwards' },
    { name: 'raft_leaders_at_end' },
    // quiet replicas at the end, only with quiescent ranges (the default)
    { name: 'raft_ranges_quiet_at_end', when: (s) => s.engine.type === 'raft' && s.engine.quiesce, only: 'with quiesce: true' },
    { name: 'max_raft_replica_leaderless_ms' },
    { name: 'raft_writes_ok_{REGION}' },
    // only for regions whose nodes answered a write (a mean of nothing is not reported)
    { name: 'max_raft_write_ms_mean_{REGION}' },
  ],
  quorum: [
    { name: 'unavailable' },
    { name: 'write_timeouts' },
    { name: 'read_timeouts' },
    { name: 'hints_stored' },
    { name: 'hints_replayed' },
    { name: 'hints_dropped' },
    { name: 'hints_lost' },
    { name: 'hints_pending' },
    { name: 'read_repairs' },
    { name: 'digest_mismatches' },
    { name: 'speculative_retries' },
    // lightweight transactions (lwt.ts)
    { name: 'lwt_rounds' },
    { name: 'lwt_proposals' },
    { name: 'lwt_commits' },
    { name: 'lwt_contention' },
    { name: 'lwt_finished_in_progress' },
    { name: 'lwt_condition_failed' },
    { name: 'lwt_unavailable' },
    { name: 'lwt_timeouts' },
    // anti-entropy repair (repair.ts)
    { name: 'repair_sessions' },
    { name: 'repair_ranges_compared' },
    { name: 'repair_ranges_mismatched' },
    { name: 'repair_cells_streamed' },
    { name: 'repair_keys_repaired' },
  ],
  // A module engine's metrics are its own: known only once it has run (unreported is unmet).
  module: [],
};

/** The concrete names of `metrics` for these regions. */
function expand(m: EngineMetric, regions: readonly string[]): string[] {
  return m.name.includes('{REGION}') ? regions.map((r) => m.name.replace('{REGION}', r)) : [m.name];
}

/** Every metric name an engine type can report with these regions (whatever its settings). */
export function engineMetricNames(type: EngineSpec['type'], regions: readonly string[]): string[] {
  return ENGINE_METRICS[type].flatMap((m) => expand(m, regions));
}

/** Metric names reported in this setting. */
export function reportedEngineMetrics(s: MetricSetting, regions: readonly string[]): string[] {
  return ENGINE_METRICS[s.engine.type].filter((m) => holds(m, s)).flatMap((m) => expand(m, regions));
}

/**
 * Why `engine.NAME` will not be reported by this scenario's engine, or undefined when it will.
 * `suggest` gives the "did you mean" from the names this setting reports.
 */
export function engineMetricError(
  name: string,
  s: MetricSetting,
  regions: readonly string[],
  suggest: (word: string, candidates: readonly string[]) => string,
): string | undefined {
  const type = s.engine.type;
  if (type === 'module') return undefined;
  const entry = ENGINE_METRICS[type].find((m) => expand(m, regions).includes(name));
  if (entry && holds(entry, s)) return undefined;
  const reported = reportedEngineMetrics(s, regions);
  if (entry) return `engine.${name} is reported by the ${type} engine only ${entry.only ?? 'in another setting'}`;
  for (const other of Object.keys(ENGINE_METRICS) as Array<EngineSpec['type']>) {
    if (other !== type && engineMetricNames(other, regions).includes(name)) {
      return `engine.${name} is a metric of the ${other} engine; this scenario's engine is ${type}${suggest(name, reported)}`;
    }
  }
  const hint = suggest(name, reported);
  return `unknown metric engine.${name} for the ${type} engine${hint || `; it reports ${reported.join(', ')}`}`;
}

