/**
 * The resolved scenario: what the zod schema (schema.ts) produces after validation.
 * Every duration is integer microseconds (`*_us`), every rate ops per second, every default
 * filled in. Nothing below this boundary parses strings.
 */
import type { Micros } from '../sim/time.js';

export type Distribution = 'constant' | 'uniform' | 'normal' | 'lognormal' | 'pareto' | 'exponential';

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
  /** each node's capacity (absent: infinite, every request served at once) */
  capacity?: CapacitySpec;
}

/** A service time: its mean and its shape (`constant`, `exponential`, or `uniform` on [0, 2·mean]). */
export interface ServiceTimeSpec {
  mean_us: Micros;
  distribution: 'constant' | 'exponential' | 'uniform';
}

/** Request priorities, lowest first: shedding refuses `low` first, `high` only when the queue is full. */
export type Priority = 'low' | 'normal' | 'high';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high'];

/** When a priority is shed: at a queue length, or once the oldest waiting job has waited this long. */
export type ShedThreshold = { kind: 'queue'; length: number } | { kind: 'delay'; delay_us: Micros };

/**
 * A node's capacity (src/node/capacity.ts): `concurrency` workers serve client requests and
 * engine messages from one FIFO queue of at most `queue` waiting jobs; a request that finds
 * it full fails `overloaded`, a message is dropped (the engines resend).
 */
export interface CapacitySpec {
  concurrency: number;
  queue: number;
  /** op name (read, write, ...) or `message` → service time; others take `default` */
  service: Record<string, ServiceTimeSpec>;
  default_service: ServiceTimeSpec;
  /** admission control: priority → threshold above which its requests fail `shed` */
  shed: Partial<Record<'low' | 'normal', ShedThreshold>>;
}

/** A client class: its share of every client's generated ops and its priority. */
export interface ClientClassSpec {
  share: number;
  priority: Priority;
}

/**
 * The clients' rates times a factor over time: level steps (with optional linear ramps), a
 * diurnal sine and bursts, multiplied together.
 */
export interface LoadShapeSpec {
  steps: Array<{ at_us: Micros; x: number; ramp_us: Micros }>;
  diurnal?: { period_us: Micros; min: number; peak_us: Micros };
  bursts: Array<{ at_us: Micros; for_us: Micros; x: number }>;
}

export interface AsyncEngineSpec {
  type: 'async';
  conflict: 'lww' | 'version-vector' | 'crdt';
  timestamps: 'physical' | 'hybrid';
  register: 'lww' | 'mv';
  /**
   * Unacknowledged changes a node may hold per peer before writes are refused `queue-full`;
   * 0 (the default): no limit, the backlog is a change log that keeps accepting writes.
   */
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
  /**
   * Quiescent ranges: a leader whose followers hold and have acknowledged every entry stops
   * heartbeating the range and its replicas stop ticking it; per-node liveness messages (one
   * per node pair per heartbeat) stand in for the heartbeats of every quiet range.
   */
  quiesce: boolean;
}

/** Cassandra's consistency levels (how many replicas must answer, and where). */
export type ConsistencyLevel = 'ONE' | 'TWO' | 'THREE' | 'QUORUM' | 'LOCAL_ONE' | 'LOCAL_QUORUM' | 'EACH_QUORUM' | 'ALL';

/** When a quorum read sends one more request to another replica (Cassandra's speculative_retry). */
export type SpeculativeRetry = { kind: 'none' } | { kind: 'percentile'; p: number } | { kind: 'fixed'; after_us: Micros };

export interface QuorumEngineSpec {
  type: 'quorum';
  /** region → replicas of every key in it (NetworkTopologyStrategy); resolved: every region listed, 0 for none */
  replication: Record<string, number>;
  /** tokens per node on the ring */
  vnodes: number;
  consistency: { read: ConsistencyLevel; write: ConsistencyLevel };
  write_timeout_us: Micros;
  read_timeout_us: Micros;
  hints: 'durable' | 'volatile';
  max_hint_window_us: Micros;
  /** hints one coordinator may hold (all targets); more are dropped */
  max_hints: number;
  read_repair: 'blocking' | 'none';
  speculative_retry: SpeculativeRetry;
  /** Paxos participants of a lightweight transaction: every replica, or the coordinator region's */
  serial_consistency: 'SERIAL' | 'LOCAL_SERIAL';
  /** scheduled anti-entropy repair period; null: only operator repairs (`repair` faults) */
  repair_every_us: Micros | null;
  gossip_interval_us: Micros;
  phi_convict_threshold: number;
}


/**
 * A user's engine loaded from a JavaScript module (src/engines/module.ts). `path` is absolute
 * once loaded (the file names it relative to the scenario file); `settings` are the engine's own,
 * validated by the module's `settings` schema when it exports one.
 */
export interface ModuleEngineSpec {
  type: 'module';
  path: string;
  /** `path` as written in the scenario, for messages */
  path_as_written: string;
  settings: Record<string, unknown>;
  /** the engine promises one logical copy per key: two sides accepting writes is split brain */
  single_copy: boolean;
}

export type EngineSpec = AsyncEngineSpec | SyncEngineSpec | RaftEngineSpec | QuorumEngineSpec | ModuleEngineSpec;

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
  /** class name → share and priority (absent: one unnamed class of priority normal) */
  classes?: Record<string, ClientClassSpec>;
  /** rate over time (absent: constant rates) */
  load?: LoadShapeSpec;
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
  /** an operator's anti-entropy repair on a node or region (an instant action, not a fault window) */
  | { kind: 'repair'; target: string }
  | { kind: 'chaos'; seed_stream: string; rate_per_s: number; kinds: string[] }
  | RestoreAction;

/**
 * Operator restore of a node or region from the object store (docs/12-backups-and-recovery.md): `method`
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
 * The six-step recovery runbook (docs/12-backups-and-recovery.md): when `when` fires, isolate the targets from
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

/** Global routing (src/traffic/routing.ts): a policy and the health checks it reads. */
export interface RoutingSpec {
  policy:
    | { kind: 'nearest' }
    | { kind: 'dns'; ttl_us: Micros; ignore_ttl_fraction: number; ignore_ttl_keep_us: Micros }
    | { kind: 'anycast'; convergence_us: Micros }
    | { kind: 'weighted'; error_rate_above: number; latency_penalty_per_ms: number; floor: number }
    | { kind: 'home'; repoint: boolean };
  health_check: {
    interval_us: Micros;
    timeout_us: Micros;
    unhealthy_after: number;
    healthy_after: number;
    window: number;
  };
}

/** Client behaviour (src/traffic/retry.ts): retries with backoff and a budget. */
export interface ClientPolicySpec {
  retries: number;
  attempt_timeout_us?: Micros;
  backoff_us: Micros;
  backoff_max_us: Micros;
  jitter: number;
  retry_budget: number;
  /** circuit breaker per client and region (absent: none) */
  breaker?: { failures: number; open_for_us: Micros };
  /** hedging: a second attempt elsewhere after this long without an answer (absent: none) */
  hedge_after_us?: Micros;
}

/** An alert rule (src/traffic/alerts.ts). */
export interface AlertSpec {
  name: string;
  metric: 'replication_lag_ms.p99' | 'replication_lag_ms.max' | 'availability' | 'error_rate' | 'queue_length.max';
  region?: string;
  op: 'above' | 'below';
  threshold: number;
  window_us: Micros;
  for_us: Micros;
  every_us: Micros;
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
  /** global routing (absent: each client keeps to its own region, with `workload.failover` if set) */
  routing?: RoutingSpec;
  /** client retries (absent: one attempt per op) */
  client?: ClientPolicySpec;
  /** alert rules (absent: none) */
  alerts?: AlertSpec[];
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
