/**
 * Pairs invocations with their completions into `Op`s and splits a history into the parts
 * the anomaly families need. Everything here is a pure function of the records.
 */
import type {
  ApplyRecord,
  FaultRecord,
  FinalRecord,
  HistoryRecord,
  OpFn,
  Value,
} from '../history/types.js';

export type OpStatus = 'ok' | 'fail' | 'info' | 'open';

/** A client operation: its invocation paired with its completion (if any). */
export interface Op {
  id: number;
  client: string;
  node: string;
  f: OpFn;
  key: string;
  /** the invocation's argument */
  value: Value | undefined;
  /** the `ok` completion's value */
  result: Value | undefined;
  invoke_t: number;
  /** time of the ok/fail/info record; null while open */
  complete_t: number | null;
  type: OpStatus;
  /** the `fail`/`info` completion's error text */
  error?: string;
  /** position in the whole history's invocation order (set when built from columns) */
  row?: number;
}

/** Pairs invokes with completions, in invocation order. Completions of unknown ops are ignored. */
export function pairOps(records: readonly HistoryRecord[]): Op[] {
  const ops: Op[] = [];
  const byId = new Map<number, Op>();
  for (const r of records) {
    switch (r.type) {
      case 'invoke': {
        const op: Op = {
          id: r.op,
          client: r.client,
          node: r.node,
          f: r.f,
          key: r.key,
          value: r.value,
          result: undefined,
          invoke_t: r.t,
          complete_t: null,
          type: 'open',
        };
        ops.push(op);
        byId.set(r.op, op);
        break;
      }
      case 'ok':
      case 'fail':
      case 'info': {
        const op = byId.get(r.op);
        if (!op || op.type !== 'open') break;
        op.type = r.type;
        op.complete_t = r.t;
        if (r.type === 'ok') op.result = r.value;
        else if (r.error !== undefined) op.error = r.error;
        break;
      }
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
  return ops;
}

/** A history split into what the families read. */
export interface History {
  /** client operations in invocation order */
  ops: Op[];
  byId: { get(id: number): Op | undefined };
  applies: ApplyRecord[];
  finals: FinalRecord[];
  faults: FaultRecord[];
  /** time of the last record (0 for an empty history) */
  end_t: number;
  /**
   * Set when this is one key's slice of a larger history (src/checker/sink.ts): facts about
   * the whole history that the slice alone cannot tell. `applies` is then empty.
   */
  scope?: HistoryScope;
  /** the key of a one-key slice that has ops (its ops are then built only when read) */
  key?: string;
  /** replica sets and live nodes from `replicas`/`live` records; absent when it has none */
  placement?: Placement;
}

/**
 * Which nodes should hold each key and which were up after settle, as the runner wrote them
 * from the scenario and the fault timeline (CHECKING.md `replicas`, `live`), never from an
 * engine's own records.
 */
export interface Placement {
  /** nodes that should hold `key` (its own record, else the `*` record); empty when neither */
  replicasOf(key: string): readonly string[];
  /** the `live` record's nodes, or null when the history has none */
  live: ReadonlySet<string> | null;
}

/** The placement of `replicas` records (key or `*` → nodes) and a `live` record, or undefined when there are none. */
export function placementOf(
  replicas: ReadonlyMap<string, readonly string[]>,
  live: readonly string[] | null,
): Placement | undefined {
  if (replicas.size === 0 && live === null) return undefined;
  const all = replicas.get('*') ?? [];
  return {
    replicasOf: (key) => replicas.get(key) ?? all,
    live: live === null ? null : new Set(live),
  };
}

/** Whole-history facts for a one-key slice. */
export interface HistoryScope {
  /** nodes with a `final` record */
  live: Set<string>;
  /** the history has `final` records */
  anyFinal: boolean;
  /** the history has `apply` records */
  anyApply: boolean;
  /** nodes that applied the key */
  appliers: (key: string) => Iterable<string>;
}

export function splitHistory(records: readonly HistoryRecord[]): History {
  const ops = pairOps(records);
  const byId = new Map<number, Op>();
  for (const op of ops) byId.set(op.id, op);
  const applies: ApplyRecord[] = [];
  const finals: FinalRecord[] = [];
  const faults: FaultRecord[] = [];
  const replicas = new Map<string, readonly string[]>();
  let live: readonly string[] | null = null;
  let end_t = 0;
  for (const r of records) {
    if (r.t > end_t) end_t = r.t;
    if (r.type === 'apply') applies.push(r);
    else if (r.type === 'final') finals.push(r);
    else if (r.type === 'fault') faults.push(r);
    else if (r.type === 'replicas') replicas.set(r.key, r.nodes);
    else if (r.type === 'live') live = r.nodes;
  }
  const placement = placementOf(replicas, live);
  return placement ? { ops, byId, applies, finals, faults, end_t, placement } : { ops, byId, applies, finals, faults, end_t };
}

/** Reads do not change state; every other function is a write for latency and split-brain. */
export function isRead(f: OpFn): boolean {
  return f === 'read' || f === 'get';
}

/**
 * The time after which an op certainly had no further effect: its ack for `ok`, never for
 * `info`/`open` (they may take effect at any point after their invoke), and -Infinity for
 * `fail` (it never took effect).
 */
export function effectEnd(op: Op): number {
  if (op.type === 'ok') return op.complete_t ?? Infinity;
  if (op.type === 'fail') return -Infinity;
  return Infinity;
}

/**
 * A reservation's idempotency key (`{qty, order}`) as canonical text, or null when it has none
 * (no `order`, null, or the empty string, which the engines' shared inventory model reads as "no order").
 */
export function orderOf(v: Value | undefined): string | null {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v['order'];
  return o === undefined || o === null || o === '' ? null : valueKey(o);
}

/** Canonical text of a value, for equality: object keys sorted. */
export function valueKey(v: Value | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'number') return String(v); // the common case; same text as JSON for finite numbers
  return JSON.stringify(canon(v));
}

function canon(v: Value): Value {
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Value } = {};
    for (const k of Object.keys(v).sort()) out[k] = canon(v[k] as Value);
    return out;
  }
  return v;
}

/** Groups by a string key, keys sorted, insertion order kept inside a group. */
export function groupBy<T>(items: readonly T[], keyOf: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = keyOf(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return new Map([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** A number from a value: the value itself, or a named field of an object value. */
export function numberField(v: Value | undefined, ...fields: string[]): number | null {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const f of fields) {
      const x = v[f];
      if (typeof x === 'number') return x;
    }
  }
  return null;
}

/**
 * Index of the first op in `ops` (sorted by invoke time, as `History.ops` is) invoked at or
 * after `t`.
 */
export function firstInvokedAt(ops: readonly Op[], t: number): number {
  let lo = 0;
  let hi = ops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ops[mid] as Op).invoke_t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
