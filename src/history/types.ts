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

export type HistoryRecord =
  | InvokeRecord
  | OkRecord
  | FailRecord
  | InfoRecord
  | ApplyRecord
  | FaultRecord
  | FinalRecord;

export type CompletionRecord = OkRecord | FailRecord | InfoRecord;
