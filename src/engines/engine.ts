/**
 * The engine interface. An engine is a deterministic step handler: one input (a client
 * request, a message, a timer) in, effects out through `ctx`. It never reads the wall clock,
 * never schedules anything itself and never draws ambient randomness; the kernel performs every
 * effect, so an engine can be replayed and tested with no network (see test/engines).
 */
import type { ClientId, NodeId, OpId, RegionId } from '../sim/ids.js';
import type { Micros } from '../sim/time.js';
import type { Rng } from '../sim/rng.js';
import type { OpFn, Value } from '../history/types.js';
import type { EngineSpec, WorkloadModel, WorkloadSpec } from '../scenario/types.js';

/** A client operation as the node receives it. */
export interface ClientRequest {
  op: OpId;
  client: ClientId;
  f: OpFn;
  key: string;
  value?: Value;
}

/** The outcome of an operation: `ok` with its result, or `fail` (definitely not applied). */
export type OpResult = { type: 'ok'; value?: Value } | { type: 'fail'; error: string };

/** A timer an engine asked for; `kind` and `data` are the engine's own. */
export interface Timer {
  kind: string;
  data?: unknown;
}

/**
 * A `ctx` call as data: what an engine asked of the world in one step. The simulator
 * (src/run/world.ts) does not collect these: it performs each `ctx` call at once, in call
 * order (a send is handed to the network, a timer or a reply scheduled, an apply recorded).
 * The test harness (test/engines/harness.ts) records them as `Effect`s and performs them
 * after the step. Both orders are equivalent because nothing a call schedules can run before
 * the step returns: deliveries, timers and replies are kernel events at the current time or
 * later, handled after the current one (an invariant stops the run after the step). So an
 * engine may rely on its calls taking effect in the order made, and on nothing re-entering it
 * during a step. `metric` is not produced by `ctx` (metrics come from `Engine.metrics`); it
 * is kept for harnesses that trace engines' own counters.
 */
export type Effect<M> =
  | { type: 'send'; to: NodeId; msg: M }
  | { type: 'timer'; after_us: Micros; timer: Timer }
  | { type: 'reply'; op: OpId; result: OpResult }
  | { type: 'apply'; key: string; value: Value; op?: OpId; version?: string }
  | { type: 'invariant'; message: string; ops?: number[] }
  | { type: 'metric'; name: string; value: number };

/** Static facts about the cluster every engine may know. */
export interface Topology {
  /** all node ids in a stable order (region order as declared, then index) */
  nodes: readonly NodeId[];
  regions: readonly RegionId[];
  nodesOf(region: RegionId): readonly NodeId[];
  regionOf(node: NodeId): RegionId;
  /** configured one-way base latency between two nodes, for placement decisions only */
  baseLatency(from: NodeId, to: NodeId): Micros;
}

/** The only window an engine has on the world during a step. */
export interface Ctx<M> {
  readonly self: NodeId;
  readonly region: RegionId;
  readonly topology: Topology;
  /** this node's own skewed, drifting clock (microseconds); not true time */
  now(): Micros;
  send(to: NodeId, msg: M): void;
  setTimer(after_us: Micros, timer: Timer): void;
  reply(op: OpId, result: OpResult): void;
  /** records a replica applying a write, for the history */
  applied(key: string, value: Value, op?: OpId, version?: string): void;
  /** reports a broken safety invariant; the run stops and reports it as an anomaly */
  invariant(message: string, ops?: number[]): void;
  /** the engine's own random stream (seeded, named `engine/NODE`) */
  readonly rng: Rng;
}

export interface EngineConfig {
  spec: EngineSpec;
  model: WorkloadModel;
  topology: Topology;
  /** `workload.read_from`; engines that do not implement it ignore it (default `local`) */
  read_from?: WorkloadSpec['read_from'];
}

/**
 * A replication engine. `S` is one node's state, `M` its message type, `D` the part of the
 * state that survives a crash (persisted at the end of every step, like etcd/raft's Ready).
 */
export interface Engine<S, M, D = unknown> {
  /** `async/lww/physical`, `raft/lease`, ...: shown in results */
  readonly name: string;
  /** A fresh node, or a restarted one when `durable` is given. */
  init(self: NodeId, durable: D | undefined, ctx: Ctx<M>): S;
  /** What a crash keeps (the durable part of `s`). */
  durable(s: S): D;
  onRequest(s: S, req: ClientRequest, ctx: Ctx<M>): void;
  onMessage(s: S, from: NodeId, msg: M, ctx: Ctx<M>): void;
  onTimer(s: S, timer: Timer, ctx: Ctx<M>): void;
  /** Key → value as this replica holds it after settle (for `final` records). Sorted by key. */
  finalState(s: S): Array<{ key: string; value: Value }>;
  /**
   * Operator actions (sync engine `remove`/`rejoin`); optional. `config` numbers them (1, 2, ...
   * in the order the operator issued them, the same at every node): a membership decision
   * carries it, so a message sent before an action can be told from one sent after it.
   */
  onAdmin?(s: S, action: AdminAction, ctx: Ctx<M>): void;
  /**
   * Restore from backup (optional; docs/12-backups-and-recovery.md). Called on a node just restarted from
   * what its crash kept: replace its data with `entries` (sorted by key; each key's value as
   * its `apply` record showed it, with that record's `version`); keys absent from `entries`
   * go back to their initial value. Protocol state (sequence numbers, terms, logs) stays.
   * Engines without it restart unchanged, as from a crash.
   */
  restore?(s: S, entries: ReadonlyArray<RestoredEntry>, ctx: Ctx<M>): void;
  /** Engine-specific metrics gathered at the end (e.g. max queue depth); optional. */
  metrics?(s: S): Record<string, number>;
}

/** One key of a restored replica: its value and version as the `apply` record showed them. */
export interface RestoredEntry {
  key: string;
  value: Value;
  version?: string;
}

/** An operator action and its configuration number (incremented by every remove and rejoin). */
export interface AdminAction {
  /**
   * `repair` (anti-entropy on the target's replicas) was added with the quorum engine; an
   * engine that has no repair ignores it. Migration: an `onAdmin` that switched exhaustively on
   * `remove | rejoin` must now ignore `repair`.
   */
  kind: 'remove' | 'rejoin' | 'repair';
  target: string;
  config: number;
}

/** Builds an engine for a resolved scenario; returns an error for unavailable types. */
export type EngineFactory = (cfg: EngineConfig) => Engine<any, any, any>;
