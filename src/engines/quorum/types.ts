/**
 * The quorum engine's data: one node's state, its messages and timers, and what a crash keeps.
 * The LWT (Paxos) module owns `lwt` and the `{ type: 'lwt' }` messages and `{ kind: 'lwt' }`
 * timers (lwt.ts); everything else is the core engine's.
 */
import type { NodeId, OpId } from '../../sim/ids.js';
import type { ClientRequest } from '../engine.js';
import type { Cells, Row } from './cells.js';
import type { QuorumCfg } from './config.js';
import type { PeerFd } from './detector.js';
import type { Need, Tally } from './levels.js';
import type { LwtMsg, LwtTimer } from './lwt.js';
import type { RepairMsg, RepairStats } from './repair.js';
import type { Placement } from './ring.js';

/** A hint: cells a replica missed, kept by the coordinator until the replica is seen up. */
export interface Hint {
  key: string;
  cells: Cells;
  /** coordinator clock when stored (hints older than max_hint_window are dropped) */
  created_us: number;
}

/**
 * A write this node coordinates. A counter increment has no cells until its leader replica
 * (`leader`, an index into `p.nodes`) answered with the shard it incremented.
 */
export interface PendingWrite {
  id: number;
  op: OpId;
  key: string;
  /** the client's ok value */
  result: ClientRequest['value'];
  cells: Cells | undefined;
  p: Placement;
  need: Need;
  tally: Tally;
  /** per replica index: acknowledged, or given a hint already (not sent: believed down) */
  acked: boolean[];
  hinted: boolean[];
  replied: boolean;
  leader: number;
}

/**
 * A read this node coordinates: `digest` (waiting for enough responses), `data` (digests
 * disagreed: full data asked from every replica that sent a digest), `repair` (stale replicas
 * are being written the newest cells before the answer).
 */
export interface PendingRead {
  id: number;
  req: ClientRequest;
  p: Placement;
  need: Need;
  started_us: number;
  phase: 'digest' | 'data' | 'repair';
  /** replica indexes asked, in order; the first got the data request */
  asked: number[];
  /** eligible, believed-up replica indexes by proximity (speculative retry picks the next unasked one) */
  candidates: number[];
  tally: Tally;
  data: Map<number, Cells>;
  digests: Map<number, string>;
  /** data answers or repair acks still awaited */
  awaiting: number;
  merged: Row | undefined;
}

export interface Stats {
  unavailable: number;
  writeTimeouts: number;
  readTimeouts: number;
  hintsStored: number;
  hintsReplayed: number;
  hintsDropped: number;
  hintsLost: number;
  readRepairs: number;
  digestMismatches: number;
  speculativeRetries: number;
}

export const newStats = (): Stats => ({
  unavailable: 0,
  writeTimeouts: 0,
  readTimeouts: 0,
  hintsStored: 0,
  hintsReplayed: 0,
  hintsDropped: 0,
  hintsLost: 0,
  readRepairs: 0,
  digestMismatches: 0,
  speculativeRetries: 0,
});

export interface QuorumState {
  self: NodeId;
  /** index in topology.nodes */
  rank: number;
  /** index of this node's region in topology.regions */
  regionIdx: number;
  /** the engine's resolved settings and placement (for modules that get only the state, e.g. lwt.ts) */
  env: QuorumCfg;
  /** key → cells: only keys this node is a replica of */
  store: Map<string, Row>;
  /** last write timestamp this coordinator issued (timestamps strictly increase per coordinator) */
  lastTs: number;
  /** request ids (writes, reads, hint batches); durable, so a restarted node never reuses one */
  seq: number;
  /** gossip generation: bumped by every restart */
  gen: number;
  /** own heartbeat version, bumped at every gossip tick */
  beat: number;
  writes: Map<number, PendingWrite>;
  reads: Map<number, PendingRead>;
  /** failure detector: what this node knows of every other node */
  fd: Map<NodeId, PeerFd>;
  /** hints per target replica, oldest first */
  hints: Map<NodeId, Hint[]>;
  hintCount: number;
  /** a hint batch sent and not yet acknowledged, per target */
  hintsInFlight: Map<NodeId, { id: number; n: number; sent_us: number }>;
  /** recent read latencies (coordinator clock, us), a ring buffer, and the speculative threshold */
  readLat: number[];
  readLatNext: number;
  specAfter_us: number;
  /** the LWT (Paxos) module's state (lwt.ts) */
  lwt: unknown;
  /** anti-entropy repair counters (repair.ts); durable */
  repair: RepairStats;
  stats: Stats;
}

/** What a crash keeps: the data, clocks and ids always; hints only with `hints: durable`. */
export interface QuorumDurable {
  store: Map<string, Row>;
  lastTs: number;
  seq: number;
  gen: number;
  hints: Map<NodeId, Hint[]> | undefined;
  /** hints that died with the node (volatile hints), to count them */
  hintsLostNow: number;
  lwt: unknown;
  repair: RepairStats;
  stats: Stats;
}

export type QuorumTimer =
  | { kind: 'gossip' }
  | { kind: 'write-timeout'; data: number }
  | { kind: 'read-timeout'; data: number }
  | { kind: 'speculate'; data: number }
  | LwtTimer
  | { kind: 'repair' };

export type QuorumMsg =
  /** a write (or a counter shard) to a replica */
  | { type: 'mutation'; id: number; key: string; cells: Cells }
  | { type: 'mutation-ack'; id: number }
  /** a read: the full data, or only its digest */
  | { type: 'read'; id: number; key: string; digest: boolean }
  | { type: 'read-reply'; id: number; digest: string; cells: Cells | undefined }
  /** blocking read repair: the newest cells a stale replica lacked */
  | { type: 'read-repair'; id: number; key: string; cells: Cells }
  | { type: 'read-repair-ack'; id: number }
  /** hinted handoff: missed writes replayed to a replica seen up again */
  | { type: 'hints'; id: number; items: Array<{ key: string; cells: Cells }> }
  | { type: 'hints-ack'; id: number }
  /** counter increment to its leader replica, which answers with its new shard */
  | { type: 'counter'; id: number; key: string; delta: number; op: number }
  | { type: 'counter-ack'; id: number; cells: Cells }
  /** gossip: the sender's heartbeat table (node, generation, version); `reply` for the pull half */
  | { type: 'gossip'; table: Array<[NodeId, number, number]>; reply: boolean }
  | LwtMsg
  | RepairMsg;
