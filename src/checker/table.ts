/**
 * A history held as columns instead of record objects: client operations one row each (in
 * invocation order) in typed arrays that grow by doubling, `apply` records as four numeric
 * columns, names interned. A client op costs 42 bytes and an apply 16 (names in 16 bits while
 * there are at most 65,536) instead of the ~150 bytes per record object (and several records
 * per op) the object form needs; these columns are resident for the whole simulation.
 *
 * Pairing follows `pairOps` exactly: a completion goes to the op currently holding its id,
 * the first completion decides the outcome. The linearizability view keeps its own rules
 * (`collectLinOps`): the first `ok` after the invoke counts even after an `info`, and a `fail`
 * for an invoked id drops every op with that id that never got an `ok`.
 *
 * Replies that break "invoke then exactly one of ok, fail or info" are kept aside (rare, so as
 * records) for the invariant family (replies.ts): a completion after an `ok` or `fail`, a
 * completion of an op never invoked, and the simulator's `extra_reply` records. `replicas`
 * and `live` records are kept as the placement (final-state.ts).
 */
import type {
  CompletionRecord,
  ExtraReplyRecord,
  FaultRecord,
  FinalRecord,
  HistoryRecord,
  OpFn,
  Value,
} from '../history/types.js';
import type { OpStatus } from './ops.js';
import { resized, type NumArray } from '../typed-arrays.js';

/** Outcome codes in the `type` column. */
export const OPEN = 0;
export const OK = 1;
export const FAIL = 2;
export const INFO = 3;
export const STATUS: readonly OpStatus[] = ['open', 'ok', 'fail', 'info'];

/** Value tags: how the `*Num` column is to be read. */
export const V_UNDEF = 0;
export const V_NUM = 1;
export const V_NULL = 2;
/** anything else (other numbers, strings, arrays, objects): `*Num` indexes the side list */
export const V_SIDE = 3;

/** Interned strings: index ↔ text. */
export interface Names {
  id(s: string): number;
  /** the index of `s`, without adding it */
  find(s: string): number | undefined;
  readonly list: string[];
}

/** Slots of the direct-mapped cache in front of a Names map. */
const NAME_CACHE = 1 << 12;

/**
 * `onWide`: called once, before the first index that does not fit 16 bits is handed out.
 * Names are looked up three times per client op and twice per apply (~18 M times on the
 * 2-hour run); a direct-mapped cache on length and a few characters answers most of them
 * with one string comparison (usually of the very same string object) instead of a map lookup.
 */
function names(onWide?: () => void): Names {
  const ids = new Map<string, number>();
  const list: string[] = [];
  // The cache is made on the NAME_CACHE-th lookup: a table has four of these, and 48 KiB each
  // for a history of a few hundred ops (`replsim check` on many small files) cost more than
  // the map lookups it saves.
  let cached: Array<string | undefined> | null = null;
  let cachedId: Int32Array | null = null;
  let lookups = 0;
  const slow = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) {
      i = list.length;
      if (i === 0x10000) onWide?.();
      ids.set(s, i);
      list.push(s);
    }
    return i;
  };
  return {
    id(s) {
      if (cached === null || cachedId === null) {
        if (++lookups < NAME_CACHE) return slow(s);
        cached = new Array<string | undefined>(NAME_CACHE).fill(undefined);
        cachedId = new Int32Array(NAME_CACHE);
      }
      // slot from the length, the first and the last three characters (keys differ at the end)
      const n = s.length;
      let h = 0;
      if (n > 0) {
        h = (n * 31 + s.charCodeAt(0)) * 31 + s.charCodeAt(n - 1);
        if (n > 1) h = h * 31 + s.charCodeAt(n - 2);
        if (n > 2) h = h * 31 + s.charCodeAt(n - 3);
        h &= NAME_CACHE - 1;
      }
      if (cached[h] === s) return cachedId[h] as number;
      const i = slow(s);
      cached[h] = s;
      cachedId[h] = i;
      return i;
    },
    find: (s) => ids.get(s),
    list,
  };
}

/** A column of name indices: 16 bits while there are at most 65,536 names (clients, nodes and keys together). */
export type NameColumn = Uint16Array | Uint32Array;

function widen(a: NameColumn): Uint32Array {
  return a instanceof Uint32Array ? a : Uint32Array.from(a);
}

/** Largest capacity hint honoured (rows); beyond it columns grow by doubling as usual. */
const MAX_HINT = 1 << 26;

/** Smallest column allocated: small enough that a history of a few hundred ops stays small. */
const MIN_ROWS = 256;

/** `a` when it holds `need` entries, else a copy of it doubled until it does (a column's growth). */
export function grow<T extends NumArray>(a: T, need: number): T {
  if (need <= a.length) return a;
  let cap = Math.max(MIN_ROWS, a.length);
  while (cap < need) cap *= 2;
  if (a.length === 0) cap = Math.max(need, MIN_ROWS); // a hint: exactly that much
  return resized(a, cap);
}

/** A later `ok` for an op whose first completion was `info` (linearizability only). */
interface LateOk {
  t: number;
  pos: number;
  value: Value | undefined;
}

export class OpTable {
  /** rows (client operations) */
  n = 0;
  /** op ids; null while every row's id is row + 1 (the simulator's numbering) */
  private ids: Float64Array | null = null;
  invokeT = new Float64Array(0);
  /** time of the first completion; NaN while open */
  completeT = new Float64Array(0);
  client: NameColumn = new Uint16Array(0);
  node: NameColumn = new Uint16Array(0);
  key: NameColumn = new Uint16Array(0);
  f = new Uint8Array(0);
  type = new Uint8Array(0);
  /** error text of the first completion (fail/info) by row: index into `errors.list` + 1 (rare: a map, not a column) */
  private readonly errorOf = new Map<number, number>();
  callPos = new Int32Array(0);
  /** record position of the first completion (read only for `ok` ops) */
  completePos = new Int32Array(0);
  private vTag = new Uint8Array(0);
  /** int32 values inline; other numbers and non-numbers in `side` */
  private vNum = new Int32Array(0);
  private rTag = new Uint8Array(0);
  private rNum = new Int32Array(0);
  private readonly side: Value[] = [];

  readonly names = names(() => {
    this.client = widen(this.client);
    this.node = widen(this.node);
    this.key = widen(this.key);
    this.aNode = widen(this.aNode);
    this.aKey = widen(this.aKey);
  });
  readonly fns = names();
  readonly errors = names();
  /** client classes (`class` of invoke records): row → index into `classes.list` (rare: a map, not a column) */
  readonly classes = names();
  readonly classOf = new Map<number, number>();
  readonly lateOk = new Map<number, LateOk>();
  /** op ids that got a `fail` record while invoked */
  readonly failedIds = new Set<number>();

  // apply records
  na = 0;
  aT = new Float64Array(0);
  aNode: NameColumn = new Uint16Array(0);
  aKey: NameColumn = new Uint16Array(0);
  /** the row of the apply's op when pushed; -1: names no op; -2: not invoked yet (id in `laterIds`) */
  private aRow = new Int32Array(0);
  private readonly laterIds = new Map<number, number>();
  /** some op id was invoked twice (then rows are re-resolved through the final id map) */
  private dupIds = false;

  readonly finals: FinalRecord[] = [];
  readonly faults: FaultRecord[] = [];
  /** `replicas` records: key (or `*`) → nodes; a later record for a key replaces an earlier one */
  readonly replicas = new Map<string, readonly string[]>();
  /** the `live` record's nodes (the last one), or null when the history has none */
  live: readonly string[] | null = null;
  /** completions after the op's `ok` or `fail`, with the row they name */
  readonly secondCompletions: Array<{ row: number; rec: CompletionRecord }> = [];
  /** completions naming an op never invoked (before them) */
  readonly orphanCompletions: CompletionRecord[] = [];
  /** the simulator's `extra_reply` records */
  readonly extraReplies: ExtraReplyRecord[] = [];
  end_t = 0;
  /** records pushed */
  records = 0;

  /**
   * `capacity`: expected ops and apply records. Columns are allocated at that size up front
   * (untouched pages cost no memory), so a long run does not regrow them: each regrowth of
   * large typed arrays makes V8 run full collections over the whole heap.
   */
  constructor(capacity?: { ops?: number; applies?: number }) {
    if (capacity?.ops) this.growOps(Math.min(capacity.ops, MAX_HINT));
    if (capacity?.applies) this.growApplies(Math.min(capacity.applies, MAX_HINT));
  }

  // op id → row while ingesting: none while ids count up from 1 (`ids` null: row = id - 1);
  // then a dense array for small non-negative integer ids, else a map
  private dense = new Int32Array(0);
  private readonly sparse = new Map<number, number>();

  private rowOf(id: number): number {
    if (!this.ids) return Number.isInteger(id) && id >= 1 && id <= this.n ? id - 1 : -1;
    if (Number.isInteger(id) && id >= 0 && id < this.dense.length) {
      const r = this.dense[id] as number;
      if (r !== 0) return r - 1;
    }
    return this.sparse.get(id) ?? -1;
  }

  private setRow(id: number, row: number): void {
    if (this.rowOf(id) >= 0) this.dupIds = true;
    if (Number.isInteger(id) && id >= 0 && id < 4 * (this.n + 1) + 1024) {
      if (id >= this.dense.length) this.dense = grow(this.dense, id + 1);
      this.dense[id] = row + 1;
      this.sparse.delete(id);
    } else this.sparse.set(id, row);
  }

  /** The row currently holding op id `id` (the latest invocation with it), or -1. */
  row(id: number): number {
    return this.rowOf(id);
  }

  // Each record type's fields are read in a case of its own: records of different types
  // have different shapes, and a property read that sees them all is a slow generic lookup.
  push(r: HistoryRecord): void {
    const pos = this.records++;
    switch (r.type) {
      case 'invoke':
        if (r.t > this.end_t) this.end_t = r.t;
        this.invoke(r.op, r.t, r.client, r.node, r.f, r.key, r.value, pos);
        if (r.class !== undefined) this.classOf.set(this.n - 1, this.classes.id(r.class));
        return;
      case 'ok': {
        const t = r.t;
        if (t > this.end_t) this.end_t = t;
        const row = this.rowOf(r.op);
        if (row < 0) {
          this.orphanCompletions.push(r);
          return;
        }
        const was = this.type[row];
        if (was === OK || was === FAIL) this.secondCompletions.push({ row, rec: r });
        if (was === OPEN) {
          this.type[row] = OK;
          this.completeT[row] = t;
          this.completePos[row] = pos;
          this.setValue(this.rTag, this.rNum, row, r.value);
        } else if (was !== OK && !this.lateOk.has(row)) {
          this.lateOk.set(row, { t, pos, value: r.value });
        }
        return;
      }
      case 'fail':
      case 'info': {
        if (r.t > this.end_t) this.end_t = r.t;
        const row = this.rowOf(r.op);
        if (row < 0) {
          this.orphanCompletions.push(r);
          return;
        }
        const was = this.type[row];
        if (was === OK || was === FAIL) this.secondCompletions.push({ row, rec: r });
        if (r.type === 'fail') this.failedIds.add(r.op);
        if (was === OPEN) {
          this.type[row] = r.type === 'fail' ? FAIL : INFO;
          this.completeT[row] = r.t;
          this.completePos[row] = pos;
          if (r.error !== undefined) this.errorOf.set(row, this.errors.id(r.error) + 1);
        }
        return;
      }
      case 'apply': {
        if (r.t > this.end_t) this.end_t = r.t;
        const i = this.na++;
        if (i >= this.aT.length) this.growApplies(i + 1);
        this.aT[i] = r.t;
        // ids first: the 65,537th name widens the columns, and `this.aNode[i] = names.id(..)`
        // would write into the array it replaced (JS reads `this.aNode` before the call)
        const node = this.names.id(r.node);
        const key = this.names.id(r.key);
        this.aNode[i] = node;
        this.aKey[i] = key;
        if (r.op === undefined) this.aRow[i] = -1;
        else {
          const row = this.rowOf(r.op);
          this.aRow[i] = row >= 0 ? row : -2;
          if (row < 0) this.laterIds.set(i, r.op);
        }
        return;
      }
      case 'final':
        if (r.t > this.end_t) this.end_t = r.t;
        this.finals.push(r);
        return;
      case 'fault':
        if (r.t > this.end_t) this.end_t = r.t;
        this.faults.push(r);
        return;
      case 'replicas':
        if (r.t > this.end_t) this.end_t = r.t;
        this.replicas.set(r.key, r.nodes);
        return;
      case 'live':
        if (r.t > this.end_t) this.end_t = r.t;
        this.live = r.nodes;
        return;
      case 'extra_reply':
        if (r.t > this.end_t) this.end_t = r.t;
        this.extraReplies.push(r);
        return;
      case 'route': // traffic moving, alerts and retry attempts are not ops: no family reads them
      case 'alert':
      case 'attempt':
        if (r.t > this.end_t) this.end_t = r.t;
        return;
      default: {
        const never: never = r;
        void never;
      }
    }
  }

  private invoke(
    id: number,
    t: number,
    client: string,
    node: string,
    f: OpFn,
    key: string,
    value: Value | undefined,
    pos: number,
  ): void {
    const row = this.n;
    if (row >= this.callPos.length) this.growOps(row + 1);
    if (!this.ids && id !== row + 1) {
      // ids stop counting up: from now on rows are found through the id map
      this.ids = new Float64Array(this.callPos.length);
      for (let k = 0; k < row; k++) {
        this.ids[k] = k + 1;
        this.setRow(k + 1, k);
      }
    }
    if (this.ids) {
      this.ids[row] = id;
      this.setRow(id, row);
    }
    this.n++;
    this.invokeT[row] = t;
    this.completeT[row] = NaN;
    // ids first (see the apply case): a name that widens the columns must land in the new ones
    const c = this.names.id(client);
    const nd = this.names.id(node);
    const k = this.names.id(key);
    this.client[row] = c;
    this.node[row] = nd;
    this.key[row] = k;
    this.f[row] = this.fns.id(f);
    this.type[row] = OPEN;
    this.callPos[row] = pos;
    this.completePos[row] = -1;
    this.setValue(this.vTag, this.vNum, row, value);
    this.rTag[row] = V_UNDEF;
  }

  private growApplies(need: number): void {
    this.aT = grow(this.aT, need);
    this.aNode = grow(this.aNode, need);
    this.aKey = grow(this.aKey, need);
    this.aRow = grow(this.aRow, need);
  }

  private growOps(need: number): void {
    if (this.ids) this.ids = grow(this.ids, need);
    this.invokeT = grow(this.invokeT, need);
    this.completeT = grow(this.completeT, need);
    this.client = grow(this.client, need);
    this.node = grow(this.node, need);
    this.key = grow(this.key, need);
    this.f = grow(this.f, need);
    this.type = grow(this.type, need);
    this.callPos = grow(this.callPos, need);
    this.completePos = grow(this.completePos, need);
    this.vTag = grow(this.vTag, need);
    this.vNum = grow(this.vNum, need);
    this.rTag = grow(this.rTag, need);
    this.rNum = grow(this.rNum, need);
  }

  private setValue(tag: Uint8Array, num: Int32Array, row: number, v: Value | undefined): void {
    if (v === undefined) tag[row] = V_UNDEF;
    else if (v === null) tag[row] = V_NULL;
    else if (typeof v === 'number' && (v | 0) === v && !Object.is(v, -0)) {
      tag[row] = V_NUM;
      num[row] = v;
    } else {
      tag[row] = V_SIDE;
      num[row] = this.side.length;
      this.side.push(v);
    }
  }

  private getValue(tag: Uint8Array, num: Int32Array, row: number): Value | undefined {
    switch (tag[row]) {
      case V_NUM:
        return num[row] as number;
      case V_NULL:
        return null;
      case V_SIDE:
        return this.side[num[row] as number];
      default:
        return undefined;
    }
  }

  /** the invocation's argument */
  value(row: number): Value | undefined {
    return this.getValue(this.vTag, this.vNum, row);
  }

  /** the first completion's value when it is `ok` */
  result(row: number): Value | undefined {
    return this.getValue(this.rTag, this.rNum, row);
  }

  /** How the invocation argument is held (V_*); `valueNum` is the value when V_NUM. */
  valueTag(row: number): number {
    return this.vTag[row] as number;
  }

  valueNum(row: number): number {
    return this.vNum[row] as number;
  }

  /** How the `ok` result is held (V_*); `resultNum` is the value when V_NUM. */
  resultTag(row: number): number {
    return this.rTag[row] as number;
  }

  resultNum(row: number): number {
    return this.rNum[row] as number;
  }

  /** Some op id was invoked more than once. */
  get hasDupIds(): boolean {
    return this.dupIds;
  }

  /** the op id of `row` */
  opId(row: number): number {
    return this.ids ? (this.ids[row] as number) : row + 1;
  }

  /** The row of apply `i`'s op (the latest invocation with its id), or -1 when it names none invoked. */
  applyRow(i: number): number {
    const r = this.aRow[i] as number;
    if (r >= 0) return this.dupIds ? this.rowOf(this.opId(r)) : r;
    if (r === -2) return this.rowOf(this.laterIds.get(i) as number);
    return -1;
  }

  fn(row: number): OpFn {
    return this.fns.list[this.f[row] as number] as OpFn;
  }

  /** The error text's index in `errors.list` + 1, 0 when the first completion had none. */
  errorId(row: number): number {
    return this.errorOf.get(row) ?? 0;
  }

  errorText(row: number): string | undefined {
    const e = this.errorId(row);
    return e === 0 ? undefined : this.errors.list[e - 1];
  }
}
