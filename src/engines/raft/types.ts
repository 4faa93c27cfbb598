/**
 * Data of the Raft-per-range engine: log entries, messages (a discriminated union on `type`),
 * one Raft group's state, and one node's state. Plain data only; the step functions live in
 * group.ts (consensus) and node.ts (clients, routing, reads).
 */
import type { ClientId, NodeId, OpId } from '../../sim/ids.js';
import type { Value, OpFn } from '../../history/types.js';
import type { OpResult } from '../engine.js';
import type { LoggedOp, RangeMachine } from './model.js';
import type { Env } from './group.js';

/** A log entry. `op` is null for the no-op a new leader appends to commit earlier terms. */
export interface Entry {
  term: number;
  op: LoggedOp | null;
  /** FNV-1a chain over (index, term, op) of this entry and all before it */
  chain: number;
}

/** A client request on its way to a range's leader. */
export interface RoutedRequest {
  op: OpId;
  client: ClientId;
  f: OpFn;
  key: string;
  value?: Value;
  /** the node the client talks to; it alone replies to the client */
  origin: NodeId;
}

export type Msg =
  /** AppendEntries; also the heartbeat (possibly with no entries) */
  | {
      type: 'app';
      range: number;
      term: number;
      prevIndex: number;
      prevTerm: number;
      /** the leader's chain at prevIndex: equal (index, term) must mean equal chains */
      prevChain: number;
      entries: Entry[];
      commit: number;
      /** the leader's chain at `commit`, for the apply-sequence check */
      commitChain: number;
      /** heartbeat round, echoed back (lease and read-index confirmation) */
      seq: number;
      /** `quiesce: true`: the range is idle and fully replicated; the follower may stop ticking it */
      quiesce?: true;
    }
  | {
      type: 'app-resp';
      range: number;
      term: number;
      /** the prevIndex this answers */
      index: number;
      reject: boolean;
      /** success: the follower's match index; reject: where the leader should look */
      hintIndex: number;
      /** reject: term of the follower's conflicting entry (0 when its log is just shorter) */
      hintTerm: number;
      seq: number;
    }
  | { type: 'vote'; range: number; term: number; lastIndex: number; lastTerm: number; pre: boolean; transfer: boolean }
  | { type: 'vote-resp'; range: number; term: number; granted: boolean; pre: boolean }
  /** leadership transfer: the leader asks a caught-up preferred replica to campaign now */
  | { type: 'timeout-now'; range: number; term: number }
  /** a client request forwarded towards the leader (or, for follower reads, a replica) */
  | { type: 'forward'; range: number; req: RoutedRequest; hops: number }
  /** the result for the origin to give to its client */
  | { type: 'result'; range: number; op: OpId; result: OpResult; leader: NodeId }
  /** the receiver could not serve; `leader` is its best guess (or absent) */
  | { type: 'not-leader'; range: number; op: OpId; leader?: NodeId }
  /**
   * `quiesce: true`: one per node pair per heartbeat interval, standing in for the heartbeats of
   * every quiet range the sender leads. `boot` changes when the sender restarts. `range` is -1.
   */
  | { type: 'liveness'; range: -1; boot: number }
  /**
   * `quiesce: true`: every message one step of a node sent to one peer node, in send order,
   * as one message (coalesced heartbeats and their answers: one per node pair and tick, not
   * one per range). Sent only when a step has two or more messages for that peer.
   */
  | { type: 'batch'; range: -1; msgs: Msg[] };

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** What the leader knows of one follower (etcd's Progress). */
export interface Progress {
  match: number;
  next: number;
  /** heard from it since the last check-quorum round */
  active: boolean;
  /** highest heartbeat round it acknowledged */
  ackSeq: number;
}

/** A read waiting at the leader for a heartbeat round to confirm leadership. */
export interface PendingRead {
  req: RoutedRequest;
  /** round that must be acknowledged by a quorum; 0 until the leader commits in its term */
  seq: number;
  readIndex: number;
}

/** Durable part of a group (etcd's HardState + entries): survives crash/restart. */
export interface GroupDurable {
  term: number;
  vote: NodeId | null;
  /** persisted like etcd's HardState.commit, so a restart re-applies the log up to it */
  commit: number;
  log: Entry[];
}

/** One node's Raft state for one range. */
export interface Group extends GroupDurable {
  range: number;
  /** all replicas, self included, stable order */
  peers: readonly NodeId[];
  preferred: readonly NodeId[];
  role: Role;
  lead: NodeId | null;
  applied: number;
  machine: RangeMachine;
  /** ticks since the last election reset (follower: since it last heard the leader) */
  electionElapsed: number;
  heartbeatElapsed: number;
  /** this round's randomized timeout, in ticks, in [electionTicks, 2·electionTicks) */
  randomizedTimeout: number;
  /**
   * Ticks since this node last heard from (or was) a leader. While below `cfg.voteBlockTicks`
   * it neither votes for nor becomes a new leader, so a lease the old leader holds stays
   * exclusive. Starts at 0 after a restart (it may have acked a lease before crashing).
   */
  sinceLeader: number;
  votes: Map<NodeId, boolean>;
  progress: Map<NodeId, Progress>;
  /** leader: heartbeat round counter and each round's send time on this node's own clock */
  seq: number;
  seqSentAt: Map<number, number>;
  /** leader: lease start (own clock) = send time of the newest round a quorum acknowledged */
  leaseStart: number | null;
  /** leader: only rounds from this one on may start a lease (after an aborted transfer) */
  leaseFloorSeq: number;
  /** leader: entry index → the request waiting for it to apply */
  waiters: Map<number, RoutedRequest>;
  pendingReads: PendingRead[];
  /** leader: reads are waiting for a confirmation round to be sent at the end of this step */
  roundDue: boolean;
  /** leader: transfer target and the tick count when it was asked */
  transferee: NodeId | null;
  transferElapsed: number;
  /** election safety bookkeeping: the first term this node saw a leader for, and that leader */
  firstTerm: number;
  firstLeader: NodeId | null;
  /** from the second term on: term → leader this node saw (recent terms only); null before */
  leaderOfTerm: Map<number, NodeId> | null;
  /** own clock when this node last heard from a leader (or was one), for time-to-elect */
  lastLeaderContact: number | null;
  /** ticks this replica has currently gone without knowing a leader (unavailable window) */
  leaderlessTicks: number;
  /** `quiesce: true`: idle, not ticked, no heartbeats (leader) or no election timer (follower) */
  quiesced: boolean;
  /** in its node's set of ticked groups (quiet.ts keeps it equal to !quiesced after each step) */
  ticked: boolean;
  /** leader: the commit index the latest heartbeat round carried */
  roundCommit: number;
}

/** Per-node counters exported through `metrics`. */
export interface NodeMetrics {
  campaigns: number;
  became_leader: number;
  transfers: number;
  /** leader loss (last contact with the old leader) to this node leading, on its own clock */
  elect_us_max: number;
  elect_us_sum: number;
  elect_count: number;
  lease_reads: number;
  read_index_reads: number;
  follower_reads: number;
  forwards: number;
  /** client writes this node answered ok, and their summed latency on its own clock */
  writes_ok: number;
  write_us_sum: number;
  /** follower reads: age of the replica's knowledge (time since it last heard its leader), own clock */
  follower_read_age_us_max: number;
  follower_read_age_us_sum: number;
  /** longest window, in ticks, any replica on this node went without knowing a leader (after its first leader) */
  leaderless_ticks_max: number;
}

/** A request the client gave to this node, until this node replies. */
export interface OriginPending {
  req: RoutedRequest;
  range: number;
  /** ticks until the next routing attempt */
  retryIn: number;
  attempts: number;
  /** ticks since the request arrived */
  age: number;
  /** the last attempt went somewhere and got no answer for a whole election timeout */
  waited: boolean;
  /** this node's clock when the request arrived (write latency per region) */
  started: number;
}

export interface NodeState {
  self: NodeId;
  groups: Map<number, Group>;
  /** leader hints for ranges this node does not replicate */
  hints: Map<number, NodeId>;
  pending: Map<number, OriginPending>;
  /** tick-chain generation (a restart starts a new chain) */
  tickGen: number;
  metrics: NodeMetrics;
  /** with `quiesce: true`: which groups tick, and what this node hears of its peer nodes */
  quiet?: QuietState;
  /** with `quiesce: true`: this step's messages by destination, sent at the end of the step */
  outbox?: Map<NodeId, Msg[]>;
  /** the step environment, built once per ctx (a step used to allocate one, closures included) */
  env?: Env;
}

/** A node's view for quiescent ranges (quiesce.ts). */
export interface QuietState {
  /** the awake (ticked) groups, in the order they woke (groups, not range numbers: no lookup per tick) */
  awake: Set<Group>;
  /** this node's ticks so far */
  tick: number;
  /** this node's incarnation (restart count), sent in liveness messages */
  boot: number;
  /** per peer node: the tick its last liveness message arrived, and its incarnation */
  heard: Map<NodeId, { tick: number; boot: number; down: boolean }>;
}

export type NodeDurable = Array<{ range: number } & GroupDurable>;
