/**
 * Client operations as the linearizability search sees them: invocation paired with its
 * completion, with the positions of both in the history (record order is the real-time order;
 * the search never compares times, so equal timestamps cannot reorder events).
 * `fail` ops are dropped (definitely not applied); `info` ops and invocations without a
 * completion stay open to the end of the history with an unknown result.
 */
import type { HistoryRecord, OpFn, Value } from '../../history/types.js';
import type { ZoneOps } from './zones.js';

export interface LinOp {
  id: number;
  client: string;
  f: OpFn;
  key: string;
  /** the invocation's argument */
  input: Value | undefined;
  /** the `ok` completion's value; undefined when the result is unknown */
  output: Value | undefined;
  /** true for `ok` ops; false for `info` and never-completed ops (result unknown, optional) */
  known: boolean;
  call_t: number;
  /** completion time of an `ok` op; null when open */
  ret_t: number | null;
  /** record index of the invocation */
  callPos: number;
  /** record index of the `ok` completion; Infinity when open */
  retPos: number;
}

/** Pairs invocations with completions, in invocation order, dropping `fail` ops. */
export function collectLinOps(records: readonly HistoryRecord[]): LinOp[] {
  // Op ids are usually small dense integers: an array beats a Map of a million entries.
  const dense: (LinOp | undefined)[] = [];
  const sparse = new Map<number, LinOp>();
  const limit = 4 * records.length + 16;
  const isDense = (id: number): boolean => Number.isInteger(id) && id >= 0 && id < limit;
  const byId = {
    get: (id: number): LinOp | undefined => (isDense(id) ? dense[id] : sparse.get(id)),
    set: (id: number, op: LinOp): void => {
      if (!isDense(id)) sparse.set(id, op);
      else {
        while (dense.length < id) dense.push(undefined);
        dense[id] = op;
      }
    },
    has: (id: number): boolean => (isDense(id) ? dense[id] !== undefined : sparse.has(id)),
  };
  const failed = new Set<number>();
  const ops: LinOp[] = [];
  for (let pos = 0; pos < records.length; pos++) {
    const r = records[pos]!;
    switch (r.type) {
      case 'invoke': {
        const op: LinOp = {
          id: r.op,
          client: r.client,
          f: r.f,
          key: r.key,
          input: r.value,
          output: undefined,
          known: false,
          call_t: r.t,
          ret_t: null,
          callPos: pos,
          retPos: Infinity,
        };
        byId.set(r.op, op);
        ops.push(op);
        break;
      }
      case 'ok': {
        const op = byId.get(r.op);
        if (op && !op.known && op.retPos === Infinity) {
          op.known = true;
          op.output = r.value;
          op.ret_t = r.t;
          op.retPos = pos;
        }
        break;
      }
      case 'fail':
        if (byId.has(r.op)) failed.add(r.op);
        break;
      case 'info':
      case 'apply':
      case 'fault':
      case 'final':
      case 'replicas':
      case 'live':
      case 'extra_reply':
      case 'route':
      case 'alert':
      case 'attempt':
        break;
      default: {
        const never: never = r;
        void never;
      }
    }
  }
  return failed.size === 0 ? ops : ops.filter((o) => !failed.has(o.id) || o.known);
}

/**
 * Lin ops by partition, built on demand, so a large history never holds every op's `LinOp`
 * at once (src/checker/sink.ts builds them from its columns).
 */
export interface LinSource {
  /** keys in order of their first op (fail ops dropped) */
  keys(): string[];
  /** the ops of `key`, invocation order (fail ops dropped) */
  ops(key: string): LinOp[];
  /** every op, invocation order (fail ops dropped): for models that span keys */
  all(): LinOp[];
  /**
   * Optional (lin/head.ts): the first `count` of `ops(key)`, or null unless every op of the key
   * is a known read or write (read/get/write/put) and no read returned an array. `next`: the
   * call position of the first op left out (Infinity when none is); `size`: how many ops
   * `ops(key)` has; `nilReads`: some read returned nil (or nothing).
   */
  head?(key: string, count: number): { ops: LinOp[]; next: number; size: number; nilReads: boolean } | null;
  /**
   * Optional (lin/zones.ts): `ops(key)` read by index, without an object per op; what each
   * index answers equals the fields of `ops(key)[i]`.
   */
  zoneOps?(key: string): ZoneOps;
  /**
   * Optional: what `registerZonesLinearizable(zoneOps(key), opts)` answers under the
   * register model with the check's options, when the source already worked it out
   * (register-zones.ts); undefined: not known, ask zones.
   */
  zoneProof?(key: string): boolean | undefined;
  /** Optional: `ops(key)` one at a time, none kept (a witness's look over the whole key). */
  each?(key: string): Iterable<LinOp>;
}

/** A LinSource over records. */
export function linSourceOf(records: readonly HistoryRecord[]): LinSource {
  const ops = collectLinOps(records);
  const byKey = new Map<string, LinOp[]>();
  for (const op of ops) {
    let list = byKey.get(op.key);
    if (!list) byKey.set(op.key, (list = []));
    list.push(op);
  }
  return { keys: () => [...byKey.keys()], ops: (key) => byKey.get(key) ?? [], all: () => ops };
}
