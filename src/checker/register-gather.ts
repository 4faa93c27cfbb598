/**
 * Key-contiguous copies of the columns the columnar register families read
 * (register-cols.ts). A key's rows are scattered over the whole table, so reading them in
 * place costs a cache miss per column per row, several passes per key; copying them once,
 * with one sequential scan of the table per batch of keys, makes every later pass sequential.
 * Batches bound the copies' memory (BATCH_ROWS rows, or one key when it alone has more).
 */
import { V_NULL, V_NUM, V_SIDE, V_UNDEF, type OpTable } from './table.js';

/** Rows copied per batch (about 40 bytes each). */
const BATCH_ROWS = 1 << 19;

export const OTHER = 0;
export const READ = 1;
export const WRITE = 2;

/** The copies of one batch: index j is a row of some key of the batch; a key's rows are contiguous, in invocation order. */
export interface Gathered {
  row: Int32Array;
  kind: Uint8Array;
  type: Uint8Array;
  /**
   * value tag and number: a write's argument, a cas's new value (the second of `[old, new]`,
   * register.ts `writtenValue`), a read's result (table.ts V_*)
   */
  tag: Uint8Array;
  num: Int32Array;
  invoke: Float64Array;
  complete: Float64Array;
  client: Uint32Array;
  /** function name index (table.ts `f`), record positions of the call and first completion (register-zones.ts) */
  fn: Uint8Array;
  callPos: Int32Array;
  completePos: Int32Array;
}

export interface Gatherer {
  readonly T: OpTable;
  /** kind (READ, WRITE, OTHER) of each function name; a cas is a WRITE of its new value */
  readonly kinds: readonly number[];
  /** the key's rows in the copies as [start, end), gathering its batch when it is not the current one */
  range(key: number): [number, number];
  readonly g: Gathered;
}

/**
 * `order`: the keys in the order they will be asked for; `count[k]`: rows of key k.
 * Keys are batched in that order, so each batch is gathered once.
 */
export function gatherer(T: OpTable, order: readonly number[], count: (k: number) => number, batchRows = BATCH_ROWS): Gatherer {
  // a cas is a write of its new value and not a read, as register.ts and the per-op families
  // treat it (its expected value is judged by linearizability only)
  const kinds = T.fns.list.map((f) => (f === 'read' || f === 'get' ? READ : f === 'write' || f === 'put' || f === 'cas' ? WRITE : OTHER));
  const cas = T.fns.list.map((f) => f === 'cas');
  const nk = T.names.list.length;
  const placeOf = new Int32Array(nk).fill(-1);
  order.forEach((k, i) => (placeOf[k] = i));
  let biggest = 0;
  let rows = 0;
  for (let i = 0; i < order.length; i++) {
    const c = count(order[i] as number);
    biggest = Math.max(biggest, c);
    rows += c;
  }
  const cap = Math.min(rows, Math.max(batchRows, biggest));
  const g: Gathered = {
    row: new Int32Array(cap),
    kind: new Uint8Array(cap),
    type: new Uint8Array(cap),
    tag: new Uint8Array(cap),
    num: new Int32Array(cap),
    invoke: new Float64Array(cap),
    complete: new Float64Array(cap),
    client: new Uint32Array(cap),
    fn: new Uint8Array(cap),
    callPos: new Int32Array(cap),
    completePos: new Int32Array(cap),
  };
  // start of each key of the current batch in the copies, -1 for other keys
  const start = new Int32Array(nk).fill(-1);
  const fill = new Int32Array(nk);
  let batch: number[] = [];

  const gather = (first: number): void => {
    for (const k of batch) start[k] = -1;
    batch = [];
    let used = 0;
    for (let i = first; i < order.length; i++) {
      const k = order[i] as number;
      const c = count(k);
      if (batch.length > 0 && used + c > cap) break;
      batch.push(k);
      start[k] = used;
      fill[k] = used;
      used += c;
    }
    const key = T.key;
    for (let r = 0; r < T.n; r++) {
      const k = key[r] as number;
      if (start[k]! < 0) continue;
      const j = fill[k]!++;
      const kind = kinds[T.f[r] as number] as number;
      g.row[j] = r;
      g.kind[j] = kind;
      g.type[j] = T.type[r] as number;
      g.invoke[j] = T.invokeT[r] as number;
      g.complete[j] = T.completeT[r] as number;
      g.client[j] = T.client[r] as number;
      g.fn[j] = T.f[r] as number;
      g.callPos[j] = T.callPos[r] as number;
      g.completePos[j] = T.completePos[r] as number;
      if (cas[T.f[r] as number]) {
        casValue(T, r, g, j);
        continue;
      }
      // reads judge their result, everything else its argument
      const tag = kind === READ ? T.resultTag(r) : T.valueTag(r);
      g.tag[j] = tag;
      g.num[j] = tag === V_NUM ? (kind === READ ? T.resultNum(r) : T.valueNum(r)) : 0;
    }
  };

  return {
    T,
    kinds,
    g,
    range(k) {
      if (start[k]! < 0) {
        const i = placeOf[k] as number;
        if (i < 0) throw new Error(`register-gather: key ${k} was not in the order`);
        gather(i);
      }
      const a = start[k] as number;
      return [a, a + count(k)];
    },
  };
}

/**
 * Copies the value cas row `r` leaves behind (register.ts `writtenValue`: the second of
 * `[old, new]`, no value when the argument is not an array) into slot `j`, tagged as the table
 * tags values: an int32 inline, anything else V_SIDE (the column path then leaves the key).
 */
function casValue(T: OpTable, r: number, g: Gathered, j: number): void {
  g.num[j] = 0;
  const v = T.valueTag(r) === V_SIDE ? T.value(r) : undefined;
  const e = Array.isArray(v) ? v[1] : undefined;
  if (e === undefined) g.tag[j] = V_UNDEF;
  else if (e === null) g.tag[j] = V_NULL;
  else if (typeof e === 'number' && (e | 0) === e && !Object.is(e, -0)) {
    g.tag[j] = V_NUM;
    g.num[j] = e;
  } else g.tag[j] = V_SIDE;
}
