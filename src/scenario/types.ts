/**
 * The resolved scenario: what the zod schema (schema.ts) produces after validation.
 * Every duration is integer microseconds (`*_us`), every rate ops per second, every default
 * filled in. Nothing below this boundary parses strings.
 */
import type { Micros } from '../sim/time.js';

export type Distribution = 'constant' | 'uniform' | 'normal' | 'lognormal' | 'pareto';

export interface LinkSpec {
  latency_us: Micros;
  jitter_us: Micros;
  distribution: Distribution;
  loss: number;
  duplicate: number;
  reorder: boolean;
}

/** A `network.links` entry: partial link settings for one pair (both ways unless one_way). */
export interface LinkOverride {
  between: [string, string];
  one_way: boolean;
  latency_us?: Micros;
  jitter_us?: Micros;
  distribution?: Distribution;
  loss?: number;
  duplicate?: number;
  reorder?: boolean;
}

export interface ClockSpec {
  offset_us: Micros;
  drift_ppm: number;
}

export interface RegionSpec {
  nodes: number;
  clock: ClockSpec;
}

export interface AsyncEngineSpec {
  type: 'async';
  conflict: 'lww' | 'version-vector' | 'crdt';
  timestamps: 'physical' | 'hybrid';
  register: 'lww' | 'mv';
  queue_limit: number;
  batch: number;
  flush_interval_us: Micros;
  durable_queue: boolean;
  /**
   * A destination's queue keeps only the newest not-yet-sent change per key when the rule can
   * say that one change supersedes another (LWW, PN-counter); others queue every change.
   */
  coalesce: boolean;
  ownership: 'none' | 'home';
  /** key prefix → home region, for `ownership: home`; other keys are hashed to a region. */
  homes: Record<string, string>;
}

export interface SyncEngineSpec {
  type: 'sync';
  on_failure: 'pause' | 'witness' | 'split-brain';
  witness?: string;
  remove_after_us?: Micros;
  lock_timeout_us: Micros;
  prepare_timeout_us: Micros;
  recovery: 'queue-drain' | 'online-copy';
}

export type RaftPlacement =
  | { kind: 'spread' }
  | { kind: 'home'; region: string }
  | { kind: 'leaders'; region: string };

export interface RaftEngineSpec {
  type: 'raft';
  ranges: number;
  replication_factor: 3 | 5;
  placement: RaftPlacement;
  reads: 'lease' | 'read-index' | 'follower';
  election_timeout_us: Micros;
  heartbeat_us: Micros;
  lease_us: Micros;
  prevote: boolean;
  check_quorum: boolean;
}

export type EngineSpec = AsyncEngineSpec | SyncEngineSpec | RaftEngineSpec;

export type WorkloadModel = 'register' | 'counter' | 'set' | 'inventory';

export interface ClientGroupSpec {
  count: number;
  /** operations per second per client; 0 means the client only runs the script */
  rate_per_s: number;
}

export interface ScriptOp {
  at_us: Micros;
  client: string;
  op: string;
  key: string;
  value?: unknown;
}

export interface WorkloadSpec {
  model: WorkloadModel;
  keys: number;
  key_distribution: 'uniform' | 'zipf' | 'hot';
  zipf_s: number;
  hot_fraction: number;
  /** region → client group */
  clients: Record<string, ClientGroupSpec>;
  /** op name → weight (normalised by the generator) */
  mix: Record<string, number>;
  read_from: 'local' | 'leader' | 'quorum';
  sessions: 'sticky' | 'none';
  timeout_us: Micros;
  failover?: { detect_us: Micros; dns_ttl_us: Micros };
  script: ScriptOp[];
}

/** A network/node target group: region names and/or `REGION/INDEX` / `REGION/*` node ids. */
export type Group = string[];

export type FaultAction =
  | { kind: 'partition'; groups: Group[] }
  | { kind: 'isolate'; target: string }
  | { kind: 'one_way'; from: string; to: string }
  | { kind: 'heal' }
  | { kind: 'crash'; target: string; lose_volatile: boolean }
  | { kind: 'restart'; target: string }
  | { kind: 'clock'; node: string; offset_us?: Micros; drift_ppm?: number }
  | { kind: 'slow'; between: [string, string]; latency_us: Micros }
  | { kind: 'remove'; target: string }
  | { kind: 'rejoin'; target: string }
  | { kind: 'chaos'; seed_stream: string; rate_per_s: number; kinds: string[] }
  | RestoreAction;

/**
 * Operator restore of a node or region from the object store (docs/backups.md): `method`
 * `snapshot` (latest full snapshot and incrementals), `logs` (those and every log segment
 * shipped) or `pitr` (up to `to_us`, true time, or read on `clock_of`'s clock); `source` names
 * another node whose backups are used; `reapply` says what happens to the writes the restore
 * rolled back.
 */
export interface RestoreAction {
  kind: 'restore';
  target: string;
  method: 'snapshot' | 'logs' | 'pitr';
  to_us?: Micros;
  clock_of?: string;
  source?: string;
  reapply: 'none' | 'all' | 'non-conflicting';
}

/** The object store backups go to (one S3-compatible bucket in a region). */
export interface ObjectStoreSpec {
  region: string;
  /** per request (first byte), on top of the network latency to the store's region */
  latency_us: Micros;
  bandwidth_bytes_per_s: number;
  /** store faults: unavailable (requests fail) or slow (transfers take `factor` times longer) */
  faults: Array<{ at_us: Micros; for_us: Micros; kind: 'unavailable' } | { at_us: Micros; for_us: Micros; kind: 'slow'; factor: number }>;
}

/** A backup policy for some nodes: full snapshots, incrementals, log segments, retention. */
export interface BackupPolicySpec {
  nodes: string;
  /** first full snapshot at this time, then every `full_us` */
  start_us: Micros;
  full_us: Micros;
  incremental_us?: Micros;
  log_us?: Micros;
  log_bytes?: number;
  retention_us?: Micros;
}

/**
 * The six-step recovery runbook (docs/backups.md): when `when` fires, isolate the targets from
 * clients, identify the restore point, extract the backups, reconstruct (restore), validate
 * that the restored replicas agree, resync (serve again). Each step takes its own time.
 */
export interface RunbookSpec {
  /** fires at a time, or when a fault of `fault` kind starts or ends (then after `after_us`) */
  when: { at_us: Micros } | { fault: string; on: 'start' | 'end'; after_us: Micros };
  /** regions and/or nodes to recover, each restored to the same point */
  targets: string[];
  isolate_us: Micros;
  identify: { take_us: Micros; before_us: Micros; clock_of?: string };
  extract_us: Micros;
  reconstruct: { method: 'snapshot' | 'logs' | 'pitr'; reapply: 'none' | 'all' | 'non-conflicting' };
  validate: { take_us: Micros; max_divergent_keys: number };
  resync_us: Micros;
}

export interface BackupSpec {
  store: ObjectStoreSpec;
  policies: BackupPolicySpec[];
  /** change-log entries a restore replays per second (after the transfer) */
  replay_per_s: number;
}

export interface FaultSpec {
  at_us: Micros;
  for_us?: Micros;
  action: FaultAction;
}

/** `expect` entry: a name and a comparison against a number. */
export interface Expectation {
  name: string;
  op: '==' | '>=' | '<=' | '>' | '<';
  value: number;
  /** the text as written, for reports (`">= 1"`) */
  want: string;
}

export interface Scenario {
  version: 1;
  name: string;
  description: string;
  seed: number;
  duration_us: Micros;
  settle_us: Micros;
  regions: Record<string, RegionSpec>;
  /** per-node clock overrides: node id → clock */
  clocks: Record<string, ClockSpec>;
  network: {
    intra_region: LinkSpec;
    inter_region: LinkSpec;
    links: LinkOverride[];
  };
  engine: EngineSpec;
  workload: WorkloadSpec;
  faults: FaultSpec[];
  /** backups to an object store (absent: none; restore actions need it) */
  backup?: BackupSpec;
  /** a scripted recovery drill (needs `backup`) */
  runbook?: RunbookSpec;
  expect: Expectation[];
  /** run limits (not in the v1 contract; replsim extension with safe defaults) */
  limits: {
    max_events: number;
    max_history: number;
    max_queue: number;
    max_history_bytes: number;
    max_value_bytes: number;
    max_state_bytes: number;
    max_heap_mb: number;
  };
}
