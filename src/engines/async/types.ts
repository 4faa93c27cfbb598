/**
 * Node state and messages of the async engine. State is plain data; `store` and the queues
 * are Maps filled in a deterministic order (topology order for queues).
 */
import type { NodeId } from '../../sim/ids.js';
import type { Ctx, OpResult } from '../engine.js';
import type { Env } from './rule.js';
import type { ClientRequest } from '../engine.js';
import type { WriteLedger } from './ledger.js';
import type { Hlc } from './timestamp.js';

/**
 * One replicated change in a destination's queue, as handed out by `unacked` (a durable
 * queue's restart, tests). `seq` is per (origin, destination). The queue itself does not hold
 * these objects: it keeps its changes in columns (see OutQueue).
 */
export interface Entry {
  seq: number;
  key: string;
  change: unknown;
  /**
   * The write id in the replica's ledger (ledger.ts): the copies of one change in every
   * destination queue share it. In a durable snapshot it only names the change (lifecycle.ts).
   */
  pending: number;
}

/**
 * The change queue from this node to one destination. Holds seqs acked+1 .. nextSeq-1.
 * Packed in one column of write ids (`ids`, slots `start` to `len - 1`), with each slot's seq
 * implied by its position (slot `start + i` is seq `acked + 1 + i`): a partition parks
 * hundreds of thousands of changes per queue, and a slot costs four bytes where an entry
 * object per copy cost a header and four fields. The ids name writes in the replica's ledger
 * (ledger.ts), which holds each change and its key once for all its queues (LWW packs the
 * changes further: rules/lww-column.ts).
 */
export interface OutQueue {
  dest: NodeId;
  nextSeq: number;
  /** ids[start..len): the unacked changes, in seq order, as write ids of `ledger` */
  ids: Int32Array;
  len: number;
  start: number;
  /** the replica's ledger (shared by its queues) */
  ledger: WriteLedger;
  /** highest seq the destination acknowledged (cumulative) */
  acked: number;
  /** highest seq sent at least once since the last go-back */
  sentUpto: number;
  /** current retry timeout; doubles on each timeout without progress, reset by progress */
  backoff_us: number;
  retryArmed: boolean;
  retryGen: number;
  ackedAtArm: number;
  /** deepest this queue has been */
  maxDepth: number;
  /**
   * Highest seq ever sent (never moves back on a go-back). Entries above it have never left
   * this node, so replacing their change cannot confuse a receiver that dedups by seq.
   */
  sentMax: number;
  /** no ack since the last go-back: send one batch (a probe) instead of a window */
  probing: boolean;
  /** with coalescing: the seq of each key's newest entry (maybe already sent: check `sentMax`) */
  lastByKey: Map<string, number> | undefined;
  /** changes folded into a newer change for the same key before they were sent */
  coalesced: number;
  /** the last `changes` message built, sent again as is when the same batch is resent (queue.ts batchOf) */
  lastBatch: ChangesMsg | undefined;
}

export interface Stats {
  /** distinct changes that died in a volatile queue with a crash */
  changesLost: number;
  /** writes refused because a destination queue was full */
  refusedQueueFull: number;
  /** most siblings a read returned (version vectors, MV registers) */
  maxSiblingsRead: number;
  /** anti-entropy: key states re-offered to a peer after a restart that lost the queues */
  antiEntropyKeys: number;
  /** `read_from: quorum`: reads this node coordinated, and those it gave up without a majority */
  quorumReads?: number;
  quorumReadsAbandoned?: number;
  /** `read_from: leader`: reads this node forwarded to the key's owner */
  readsForwarded?: number;
}

/**
 * A quorum read this node coordinates: the client's request, the merge so far of the states
 * reported (a private copy: the live store is not touched), and who has answered.
 */
export interface PendingRead {
  req: ClientRequest;
  merged: unknown;
  /** peers whose state is merged (this node counts too, without an entry) */
  answered: NodeId[];
}

/** What survives a crash. The store always; the queues only with `durable_queue: true`. */
export interface AsyncDurable {
  store: Map<string, unknown>;
  hlc: Hlc;
  changeSeq: number;
  received: Map<NodeId, number>;
  /** quorum read ids: kept so a restarted node never reuses one a late reply could match */
  readSeq?: number;
  /**
   * per destination: next seq, and the queue itself when durable. `unacked`: how many changes
   * a volatile queue held unacknowledged when it died (the difference of two persisted
   * counters, next seq and last ack; 0 for a durable queue): those peers need anti-entropy.
   */
  queues: Map<NodeId, { nextSeq: number; acked: number; entries: Entry[] | undefined; maxDepth: number; coalesced: number; unacked: number }>;
  /** durable queues: the write ids (Entry.pending) that are anti-entropy offers */
  repairs?: Set<number>;
  stats: Stats;
}

export interface AsyncState {
  self: NodeId;
  rank: number;
  store: Map<string, unknown>;
  hlc: Hlc;
  /** counts this node's changes: LWW tie-break and unique ids */
  changeSeq: number;
  out: Map<NodeId, OutQueue>;
  /** the changes the queues hold, with their copies and repair flags, by write id (ledger.ts) */
  ledger: WriteLedger;
  /** per origin: highest seq applied (in order) */
  received: Map<NodeId, number>;
  flushArmed: boolean;
  /** changes queued and not yet acked by every destination (distinct changes) */
  pendingChanges: number;
  /** forwarded writes (ownership: home) awaiting the owner's answer */
  awaitingFwd: Set<number>;
  /** forwarded ops already executed here as owner, with their answer (duplicates re-answer) */
  fwdDone: Map<number, OpResult>;
  /** escrow: key → own clock when rights were last asked for */
  askedRights: Map<string, number>;
  /**
   * anti-entropy still to offer, per destination: the keys of the store (sorted, at restart)
   * and the next one to queue; fed as the queue has room (see feedRepair in engine.ts)
   */
  repair: Map<NodeId, { keys: string[]; next: number }>;
  /** last quorum read id this node issued (node-local counter) */
  readSeq: number;
  /** quorum reads waiting for a majority, by id (volatile: a crash drops them, clients time out) */
  pendingReads: Map<number, PendingRead>;
  stats: Stats;
  /**
   * The rule's Env for this node and the ctx it was made with (config.ts envOf makes it on
   * first use; volatile: a restarted node makes its own)
   */
  env?: { ctx: Ctx<AsyncMsg>; env: Env } | undefined;
}

/**
 * The async engine's timers, by kind: `flush` ships what `flush_interval` held back (and starts
 * a restarted node's drain), `retry` is a destination queue's go-back-N timeout (stale when
 * `gen` is not the queue's current one), `read-give-up` forgets quorum read `data`.
 */
export type AsyncTimer =
  | { kind: 'flush' }
  | { kind: 'retry'; data: { dest: NodeId; gen: number } }
  | { kind: 'read-give-up'; data: number };

/**
 * A batch of consecutive changes: seqs `first`, `first + 1`, ... with `keys[i]` and
 * `changes[i]` (two arrays per batch, not an entry object per change). `head`: the sender's
 * first unacked seq (it holds nothing below). Never mutated once sent (queue.ts resends it).
 */
export interface ChangesMsg {
  type: 'changes';
  head: number;
  first: number;
  keys: string[];
  changes: unknown[];
}

export type AsyncMsg =
  | ChangesMsg
  | { type: 'ack'; upto: number }
  | { type: 'fwd'; req: ClientRequest }
  | { type: 'fwd-reply'; op: number; result: OpResult }
  /** escrow (crdt inventory): "transfer me some of your rights for this key" */
  | { type: 'rights-req'; key: string; want: number }
  /** quorum read: "send me your state of this key"; `id` is the coordinator's read id */
  | { type: 'read-req'; id: number; key: string }
  /** the answer: changes that carry the replica's whole state of the key (rule.asChanges) */
  | { type: 'read-rep'; id: number; changes: unknown[] };
