/**
 * A fast, self-checking proof that a register key is linearizable, for the common shape the
 * search finds hardest: every write writes a distinct value (the simulator's workloads write
 * the op id), many writes are never read, and timed-out (`info`) writes stay open to the end.
 * The memoised search then has to tell apart every subset of the concurrent unread writes
 * (2^k configurations; the raft quickstart's busiest key ran out of 20 M states).
 *
 * With distinct values each read names the write it saw, so a key's ops fall into clusters
 * (a write and the reads of its value). Gibbons and Korach ("Testing shared memories", 1997)
 * and Golab, Li and Shah ("Analyzing consistency properties for fun and profit", 2011) give
 * the structure: a cluster whose ops overlap in time (the latest call before the earliest
 * return: a *backward* zone) can be linearized at one instant inside that overlap; otherwise
 * (a *forward* zone, from the earliest return to the latest call) the cluster must cover
 * that span, and no other cluster may sit inside it. This file builds such a linearization
 * — one point per op, inside the op's window — and then verifies it op by op against the
 * register's semantics. Only a verified linearization is used ("linearizable"); whenever
 * the construction does not fit (a cas, a repeated value, a read of a value never written,
 * overlapping forward zones) the caller runs the exact search as before, so verdicts and
 * witnesses of histories that are not linearizable come from the search alone.
 *
 * Positions are record indices (distinct integers). A point is four times a position, so
 * there is room for instants strictly between two records (a forward cluster's write just
 * before its first read returns, a backward cluster just after a forward span ends, even
 * when those two records are adjacent): op i may sit at any point in [4·call, 4·return];
 * an open op's return is +∞.
 */
import type { OpFn, Value } from '../../history/types.js';
import type { ModelOptions } from './model.js';
import { canon } from './model.js';
import type { LinOp } from './ops.js';

/** `kind` of an op the construction ignores */
export const NONE = -1;

/**
 * A key's ops as this file reads them, by index (invocation order, fail ops dropped): what
 * `LinOp`'s fields say, asked per index, so a columnar history (src/checker/sink.ts) needs no
 * object per op. The 2-hour runs have keys of ~400,000 ops whose views lived long enough to
 * be promoted: most of what the check left for the old generation.
 */
export interface ZoneOps {
  readonly length: number;
  f(i: number): OpFn;
  known(i: number): boolean;
  input(i: number): Value | undefined;
  output(i: number): Value | undefined;
  callPos(i: number): number;
  retPos(i: number): number;
}

/** `ops` as a ZoneOps. */
export function zoneOpsOf(ops: readonly LinOp[]): ZoneOps {
  return {
    length: ops.length,
    f: (i) => ops[i]!.f,
    known: (i) => ops[i]!.known,
    input: (i) => ops[i]!.input,
    output: (i) => ops[i]!.output,
    callPos: (i) => ops[i]!.callPos,
    retPos: (i) => ops[i]!.retPos,
  };
}

/**
 * True when `ops` (one key, invocation order, fail ops dropped) has a linearization under
 * the register model with `opts`, proven by building one and checking it; false means only
 * "not shown here": the search must decide. `prefixOps`: see `zonesWith` (the answer is the
 * same whatever it is).
 */
export function registerZonesLinearizable(ops: readonly LinOp[] | ZoneOps, opts: ModelOptions, prefixOps = PREFIX_OPS): boolean {
  const z = Array.isArray(ops) ? zoneOpsOf(ops as readonly LinOp[]) : (ops as ZoneOps);
  return onlyReadsAndWrites(z) && zonesWith(z.length, opts.initial ?? null, zoneOpsFill(z, opts), prefixOps);
}

/**
 * Whether the first `m` of `ops` already refute the construction (`refutedByPrefix`); for
 * tests, which check that the whole key then fails too.
 */
export function zonesPrefixRefutes(ops: readonly LinOp[] | ZoneOps, opts: ModelOptions, m: number): boolean {
  const z = Array.isArray(ops) ? zoneOpsOf(ops as readonly LinOp[]) : (ops as ZoneOps);
  return onlyReadsAndWrites(z) && prefixRefutes(m, opts.initial ?? null, zoneOpsFill(z, opts));
}

// cas-register histories (Porcupine's etcd files) usually have a cas: say no before allocating
function onlyReadsAndWrites(z: ZoneOps): boolean {
  for (let i = 0; i < z.length; i++) {
    const f = z.f(i);
    if (f !== 'read' && f !== 'get' && f !== 'write' && f !== 'put') return false;
  }
  return true;
}

/**
 * A read's row: the cluster of the value it returned, or NONE when the result constrains
 * nothing (as in compileRegister: an unknown read, a nil read under `nilRead: 'any'`, a
 * sibling set). `v`: the read's result, `undefined` when unknown. Shared by both fills (the
 * per-op views here, the register families' copies in register-zones.ts).
 */
export function readZone(A: ZoneArrays, i: number, v: unknown, nilAny: boolean, values: ZoneValues): void {
  if (v === undefined || (v === null && nilAny) || Array.isArray(v)) A.kind[i] = NONE;
  else {
    A.kind[i] = 0;
    A.val[i] = values.id(v);
  }
}

/** The arrays of a ZoneOps's ops (reads and writes only). */
function zoneOpsFill(z: ZoneOps, opts: ModelOptions): ZoneFill {
  const nilAny = opts.nilRead === 'any';
  return (A, m, values) => {
    for (let i = 0; i < m; i++) {
      const isKnown = z.known(i);
      A.known[i] = isKnown ? 1 : 0;
      A.callPt[i] = 4 * z.callPos(i);
      const rp = z.retPos(i);
      A.retPt[i] = rp === Infinity ? Infinity : 4 * rp;
      const f = z.f(i);
      if (f === 'read' || f === 'get') {
        readZone(A, i, isKnown ? (z.output(i) ?? null) : undefined, nilAny, values);
      } else {
        A.kind[i] = 1;
        A.val[i] = values.id(z.input(i) ?? null);
      }
    }
  };
}

/**
 * A key's ops as arrays, what the construction reads: per op `kind` (-1 ignored, 0 read,
 * 1 write; writes nobody may have seen are still 1 here), `val` (value id of `zoneValues`),
 * `known` (1: completed), `callPt`/`retPt` (points, see the top of this file).
 */
export interface ZoneArrays {
  kind: Int8Array;
  val: Int32Array;
  known: Uint8Array;
  callPt: Float64Array;
  retPt: Float64Array;
}

/** Fills entries 0..m-1 of `A` from the key's first `m` ops, interning values in `values` in op order. */
export type ZoneFill = (A: ZoneArrays, m: number, values: ZoneValues) => void;

/**
 * Ops of a key looked at first (`refutedByPrefix`). Keys that are not linearizable, such as
 * every key of the 2-hour partition runs, nearly always show it in their first few hundred
 * ops; the whole key is read only when this many do not.
 */
export const PREFIX_OPS = 1024;

/**
 * The construction on the key's `n` ops (read/get/write/put only), as `fill` gives them; the
 * initial value is interned before any op's value, as the ids' order has always been.
 * `prefixOps`: how many ops `refutedByPrefix` looks at first (tests vary it).
 */
export function zonesWith(n: number, initial: unknown, fill: ZoneFill, prefixOps = PREFIX_OPS): boolean {
  if (n > prefixOps && prefixRefutes(prefixOps, initial, fill)) return false;
  const values = zoneValues(n);
  const init = values.id(initial);
  const A = zoneArrays(n);
  fill(A, n, values);
  return zonesProven(n, A.kind, A.val, A.known, A.callPt, A.retPt, init);
}

/** `refutedByPrefix` on the first `m` ops as `fill` gives them. */
function prefixRefutes(m: number, initial: unknown, fill: ZoneFill): boolean {
  const values = zoneValues(m);
  const init = values.id(initial);
  const A = zoneArrays(m);
  fill(A, m, values);
  return refutedByPrefix(m, A, init);
}

function zoneArrays(n: number): ZoneArrays {
  return { kind: new Int8Array(n), val: new Int32Array(n), known: new Uint8Array(n), callPt: new Float64Array(n), retPt: new Float64Array(n) };
}

/**
 * True when the first `m` ops alone show two forward zones that overlap: then so do the whole
 * key's, and `zonesProven` on all of it returns false. Sound because a cluster's span over
 * some of its ops, [earliest return − 1, latest call], lies inside its span over all of them
 * (the earliest return can only move earlier, the latest call later; the initial value's
 * starts at −∞ either way), and closed spans that meet keep meeting when they grow. Only ops
 * that are in their cluster whatever comes later are counted: reads that constrain (kind 0)
 * and completed writes; an open write may yet turn out unread and be ignored. A cluster with
 * no write among these is the initial value's or has a write later; if it has none at all the
 * whole key fails anyway (a read of a value never written).
 */
function refutedByPrefix(m: number, A: ZoneArrays, init: number): boolean {
  const { kind, val, known, callPt, retPt } = A;
  let c = init + 1;
  for (let i = 0; i < m; i++) if (kind[i] !== NONE && val[i]! >= c) c = val[i]! + 1;
  const minRet = new Float64Array(c).fill(Infinity);
  const maxCall = new Float64Array(c).fill(-Infinity);
  for (let i = 0; i < m; i++) {
    if (kind[i] === NONE || (kind[i] === 1 && known[i] === 0)) continue;
    const v = val[i]!;
    if (retPt[i]! < minRet[v]!) minRet[v] = retPt[i]!;
    if (callPt[i]! > maxCall[v]!) maxCall[v] = callPt[i]!;
  }
  minRet[init] = -Infinity;
  return forwardSpans(minRet, maxCall, undefined, init) === undefined;
}

/**
 * The construction and its check on a key's `n` ops as arrays (`ZoneArrays`) and the initial
 * value's id. `kind` is overwritten.
 */
function zonesProven(
  n: number,
  kind: Int8Array,
  val: Int32Array,
  known: Uint8Array,
  callPt: Float64Array,
  retPt: Float64Array,
  init: number,
): boolean {
  // The write of each value (one at most), and which values some read returned.
  const writer = new Int32Array(Math.max(maxValue(val), init) + 1).fill(NONE);
  const readOf = new Uint8Array(writer.length);
  for (let i = 0; i < n; i++) if (kind[i] === 0) readOf[val[i]!] = 1;
  for (let i = 0; i < n; i++) {
    if (kind[i] !== 1) continue;
    // an open write nobody read may be taken as never applied (compileRegister drops it too)
    if (known[i] === 0 && readOf[val[i]!] === 0) {
      kind[i] = NONE;
      continue;
    }
    if (val[i] === init || writer[val[i]!] !== NONE) return false; // values not distinct
    writer[val[i]!] = i;
  }
  const call = (i: number): number => callPt[i]!;
  const ret = (i: number): number => retPt[i]!;

  // Clusters by value id: the earliest return and the latest call of the write and its reads.
  const c = writer.length;
  const minRet = new Float64Array(c).fill(Infinity);
  const maxCall = new Float64Array(c).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    if (kind[i] === NONE) continue;
    const v = val[i]!;
    if (kind[i] === 0 && v !== init && writer[v] === NONE) return false; // a value never written
    minRet[v] = Math.min(minRet[v]!, ret(i));
    maxCall[v] = Math.max(maxCall[v]!, call(i));
  }
  // The initial value's cluster starts before everything: its reads cover [-∞, latest call].
  minRet[init] = -Infinity;

  const forward = forwardSpans(minRet, maxCall, writer, init);
  if (forward === undefined) return false;
  const spanStart = (v: number): number => minRet[v]! - 1;

  // Each op's point; backward clusters take the first point just after their latest call
  // (or just after the forward span holding it) and must still be before their earliest return.
  const point = new Float64Array(n);
  const at = new Float64Array(c); // a backward cluster's instant
  for (let v = 0; v < c; v++) {
    if (writer[v] === NONE && v !== init) continue;
    if (minRet[v]! < maxCall[v]!) continue;
    let p = maxCall[v]! + 1;
    for (const f of forward) {
      // forward spans are sorted and disjoint: skip past each one holding p (a linear scan
      // is fine: this runs once per key and the spans are few)
      if (p >= spanStart(f) && p <= maxCall[f]!) p = maxCall[f]! + 1;
    }
    if (!(p <= minRet[v]!)) return false;
    at[v] = p;
  }
  for (let i = 0; i < n; i++) {
    if (kind[i] === NONE) continue;
    const v = val[i]!;
    const fwd = minRet[v]! < maxCall[v]!;
    if (kind[i] === 1) point[i] = fwd ? spanStart(v) : at[v]!;
    else point[i] = fwd ? Math.max(call(i), spanStart(v)) : at[v]!;
  }
  return verify(n, kind, val, point, init, call, ret);
}

/**
 * Forward zones (earliest return before latest call) are spans the cluster must cover: its
 * write just before the earliest return, each read at its call or the write, whichever is
 * later. They must not overlap; spans are [minRet - 1, maxCall]. The forward clusters sorted
 * by earliest return, or undefined when two spans meet. `writer`: only clusters with a write
 * and the initial value's count (undefined: every cluster, as `refutedByPrefix` counts them).
 */
function forwardSpans(minRet: Float64Array, maxCall: Float64Array, writer: Int32Array | undefined, init: number): Int32Array | undefined {
  const c = minRet.length;
  const isForward = (v: number): boolean => (writer === undefined || writer[v] !== NONE || v === init) && minRet[v]! < maxCall[v]!;
  let nf = 0;
  for (let v = 0; v < c; v++) if (isForward(v)) nf++;
  const forward = new Int32Array(nf);
  for (let v = 0, j = 0; v < c; v++) if (isForward(v)) forward[j++] = v;
  byEarliestReturn(forward, minRet);
  for (let j = 1; j < nf; j++) if (minRet[forward[j]!]! - 1 <= maxCall[forward[j - 1]!]!) return undefined;
  return forward;
}

/**
 * Sorts the forward clusters `forward` (ascending ids) by their earliest return, ties by id
 * (the order a stable sort by return gives). Usually every cluster has one: most of a key's
 * values are read after their write returned, ~240,000 clusters per 1.15 M ops, and a sort
 * with a comparator call per comparison was a large part of this file's time. As in
 * `packedOrder`, (return, id) packed into one number sorts natively; when the numbers do not
 * fit 2^53 or a return is not an integer ≥ 0 (nor the initial value's -∞), the comparator sorts.
 */
function byEarliestReturn(forward: Int32Array, minRet: Float64Array): void {
  const C = minRet.length;
  let max = 0;
  let packable = true;
  for (let j = 0; j < forward.length && packable; j++) {
    const r = minRet[forward[j]!]!;
    if (r === -Infinity) continue;
    if (!Number.isInteger(r) || r < 0) packable = false;
    else if (r > max) max = r;
  }
  if (!packable || (max + 2) * C > Number.MAX_SAFE_INTEGER) {
    forward.set(Array.from(forward).sort((a, b) => minRet[a]! - minRet[b]!));
    return;
  }
  const keys = new Float64Array(forward.length);
  for (let j = 0; j < forward.length; j++) {
    const v = forward[j]!;
    const r = minRet[v]!;
    keys[j] = (r === -Infinity ? 0 : r + 1) * C + v;
  }
  keys.sort();
  for (let j = 0; j < keys.length; j++) forward[j] = keys[j]! % C;
}

/** Checks the linearization the points give: each point inside its op's window, each read sees the last write. */
function verify(
  n: number,
  kind: Int8Array,
  val: Int32Array,
  point: Float64Array,
  init: number,
  call: (i: number) => number,
  ret: (i: number) => number,
): boolean {
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    if (kind[i] === NONE) continue;
    if (!(point[i]! >= call(i) && point[i]! <= ret(i))) return false;
    order.push(i);
  }
  // at one point (backward clusters may share one): cluster by cluster, each write before its reads
  const packed = packedOrder(order, kind, val, point);
  if (packed) return replayPacked(packed.keys, packed.values, init);
  order.sort((a, b) => point[a]! - point[b]! || val[a]! - val[b]! || kind[b]! - kind[a]! || a - b);
  let state = init;
  for (const i of order) {
    if (kind[i] === 1) state = val[i]!;
    else if (state !== val[i]) return false;
  }
  return true;
}

/**
 * The ops of `order` as one number each, (point, value, write first) packed so that a plain
 * numeric sort of a Float64Array gives the comparator's order (no closure call per
 * comparison: the sort was most of this file's time on keys of ~400,000 ops). Ops that tie
 * on all three are reads of one value at one instant, whose order changes nothing, so the
 * index is left out. Null when the numbers do not fit 2^53 or a point is not an integer ≥ -1
 * (then the comparator sorts).
 */
function packedOrder(
  order: readonly number[],
  kind: Int8Array,
  val: Int32Array,
  point: Float64Array,
): { keys: Float64Array; values: number } | null {
  let maxPoint = 0;
  let maxVal = 0;
  for (const i of order) {
    const p = point[i]!;
    if (!Number.isInteger(p) || p < -1) return null;
    if (p > maxPoint) maxPoint = p;
    if (val[i]! > maxVal) maxVal = val[i]!;
  }
  const V = maxVal + 1;
  if ((maxPoint + 2) * V * 2 > Number.MAX_SAFE_INTEGER) return null;
  const keys = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    keys[j] = ((point[i]! + 1) * V + val[i]!) * 2 + (kind[i] === 1 ? 0 : 1);
  }
  keys.sort();
  return { keys, values: V };
}

/** The register replayed in packed order (`V`: the packing's value radix): a write sets the value, a read must see it. */
function replayPacked(keys: Float64Array, V: number, init: number): boolean {
  let state = init;
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    const write = k % 2 === 0;
    const v = Math.floor(k / 2) % V;
    if (write) state = v;
    else if (state !== v) return false;
  }
  return true;
}

function maxValue(val: Int32Array): number {
  let m = 0;
  for (let i = 0; i < val.length; i++) if (val[i]! > m) m = val[i]!;
  return m;
}

/** Values interned to dense ids (`zoneValues`). */
export interface ZoneValues {
  id(v: unknown): number;
}

/**
 * Values interned to dense ids (0 is nil), as model.ts `createValueTable` tells them apart
 * (numbers by value, anything else by canonical text), without its map per key: int32
 * values, the simulator's only kind, go through an open-addressing table in typed arrays
 * sized for `n` ops, so a key's ~100,000 distinct values leave no map behind to promote.
 */
function zoneValues(n: number): ZoneValues {
  let size = 16;
  while (size < 2 * (n + 1)) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const ids = new Int32Array(size); // 0: empty slot
  const numbers = new Map<number, number>();
  const texts = new Map<string, number>();
  let next = 1;
  return {
    id(v) {
      if (v === null || v === undefined) return 0;
      if (typeof v === 'number') {
        if ((v | 0) !== v) {
          let i = numbers.get(v);
          if (i === undefined) numbers.set(v, (i = next++));
          return i;
        }
        const x = v | 0; // -0 is 0, as a Map key has it
        let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
        h = (h ^ (h >>> 16)) & mask;
        while (ids[h] !== 0 && keys[h] !== x) h = (h + 1) & mask;
        if (ids[h] === 0) {
          keys[h] = x;
          ids[h] = next++;
        }
        return ids[h]!;
      }
      const k = canon(v);
      let i = texts.get(k);
      if (i === undefined) texts.set(k, (i = next++));
      return i;
    },
  };
}

