/**
 * Data of the sync (two-phase-commit) engine: one node's state, what survives a crash, and the
 * messages between nodes. Plain data only; the step functions live in the sibling files.
 */
import type { NodeId, OpId, RegionId } from '../../sim/ids.js';
import type { Value } from '../../history/types.js';
import type { ClientRequest } from '../engine.js';
import type { SyncEngineSpec, WorkloadModel } from '../../scenario/types.js';

/**
 * A committed version of a key. `ts` is the coordinator's commit timestamp, forced above every
 * version the prepared copies reported, so along one key's commit order it strictly grows even
 * with skewed clocks. Ordered by (ts, txn).
 */
export interface Version {
  ts: number;
  txn: string;
}

/** One copy of one key: the model state (register value, counter, set, inventory) and its version. */
export interface Entry {
  state: Value;
  version: Version | null;
}

/** Wait-die age of a transaction: older (smaller) waits, younger dies. */
export interface Age {
  ts: number;
  txn: string;
}

/** A participant's durable record of a transaction it voted yes for: it holds the key's lock. */
export interface PreparedRec {
  txn: string;
  key: string;
  coord: NodeId;
  participants: NodeId[];
  age: Age;
  /** local clock when the yes vote was cast (for in-doubt time) */
  at_us: number;
}

/** A decision, as the coordinator logged it (durably, before telling anyone) or a participant learned it. */
export interface DecisionRec {
  outcome: 'commit' | 'abort';
  key: string;
  state?: Value;
  version?: Version;
  participants: NodeId[];
  /** coordinator only: participants that acknowledged the commit */
  acked?: NodeId[];
  /** the client operation, for `apply` records */
  op?: number;
  /** this copy has taken the commit into its data (later copies of the message are ignored) */
  applied?: boolean;
  /** true at the coordinator that took the decision */
  coordinator: boolean;
}

/** Why a copy is out of this node's replication scope. `operator` ones return only by `rejoin`. */
export interface OutInfo {
  reason: 'auto' | 'operator';
  since_us: number;
  /** the copy's incarnation this removal is about (a rejoined copy has a newer one) */
  inc: number;
}

/** Engine-specific counters, reported by `metrics()`; durable so a crash does not erase them. */
export interface SyncCounters {
  commits: number;
  aborts: number;
  removals: number;
  rejoins: number;
  /** longest time a participant held a prepared lock before learning the outcome (`max_` merges by max) */
  max_in_doubt_ms: number;
  /** sum of in-doubt times longer than prepare_timeout (the blocking problem of 2PC) */
  in_doubt_blocked_ms: number;
  /** longest time from starting recovery to being back in scope */
  max_rejoin_ms: number;
  keys_copied: number;
}

/** What a crash keeps (the disk). */
export interface SyncDurable {
  data: Map<string, Entry>;
  txnSeq: number;
  prepared: Map<string, PreparedRec>;
  decisions: Map<string, DecisionRec>;
  /** copies this node considers out of the replication scope */
  out: Map<NodeId, OutInfo>;
  /** per out-of-scope copy: keys committed without it (the queue that queue-drain sends) */
  pending: Map<NodeId, Set<string>>;
  /** the operator removed this node itself */
  selfRemoved: boolean;
  /**
   * Transactions this copy was prepared for when it recovered: the sponsor's state already has
   * whatever of them counts, so a late outcome releases nothing and applies nothing.
   */
  superseded: Set<string>;
  /** bumped each time this copy is welcomed back: older "you are out" claims are stale */
  incarnation: number;
  /** witness arbiter only: the copies the witness considers in scope */
  arbiterScope: NodeId[] | null;
  /**
   * With a witness: the number of the membership this copy follows (the witness's own at the
   * arbiter). Every change of scope goes through the witness and gets the next number;
   * prepares carry it, so copies on different memberships never commit together.
   */
  epoch: number;
  /**
   * The operator's configuration number this copy's view of operator removals reflects: the
   * latest `remove`/`rejoin` it applied, or the one its sponsor's welcome carried. A membership
   * message carrying an older number was sent before a decision this copy knows of: it never
   * overrides the newer view (a welcome sent just before a rejoin would bring the removal back).
   */
  config: number;
  counters: SyncCounters;
}

/** A coordinator's transaction in flight (volatile: a crash loses it; its log entry survives). */
export interface ActiveTxn {
  txn: string;
  op: OpId;
  req: ClientRequest;
  key: string;
  age: Age;
  participants: NodeId[];
  votes: Map<NodeId, { state: Value; version: Version | null }>;
  phase: 'preparing' | 'committing';
  /** what the client gets once every copy in scope acknowledged the commit */
  result?: Value;
}

export interface PrepWait {
  msg: PrepareMsg;
  from: NodeId;
  id: number;
}

export interface ReadWait {
  req: ClientRequest;
  id: number;
}

/** State of a recovering node (restarted, or told it is out of scope). */
export interface Recovery {
  started_us: number;
  sponsor: NodeId | null;
  /** keys changed by commits after our digest went out: the sponsor has to look again */
  dirty: Set<string>;
  /** last time the sponsor made progress (a catch-up batch arrived) */
  progress_us: number;
}

/** A sponsor bringing an out-of-scope copy back: batches of keys, one in flight at a time. */
export interface Sponsorship {
  target: NodeId;
  /** keys still to send (sorted when taken) */
  todo: Set<string>;
  inflight: { seq: number; versions: Array<[string, string]> } | null;
  seq: number;
  phase: 'draining' | 'asking-witness';
  /** the witness already counts the target in scope */
  witnessOk: boolean;
  /** refusing new commits that leave the target out, to finish the drain */
  fence: boolean;
  /** passes over the queue so far */
  rounds: number;
  /** retries without an answer */
  stalls: number;
  progress_us: number;
}

/** Settings resolved from the spec, with derived heartbeat and removal timings. */
export interface SyncConfig {
  spec: SyncEngineSpec;
  model: WorkloadModel;
  copies: NodeId[];
  /** node → its region, for naming sides */
  regionOfNode: Record<string, string>;
  /** the witness arbiter node, when on_failure is witness */
  arbiter: NodeId | null;
  heartbeat_us: number;
  /** how long a copy may be unheard before it is removed (Infinity: never automatically) */
  remove_delay_us: number;
  /** reads need a lease when removal can happen behind this node's back (not in split-brain) */
  read_lease: boolean;
  lease_us: number;
  batch_keys: number;
}

export interface SyncState {
  self: NodeId;
  region: RegionId;
  role: 'copy' | 'arbiter' | 'witness-idle';
  cfg: SyncConfig;
  d: SyncDurable;
  active: Map<string, ActiveTxn>;
  /** key → txn holding its exclusive lock (rebuilt from `d.prepared` on restart) */
  locks: Map<string, string>;
  /** in-doubt txn → when its outcome was last asked for */
  lastAsk: Map<string, number>;
  prepWaits: Map<string, PrepWait[]>;
  readWaits: Map<string, ReadWait[]>;
  lastHeard: Map<NodeId, number>;
  /** send time (own clock) of the latest ping each peer answered while keeping us in scope */
  lastAcked: Map<NodeId, number>;
  recovery: Recovery | null;
  sponsoring: Map<NodeId, Sponsorship>;
  /** rejoined-copy announcements not yet acknowledged: rejoined node → peers to tell */
  announce: Map<NodeId, Set<NodeId>>;
  waitSeq: number;
  /** when we last told each copy it is in our scope (monotonic): its read lease runs from there */
  lastAckSent: Map<NodeId, number>;
  /** no commit before this (monotonic): a copy just removed may still hold a read lease from us */
  holdUntil: number;
  /** when the witness was last asked for the current membership (monotonic) */
  scopeAsked: number;
  /** latest incarnation heard from each copy */
  knownInc: Map<NodeId, number>;
  /** peers whose last heartbeat said they are recovering too and count us in scope (when heard) */
  peersRecovering: Map<NodeId, number>;
  /** when the witness was last asked to remove each copy (monotonic) */
  witnessAsked: Map<NodeId, number>;
  /** heartbeat ticks so far (anti-entropy picks a peer by it) */
  ticks: number;
  /** the last heartbeat tick: monotonic time then, the clock then, and the delay to the next */
  tick: { mono_us: number; clock_us: number; after_us: number };
}

export interface PrepareMsg {
  type: 'prepare';
  epoch: number;
  txn: string;
  key: string;
  age: Age;
  participants: NodeId[];
}

/** What a node says about the receiver and itself in every heartbeat. */
export interface Beat {
  /** the sender's monotonic time (meaningless to others: pongs echo the ping's instead) */
  sent_us: number;
  /** the sender's own incarnation */
  inc: number;
  /** the sender's membership epoch (witness mode) */
  epoch: number;
  /** the sender's operator configuration number (`SyncDurable.config`) */
  config: number;
  /** the sender considers the receiver out of scope ... */
  out: boolean;
  /** ... in this incarnation of the receiver */
  outInc: number;
  /** ... because the operator removed it */
  operatorOut: boolean;
  /** the sender is a serving copy */
  serving: boolean;
  /** lexicographically first region in the sender's scope (its "side" during a split) */
  side: string;
}

export type SyncMsg =
  | ({ type: 'ping' } & Beat)
  | ({ type: 'pong'; echo_us: number } & Beat)
  | PrepareMsg
  | { type: 'vote'; txn: string; yes: true; state: Value; version: Version | null }
  | { type: 'vote'; txn: string; yes: false; error: string }
  | { type: 'commit'; txn: string; key: string; state: Value; version: Version; participants: NodeId[]; op?: number }
  | { type: 'commit-ack'; txn: string }
  | { type: 'abort'; txn: string }
  | { type: 'decision-req'; txn: string; participants: NodeId[] }
  | { type: 'decision'; txn: string; outcome: 'commit' | 'abort' | 'unknown'; key?: string; state?: Value; version?: Version; op?: number }
  | { type: 'join'; digest: Array<[string, string]>; inDoubt: string[]; again: boolean }
  | { type: 'catchup'; seq: number; entries: Array<{ key: string; entry: Entry }> }
  | { type: 'catchup-ack'; seq: number; dirty: string[] }
  | { type: 'welcome'; out: Array<[NodeId, OutInfo]>; pending: Array<[NodeId, string[]]>; epoch: number; config: number }
  | { type: 'rejoined'; node: NodeId }
  | { type: 'rejoined-ack'; node: NodeId }
  | { type: 'remove-req'; target: NodeId }
  | { type: 'remove-res'; target: NodeId; granted: boolean; epoch: number; members: NodeId[] }
  | { type: 'add-req'; target: NodeId }
  | { type: 'add-res'; target: NodeId; granted: boolean; epoch: number; members: NodeId[] }
  | { type: 'ae'; digest: Array<[string, string]> }
  | { type: 'ae-entries'; entries: Array<{ key: string; entry: Entry }> }
  | { type: 'scope-req' }
  | { type: 'scope'; epoch: number; members: NodeId[] };

export type SyncTimer =
  | { kind: 'hb' }
  | { kind: 'prepare-timeout'; data: string }
  | { kind: 'commit-retry'; data: string }
  | { kind: 'prep-wait'; data: { key: string; id: number } }
  | { kind: 'read-wait'; data: { key: string; id: number } };

/** Orders versions; null (never written) is oldest. */
export function compareVersions(a: Version | null, b: Version | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.txn < b.txn ? -1 : a.txn > b.txn ? 1 : 0;
}

export function versionText(v: Version | null): string {
  return v === null ? '0' : `${v.ts}:${v.txn}`;
}

/** Wait-die: is `a` older than `b`? */
export function older(a: Age, b: Age): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.txn < b.txn);
}
