/**
 * History records, exactly as ../shared/CHECKING.md specifies: one JSON object per line,
 * in virtual-time order. Times `t` are integer microseconds of true (simulator) time;
 * `clock_us` is the acting node's own skewed clock where it matters.
 *
 * The checker (src/checker) depends only on these types, never on the engines or the kernel.
 */

/** Operation functions across the four workload models (+ `txn` and kv ops for imported histories). */
export type OpFn =
  | 'read'
  | 'write'
  | 'cas'
  | 'add'
  | 'remove'
  | 'reserve'
  | 'restock'
  | 'txn'
  | 'get'
  | 'put'
  | 'append';

/**
 * A value as it appears in a history. Registers hold integers (generated writes are unique per
 * key); a version-vector register read or final state with siblings is an array of values
 * sorted ascending; a set read is a sorted array of elements; `cas` carries `[expected, new]`;
 * inventory `reserve` carries `{ qty, order }`.
 */
export type Value = null | number | string | boolean | Value[] | { [k: string]: Value };

export interface InvokeRecord {
  t: number;
  type: 'invoke';
  op: number;
  client: string;
  node: string;
  f: OpFn;
  key: string;
  value?: Value;
  clock_us?: number;
  /** the op's client class (`workload.classes`), when the scenario has classes */
  class?: string;
}

export interface OkRecord {
  t: number;
  type: 'ok';
  op: number;
  value?: Value;
}

export interface FailRecord {
  t: number;
  type: 'fail';
  op: number;
  error?: string;
}

export interface InfoRecord {
  t: number;
  type: 'info';
  op: number;
  error?: string;
}

export interface ApplyRecord {
  t: number;
  type: 'apply';
  node: string;
  key: string;
  value: Value;
  /** The operation whose effect is applied (absent for merges that no single op caused). */
  op?: number;
  /** Engine-specific version text: LWW timestamp, vector clock, Raft index... */
  version?: string;
  clock_us?: number;
}

/**
 * A fault starting or ending. `fault` names the kind (partition, isolate, one_way, heal, crash,
 * restart, clock, slow, remove, rejoin) or `end` when a fault's `for` elapsed; `id` pairs an
 * `end` with its start.
 */
export interface FaultRecord {
  t: number;
  type: 'fault';
  fault: string;
  id?: number;
  of?: string;
  [detail: string]: unknown;
}

export interface FinalRecord {
  t: number;
  type: 'final';
  node: string;
  key: string;
  value: Value;
}

/**
 * Which nodes should hold a key, written by the runner from the scenario's placement (never
 * by an engine) before any op: `key: "*"` for every key, then one record per key whose
 * placement differs (before that key's first op).
 */
export interface ReplicasRecord {
  t: number;
  type: 'replicas';
  /** a key, or `*`: every key without a record of its own */
  key: string;
  /** sorted node ids */
  nodes: string[];
}

/**
 * The nodes up (and in their replica sets) after settle, from the fault timeline; written by
 * the runner just before the `final` records. A node listed here with no `final` for a key it
 * should hold holds "absent".
 */
export interface LiveRecord {
  t: number;
  type: 'live';
  /** sorted node ids */
  nodes: string[];
}

/**
 * A reply the engine sent beyond an op's first one, or to an op never invoked: an engine bug
 * the simulator records instead of dropping. It is not a completion (the op's completion is
 * the first reply, as the client saw it), so "invoke then exactly one of ok, fail or info"
 * still holds; `first` says what the engine had replied before (absent for an unknown op).
 * `t` is when the engine sent it, `node` the node that sent it.
 */
export interface ExtraReplyRecord {
  t: number;
  type: 'extra_reply';
  op: number;
  node: string;
  /** what this reply said */
  reply: 'ok' | 'fail';
  value?: Value;
  error?: string;
  /** the engine's first reply to the op; absent when the op was never invoked */
  first?: 'ok' | 'fail';
}

/**
 * A client's traffic moving from one node to another (failover, failback, a routing policy's
 * decision), written by the runner's traffic layer, never by an engine: when traffic left a
 * region and when it came back. Not an op: the checker's families ignore it.
 */
export interface RouteRecord {
  t: number;
  type: 'route';
  client: string;
  /** the node the client sent its ops to until now */
  from: string;
  /** the node it sends them to from now on */
  to: string;
  /** why: `failover`, `failback`, or the routing policy's reason (`dns`, `anycast`, `weighted`, `home`) */
  reason: string;
}

/**
 * A scenario-defined alert rule changing state (`firing` when its condition has held for its
 * `for`, `resolved` when it stops holding), evaluated by the runner on its own metrics at
 * each evaluation step. `value` is the metric's value at that step.
 */
export interface AlertRecord {
  t: number;
  type: 'alert';
  alert: string;
  state: 'firing' | 'resolved';
  value?: number;
}

/**
 * A client retrying op `op` (its `invoke` is the first attempt): attempt number `attempt`
 * (2, 3, ...) sent to `node`. Attempts are the same logical op: the op still has one invoke
 * and one completion, and an attempt's replica applies carry the op's id, so the checker
 * counts a retried write once and sees an increment applied twice as applied twice.
 */
export interface AttemptRecord {
  t: number;
  type: 'attempt';
  op: number;
  attempt: number;
  node: string;
}

export type HistoryRecord =
  | InvokeRecord
  | OkRecord
  | FailRecord
  | InfoRecord
  | ApplyRecord
  | FaultRecord
  | FinalRecord
  | ReplicasRecord
  | LiveRecord
  | ExtraReplyRecord
  | RouteRecord
  | AlertRecord
  | AttemptRecord;

export type CompletionRecord = OkRecord | FailRecord | InfoRecord;
