/**
 * The register families — stale_read, read_your_writes, monotonic_read and lost_update — for
 * one key, computed straight from the columns. This is the simulator's common case: values
 * are int32 or null, no sibling arrays, appends or transactions, initial value null. A cas
 * counts as a write of its new value (register-gather.ts), as register.ts has it, so imported
 * cas-register histories (Porcupine's etcd) stay here too.
 * Anything else returns null and is judged by stale-read.ts, sessions.ts and lost-update.ts,
 * whose definitions this follows exactly (test/checker/register-cols.test.ts compares both
 * on random histories). Those build a view object, source lists and value-text maps per op,
 * ~3.5 µs per op on the 2-hour run; here a value is a number and a write an index.
 * Witnesses are still made by those files' functions, from views, for the few kept.
 * The columns are read through key-contiguous copies (register-gather.ts), indexed `j` here;
 * `row`s are the table's.
 */
import type { CheckOptions, Witness } from './types.js';
import { lazyCollector, MAX_WITNESSES, type Collector } from './explain.js';
import type { ReplicaView } from './final-state.js';
import { noLoss, registerLostWitness, type LostUpdateResult, type LostView } from './lost-update.js';
import { initialValue } from './model.js';
import type { Op } from './ops.js';
import type { Source } from './register.js';
import { registerMrWitness, registerRywWitness } from './sessions.js';
import { staleWitness } from './stale-read.js';
import { FAIL, OK, V_NULL, V_NUM, V_UNDEF, type OpTable } from './table.js';
import { gatherer, OTHER, READ, WRITE, type Gathered, type Gatherer } from './register-gather.js';

/** A register value as a number: int32 values as themselves, null (and "no value") as this. */
const NULL_CODE = 2 ** 32;
/** A read that tells nothing (no value, or nil under `nilRead: 'any'`). */
const NO_CODE = -(2 ** 32);

/** One key's findings, in the shapes the per-key slow path returns. */
export interface RegisterKeyParts {
  stale: Collector;
  ryw: Collector;
  mr: Collector;
  /** null when lost_update does not apply (no `final` records) */
  lost: LostUpdateResult | null;
}

/** Scratch shared by the keys of one history: the gathered copies and the per-key buffers. */
export interface RegisterScratch {
  T: OpTable;
  G: Gatherer;
  B: Buffers;
  /** client name index → its place among the current key's readers, -1 when none */
  clientSlot: Int32Array;
  /** the current key's readers (sessionsOf) */
  C: ClientGroups;
}

/**
 * `order`: the keys in the order `registerKeyCols` will be called for them; `count(k)`: rows
 * of key k; `batchRows`: rows gathered at a time (tests make it small).
 */
export function registerScratch(
  T: OpTable,
  order: readonly number[],
  count: (k: number) => number,
  batchRows?: number,
): RegisterScratch {
  const G = gatherer(T, order, count, batchRows);
  // buffers grow to the largest key as keys come; starting at that size (at most 1,024) spares a
  // small history twenty 1,024-slot arrays
  let most = 16;
  for (const k of order) most = Math.max(most, count(k));
  return {
    T,
    G,
    B: buffers(Math.min(1024, most)),
    clientSlot: new Int32Array(T.names.list.length).fill(-1),
    C: clientGroups(T.names.list.length),
  };
}

/**
 * Judges key `k` (name `key`). `views`: the key's
 * distinct final states (final-state.ts `finalViews`), or null when lost_update does not
 * apply. `opAt` makes the view of a row for witnesses. Returns null when the key is not the
 * simple case.
 */
export function registerKeyCols(
  S: RegisterScratch,
  k: number,
  key: string,
  opts: CheckOptions,
  views: readonly ReplicaView[] | null,
  opAt: (row: number) => Op,
): RegisterKeyParts | null {
  const T = S.T;
  if (T.hasDupIds || initialValue(opts) !== null) return null;
  const viewCodes: number[] = [];
  for (const v of views ?? []) {
    const c = plainCode(v.value);
    if (c === null) return null;
    viewCodes.push(c);
  }
  const [a, b] = S.G.range(k);
  const G = S.G.g;
  let nw = 0;
  for (let j = a; j < b; j++) {
    const kind = G.kind[j];
    if (kind === OTHER) return null;
    const tag = G.tag[j];
    if (kind === WRITE) {
      if (G.type[j] === FAIL) continue;
      if (tag !== V_NUM && tag !== V_NULL && tag !== V_UNDEF) return null;
      nw++;
    } else if (G.type[j] === OK && tag !== V_NUM && tag !== V_NULL && tag !== V_UNDEF) {
      return null;
    }
  }
  const ix = writeIndex(S, G, a, b, nw);
  // witness makers outlive the key's index and copies (lazy collectors): they get the source rows
  const sourceList = (c: number): SourceRows => sourceRows(ix, c);
  const nilAny = opts.nilRead === 'any';
  const readCode = (j: number): number => {
    const tag = G.tag[j];
    if (tag === V_NUM) return G.num[j] as number;
    return tag === V_NULL && !nilAny ? NULL_CODE : NO_CODE;
  };

  // stale_read (stale-read.ts registerStale): reads in invocation order; each ok read's
  // value group is kept for the session families
  const stale = lazyCollector();
  if (S.B.readGroup.length < b - a) S.B.readGroup = new Int32Array(b - a);
  const groups = S.B.readGroup.subarray(0, b - a);
  const acked = ackCursor(ix);
  for (let j = a; j < b; j++) {
    if (G.kind[j] !== READ || G.type[j] !== OK) continue;
    const c = readCode(j);
    const g = groupOf(ix, c);
    groups[j - a] = g;
    if (g === NONE) continue;
    const w = acked(G.invoke[j] as number);
    if (w < 0 || !(horizonOf(ix, g) < (ix.invoke[w] as number))) continue;
    if (stale.orders.length < MAX_WITNESSES) {
      stale.add(maker(staleWitness, G.row[j] as number, ix.row[w] as number, sourceList(c), opAt), G.row[j] as number);
    } else stale.count++;
  }

  const { ryw, mr } = sessionsOf(S, G, a, b, key, ix, readCode, groups, opAt);
  const lost = views === null ? null : lostOf(ix, key, views, viewCodes, opAt);
  return { stale, ryw, mr, lost };
}

/** The code of a final value, or null when it is not the simple case. */
function plainCode(v: unknown): number | null {
  if (v === undefined || v === null) return NULL_CODE;
  if (typeof v === 'number' && (v | 0) === v && !Object.is(v, -0)) return v;
  return null;
}

/** A key's writes that may have taken effect (not failed), invocation order, with their value groups. */
interface WriteIndex {
  n: number;
  row: Int32Array;
  client: Uint32Array;
  ok: Uint8Array;
  code: Float64Array;
  invoke: Float64Array;
  /** the latest time the write may have taken effect: its ack, or +Infinity when unknown */
  end: Float64Array;
  /**
   * value code → group: open addressing over the key's own values (a table twice the key's
   * writes, so a lookup stays in a small, mostly cached array; values are op ids spread over
   * the whole history)
   */
  hashCode: Float64Array;
  hashGroup: Int32Array;
  mask: number;
  /** per group: the latest `end` and the earliest invoke of its writes; its writes as a chain (first, next) */
  groupEnd: Float64Array;
  groupFirstInvoke: Float64Array;
  groupFirst: Int32Array;
  groupLast: Int32Array;
  nextSame: Int32Array;
  /** acknowledged writes sorted by (ack, id): their indices, acks, and the latest-invoked so far */
  byAck: Int32Array;
  ackT: Float64Array;
  prefixLatest: Int32Array;
}

/**
 * Per-key arrays, allocated once at the largest key's size and reused: a key's index is
 * dropped before the next key is judged (witness makers keep rows, not the index), and
 * allocating them per key made most of the check's garbage.
 */
interface Buffers {
  row: Int32Array;
  client: Uint32Array;
  ok: Uint8Array;
  code: Float64Array;
  invoke: Float64Array;
  end: Float64Array;
  groupEnd: Float64Array;
  groupFirstInvoke: Float64Array;
  groupFirst: Int32Array;
  groupLast: Int32Array;
  nextSame: Int32Array;
  byAck: Int32Array;
  ackT: Float64Array;
  prefixLatest: Int32Array;
  /** a read's value group, by its place in the key */
  readGroup: Int32Array;
  /** the key's value hash table (`WriteIndex.hashCode`, `hashGroup`) */
  hashCode: Float64Array;
  hashGroup: Int32Array;
  /**
   * session families: reads by client (their places `j` in the copies), own writes by client,
   * completion order; and, in the same client order, each read's invoke, completion, value
   * group and floor, copied so a client's pass reads them in sequence (read through `reads`,
   * a client's reads are every ~12th copy of a key of ~500,000 ops: a cache miss each)
   */
  reads: Int32Array;
  own: Int32Array;
  done: Int32Array;
  readInvoke: Float64Array;
  readComplete: Float64Array;
  readGroupOf: Int32Array;
  readFloor: Float64Array;
}

function buffers(size: number): Buffers {
  const B = {} as Buffers;
  writeBuffers(B, size);
  readBuffers(B, size);
  B.readGroup = new Int32Array(size);
  B.hashCode = new Float64Array(size);
  B.hashGroup = new Int32Array(size);
  return B;
}

/** Makes the arrays indexed by a key's writes hold `n` (grown to the largest key seen so far, not the largest key). */
function writeBuffers(B: Buffers, n: number): void {
  if (B.row && B.row.length >= n) return;
  n = Math.max(n, Math.ceil(1.5 * (B.row?.length ?? 0)));
  B.row = new Int32Array(n);
  B.client = new Uint32Array(n);
  B.ok = new Uint8Array(n);
  B.code = new Float64Array(n);
  B.invoke = new Float64Array(n);
  B.end = new Float64Array(n);
  B.groupEnd = new Float64Array(n);
  B.groupFirstInvoke = new Float64Array(n);
  B.groupFirst = new Int32Array(n);
  B.groupLast = new Int32Array(n);
  B.nextSame = new Int32Array(n);
  B.byAck = new Int32Array(n);
  B.ackT = new Float64Array(n);
  B.prefixLatest = new Int32Array(n);
  B.own = new Int32Array(n);
}

/** Same for the arrays indexed by a key's (or a client's) ok reads. */
function readBuffers(B: Buffers, n: number): void {
  if (B.reads && B.reads.length >= n) return;
  n = Math.max(n, Math.ceil(1.5 * (B.reads?.length ?? 0)));
  B.reads = new Int32Array(n);
  B.done = new Int32Array(n);
  B.readInvoke = new Float64Array(n);
  B.readComplete = new Float64Array(n);
  B.readGroupOf = new Int32Array(n);
  B.readFloor = new Float64Array(n);
}

function writeIndex(S: RegisterScratch, G: Gathered, a: number, b: number, nw: number): WriteIndex {
  const T = S.T;
  const B = S.B;
  writeBuffers(B, nw);
  let size = 16;
  while (size < 2 * nw) size *= 2;
  if (B.hashGroup.length < size) {
    B.hashGroup = new Int32Array(size);
    B.hashCode = new Float64Array(size);
  }
  const row = B.row.subarray(0, nw);
  const client = B.client.subarray(0, nw);
  const okOf = B.ok.subarray(0, nw);
  const code = B.code.subarray(0, nw);
  const invoke = B.invoke.subarray(0, nw);
  const end = B.end.subarray(0, nw);
  const groupEnd = B.groupEnd;
  const groupFirstInvoke = B.groupFirstInvoke;
  const groupFirst = B.groupFirst;
  const groupLast = B.groupLast;
  const nextSame = B.nextSame.subarray(0, nw).fill(-1);
  const ix: WriteIndex = {
    n: nw,
    row,
    client,
    ok: okOf,
    code,
    invoke,
    end,
    hashCode: B.hashCode,
    hashGroup: B.hashGroup.subarray(0, size).fill(-1),
    mask: size - 1,
    groupEnd,
    groupFirstInvoke,
    groupFirst,
    groupLast,
    nextSame,
    byAck: B.byAck,
    ackT: B.ackT,
    prefixLatest: B.prefixLatest,
  };
  let i = 0;
  let nok = 0;
  let ng = 0;
  for (let j = a; j < b; j++) {
    if (G.kind[j] !== WRITE || G.type[j] === FAIL) continue;
    const c = G.tag[j] === V_NUM ? (G.num[j] as number) : NULL_CODE;
    const ok = G.type[j] === OK;
    if (ok) nok++;
    const e = ok ? (G.complete[j] as number) : Infinity;
    const t = G.invoke[j] as number;
    row[i] = G.row[j] as number;
    client[i] = G.client[j] as number;
    okOf[i] = ok ? 1 : 0;
    code[i] = c;
    invoke[i] = t;
    end[i] = e;
    let h = hashOf(c) & ix.mask;
    while (ix.hashGroup[h] !== -1 && ix.hashCode[h] !== c) h = (h + 1) & ix.mask;
    let g = ix.hashGroup[h] as number;
    if (g < 0) {
      g = ng++;
      ix.hashGroup[h] = g;
      ix.hashCode[h] = c;
      groupEnd[g] = e;
      groupFirstInvoke[g] = t;
      groupFirst[g] = i;
      groupLast[g] = i;
    } else {
      if (e > (groupEnd[g] as number)) groupEnd[g] = e;
      if (t < (groupFirstInvoke[g] as number)) groupFirstInvoke[g] = t;
      nextSame[groupLast[g] as number] = i;
      groupLast[g] = i;
    }
    i++;
  }
  // acknowledged writes by (ack, id), the order register.ts sorts okByAck in; usually
  // already in that order (writes are acknowledged about in invocation order)
  const byAck = B.byAck.subarray(0, nok);
  for (let k = 0, m = 0; k < nw; k++) if (okOf[k] === 1) byAck[m++] = k;
  const id = (k: number): number => T.opId(row[k] as number);
  const before = (x: number, y: number): number => (end[x] as number) - (end[y] as number) || id(x) - id(y) || x - y;
  sortIndices(byAck, before);
  const ackT = B.ackT.subarray(0, nok);
  const prefixLatest = B.prefixLatest.subarray(0, nok);
  let best = -1;
  for (let j = 0; j < nok; j++) {
    const k = byAck[j] as number;
    ackT[j] = end[k] as number;
    if (best < 0 || (invoke[k] as number) > (invoke[best] as number)) best = k;
    prefixLatest[j] = best;
  }
  ix.byAck = byAck;
  ix.ackT = ackT;
  ix.prefixLatest = prefixLatest;
  return ix;
}

/** The group of value code `c` among the key's writes, or -1. */
function lookup(ix: WriteIndex, c: number): number {
  for (let h = hashOf(c) & ix.mask; ; h = (h + 1) & ix.mask) {
    const g = ix.hashGroup[h] as number;
    if (g < 0 || ix.hashCode[h] === c) return g;
  }
}

/** A value code's hash (codes are int32s, or ±2^32 for nil and no value). */
function hashOf(c: number): number {
  let x = (c | 0) ^ (c > 0x7fffffff ? 0x5bd1e995 : c < -0x80000000 ? 0x1b873593 : 0);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Sorts `a` in place by `cmp`, a total order. Skips the sort when `a` is already in order
 * (the common case here); otherwise sorts a plain array, which V8 sorts with TimSort (fast on
 * nearly sorted input, unlike a typed array's sort with a comparator).
 */
function sortIndices(a: Int32Array, cmp: (x: number, y: number) => number): void {
  let sorted = true;
  for (let j = 1; j < a.length && sorted; j++) sorted = cmp(a[j - 1] as number, a[j] as number) < 0;
  if (sorted) return;
  a.set(Array.from(a).sort(cmp));
}

const NONE = -2;
/** group of a code whose only source is the initial value (null read, no write of null) */
const INITIAL_ONLY = -1;

/** The value group of a read code: NONE when no source (skip the read), INITIAL_ONLY, or a group. */
function groupOf(ix: WriteIndex, c: number): number {
  if (c === NO_CODE) return NONE;
  const g = lookup(ix, c);
  if (g >= 0) return g;
  return c === NULL_CODE ? INITIAL_ONLY : NONE;
}

/** register.ts `maxHorizon` of the sources of one element: the initial value counts -Infinity. */
function horizonOf(ix: WriteIndex, g: number): number {
  return g < 0 ? -Infinity : (ix.groupEnd[g] as number);
}

/**
 * `latestAckedBefore` for times that mostly do not decrease (reads in invocation order): a
 * cursor moves forward while they do, a binary search serves the others.
 */
function ackCursor(ix: WriteIndex): (t: number) => number {
  let lo = 0; // count of acks < lastT
  let lastT = -Infinity;
  const n = ix.ackT.length;
  return (t) => {
    if (!(t >= lastT)) return latestAckedBefore(ix, t);
    while (lo < n && (ix.ackT[lo] as number) < t) lo++;
    lastT = t;
    return lo === 0 ? -1 : (ix.prefixLatest[lo - 1] as number);
  };
}

/** Index of the ok write with the latest invoke among those acknowledged before `t`, or -1. */
function latestAckedBefore(ix: WriteIndex, t: number): number {
  let lo = 0;
  let hi = ix.ackT.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ix.ackT[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? -1 : (ix.prefixLatest[lo - 1] as number);
}

/** register.ts `sourcesOf` for a code, as table rows (witnesses only): whether the initial value is one, and the key's writes not failed that wrote it. */
interface SourceRows {
  initial: boolean;
  rows: number[];
}

function sourceRows(ix: WriteIndex, c: number): SourceRows {
  const g = lookup(ix, c);
  const rows: number[] = [];
  for (let k = g < 0 ? -1 : (ix.groupFirst[g] as number); k >= 0; k = ix.nextSame[k] as number) rows.push(ix.row[k] as number);
  return { initial: c === NULL_CODE, rows };
}

/** A read's sources (one element) as register.ts gives them. */
function sourcesOf(s: SourceRows, opAt: (row: number) => Op): (readonly Source[])[] {
  const out: Source[] = s.initial ? [{ kind: 'initial' }] : [];
  for (const r of s.rows) out.push({ kind: 'op', op: opAt(r) });
  return [out];
}

/**
 * sessions.ts `registerSessions` for one key: per client (sorted by name), its reads in
 * invocation order. Split into small functions with no closures on purpose: as one function
 * V8 entered it through on-stack replacement in its first loop, once per key, and left it at
 * the first code that loop had never reached (a deoptimization per key, ~1,000 per 2-hour
 * run), so most of its work ran unoptimized.
 */
function sessionsOf(
  S: RegisterScratch,
  G: Gathered,
  a: number,
  b: number,
  key: string,
  ix: WriteIndex,
  readCode: (j: number) => number,
  groups: Int32Array,
  opAt: (row: number) => Op,
): { ryw: Collector; mr: Collector } {
  const ryw = lazyCollector();
  const mr = lazyCollector();
  const nc = groupByClient(S, G, a, b, ix, groups);
  const C = S.C;
  const names = S.T.names.list;
  const bySlot = slotsByName(C.clients, nc, names);
  for (let s = 0; s < nc; s++) {
    const slot = bySlot[s] as number;
    const group = `${names[C.clients[slot] as number] as string}\u0000${key}`;
    clientSessions(S, G, ix, readCode, opAt, slot, group, ryw, mr);
  }
  return { ryw, mr };
}

/** Per-key client grouping, in typed arrays kept in the scratch (sized to the names). */
interface ClientGroups {
  /** slot → client name index, in order of the client's first ok read of the key */
  clients: Int32Array;
  /** slot → start of its reads in `B.reads` (slots + 1 entries) */
  readStart: Int32Array;
  /** slot → start of its own acknowledged writes in `B.own` (slots + 1 entries) */
  ownStart: Int32Array;
  /** fill cursors */
  fill: Int32Array;
}

function clientGroups(names: number): ClientGroups {
  return {
    clients: new Int32Array(names),
    readStart: new Int32Array(names + 1),
    ownStart: new Int32Array(names + 1),
    fill: new Int32Array(names + 1),
  };
}

/**
 * Groups the key's ok reads by client (a counting sort into B.reads, invocation order kept)
 * and each reading client's acknowledged writes in ack order (into B.own); returns the number
 * of reading clients. `S.clientSlot` is back to all -1 on return.
 */
function groupByClient(S: RegisterScratch, G: Gathered, a: number, b: number, ix: WriteIndex, groups: Int32Array): number {
  const B = S.B;
  const C = S.C;
  const slotOf = S.clientSlot;
  const clients = C.clients;
  const readStart = C.readStart;
  const ownStart = C.ownStart;
  const fill = C.fill;
  let nc = 0;
  for (let j = a; j < b; j++) {
    if (G.kind[j] !== READ || G.type[j] !== OK) continue;
    const c = G.client[j] as number;
    let slot = slotOf[c] as number;
    if (slot < 0) {
      slotOf[c] = slot = nc++;
      clients[slot] = c;
      readStart[slot + 1] = 0;
    }
    readStart[slot + 1]!++;
  }
  readStart[0] = 0;
  for (let s = 0; s < nc; s++) readStart[s + 1]! += readStart[s] as number;
  readBuffers(B, readStart[nc] as number);
  const reads = B.reads;
  const rInvoke = B.readInvoke;
  const rComplete = B.readComplete;
  const rGroup = B.readGroupOf;
  const rFloor = B.readFloor;
  for (let s = 0; s < nc; s++) fill[s] = readStart[s] as number;
  for (let j = a; j < b; j++) {
    if (G.kind[j] !== READ || G.type[j] !== OK) continue;
    const at = fill[slotOf[G.client[j] as number] as number]!++;
    const g = groups[j - a] as number;
    reads[at] = j;
    rInvoke[at] = G.invoke[j] as number;
    rComplete[at] = G.complete[j] as number;
    rGroup[at] = g;
    // sessions.ts `floorOf`, the earliest invoke among the read's sources: a number some
    // write wrote has its group's; nil (the initial value is a source) and reads that tell
    // nothing -Infinity
    rFloor[at] = g >= 0 && G.tag[j] === V_NUM ? (ix.groupFirstInvoke[g] as number) : -Infinity;
  }
  ownStart.fill(0, 0, nc + 1);
  const byAck = ix.byAck;
  for (let m = 0; m < byAck.length; m++) {
    const slot = slotOf[ix.client[byAck[m] as number] as number] as number;
    if (slot >= 0) ownStart[slot + 1]!++;
  }
  for (let s = 0; s < nc; s++) ownStart[s + 1]! += ownStart[s] as number;
  for (let s = 0; s < nc; s++) fill[s] = ownStart[s] as number;
  const own = B.own;
  for (let m = 0; m < byAck.length; m++) {
    const k = byAck[m] as number;
    const slot = slotOf[ix.client[k] as number] as number;
    if (slot >= 0) own[fill[slot]!++] = k;
  }
  for (let s = 0; s < nc; s++) slotOf[clients[s] as number] = -1;
  return nc;
}

/** Slots 0..nc-1 ordered by their client's name (an insertion sort: a key has few readers). */
function slotsByName(clients: Int32Array, nc: number, names: readonly string[]): Int32Array {
  const out = new Int32Array(nc);
  for (let s = 0; s < nc; s++) {
    const name = names[clients[s] as number] as string;
    let i = s;
    while (i > 0 && name < (names[clients[out[i - 1] as number] as number] as string)) {
      out[i] = out[i - 1] as number;
      i--;
    }
    out[i] = s;
  }
  return out;
}

/** read_your_writes and monotonic_read for the reads of one client (`slot`) of the key. */
function clientSessions(
  S: RegisterScratch,
  G: Gathered,
  ix: WriteIndex,
  readCode: (j: number) => number,
  opAt: (row: number) => Op,
  slot: number,
  group: string,
  ryw: Collector,
  mr: Collector,
): void {
  const B = S.B;
  const reads = B.reads;
  const own = B.own;
  const r0 = S.C.readStart[slot] as number;
  const n = (S.C.readStart[slot + 1] as number) - r0;
  const o0 = S.C.ownStart[slot] as number;
  const o1 = S.C.ownStart[slot + 1] as number;
  // the client's reads in invocation order, from r0 on (groupByClient's copies)
  const rInvoke = B.readInvoke;
  const rComplete = B.readComplete;
  const rGroup = B.readGroupOf;
  const rFloor = B.readFloor;
  // earlier reads in completion order (sessions.ts completedBefore), as places 0..n-1
  const done = B.done.subarray(0, n);
  for (let i = 0; i < n; i++) done[i] = i;
  // a client's reads nearly always complete in invocation order: that is checked inline
  // (strictly increasing completion times), the comparator only sorts the rest
  if (!completesInOrder(rComplete, r0, n)) sortByCompletion(S.T, G, reads, rComplete, r0, done);
  let nextOwn = o0;
  let nextDone = 0;
  let ownW = -1;
  let prev = -1;
  let prevFloor = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = rInvoke[r0 + i] as number;
    const g = rGroup[r0 + i] as number;
    while (nextOwn < o1 && (ix.end[own[nextOwn] as number] as number) < t) {
      const w = own[nextOwn++] as number;
      if (ownW < 0 || (ix.invoke[w] as number) > (ix.invoke[ownW] as number)) ownW = w;
    }
    while (nextDone < n && (rComplete[r0 + (done[nextDone] as number)] as number) < t) {
      const p = done[nextDone++] as number;
      // a read's floor counts once its own turn has come (p <= i: always, as a read completes
      // after it is invoked; kept so that a history saying otherwise is judged as before)
      const floor = p <= i ? (rFloor[r0 + p] as number) : -Infinity;
      if (floor > prevFloor) {
        prevFloor = floor;
        prev = G.row[reads[r0 + p] as number] as number;
      }
    }
    if (g === NONE) continue;
    const hz = horizonOf(ix, g);
    if (ownW >= 0 && hz < (ix.invoke[ownW] as number)) {
      const j = reads[r0 + i] as number;
      if (ryw.orders.length < MAX_WITNESSES) {
        ryw.add(maker(registerRywWitness, G.row[j] as number, ix.row[ownW] as number, sourceRows(ix, readCode(j)), opAt), group);
      } else ryw.count++;
    }
    if (prev >= 0 && hz < prevFloor) {
      const j = reads[r0 + i] as number;
      if (mr.orders.length < MAX_WITNESSES) {
        mr.add(maker(registerMrWitness, G.row[j] as number, prev, sourceRows(ix, readCode(j)), opAt), group);
      } else mr.count++;
    }
  }
}

/** Sorts places `done` of the reads at `reads[r0 ..]` (completions in `complete[r0 ..]`) by (completion, op id, place). */
function sortByCompletion(T: OpTable, G: Gathered, reads: Int32Array, complete: Float64Array, r0: number, done: Int32Array): void {
  sortIndices(
    done,
    (x, y) =>
      (complete[r0 + x] as number) - (complete[r0 + y] as number) ||
      T.opId(G.row[reads[r0 + x] as number] as number) - T.opId(G.row[reads[r0 + y] as number] as number) ||
      x - y,
  );
}

/**
 * Whether reads r0 .. r0 + n complete at strictly increasing times: then places 0..n-1 are
 * already in (completion, id, place) order and the sort has nothing to do.
 */
function completesInOrder(complete: Float64Array, r0: number, n: number): boolean {
  for (let i = 1; i < n; i++) {
    if (!((complete[r0 + i - 1] as number) < (complete[r0 + i] as number))) return false;
  }
  return true;
}

/** lost-update.ts `registerLost` for one key. */
function lostOf(
  ix: WriteIndex,
  key: string,
  views: readonly ReplicaView[],
  codes: readonly number[],
  opAt: (row: number) => Op,
): LostUpdateResult {
  const out: LostUpdateResult = { report: { applicable: true, count: 0, witnesses: [] }, lost: noLoss(), identified: true, bound: noLoss() };
  const hz = codes.map((c) => horizonOf(ix, groupOf(ix, c)));
  const lostAt: number[] = [];
  for (let k = 0; k < ix.n; k++) {
    if (ix.ok[k] !== 1) continue;
    const invoke = ix.invoke[k] as number;
    lostAt.length = 0;
    for (let v = 0; v < views.length; v++) if (codes[v] !== ix.code[k] && invoke > (hz[v] as number)) lostAt.push(v);
    if (lostAt.length === 0) continue;
    const span = out.lost;
    span.n++;
    span.start = Math.min(span.start, invoke);
    span.end = Math.max(span.end, ix.end[k] as number);
    out.report.count = (out.report.count ?? 0) + 1;
    if (out.report.witnesses.length >= MAX_WITNESSES) continue;
    const at: LostView[] = lostAt.map((v) => ({ view: views[v] as ReplicaView, sources: sourcesOf(sourceRows(ix, codes[v] as number), opAt) }));
    out.report.witnesses.push(registerLostWitness(opAt(ix.row[k] as number), key, at, views.length));
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The witness maker for read `r` against op `other` (rows), the read having returned code `c`.
 * A function of its own: a closure made inside the loops would make V8 allocate the loop
 * body's variables per iteration, for every read, witness or not.
 */
function maker(
  witness: (r: Op, other: Op, sources: (readonly Source[])[]) => Witness,
  r: number,
  other: number,
  sources: SourceRows,
  opAt: (row: number) => Op,
): () => Witness {
  return () => witness(opAt(r), opAt(other), sourcesOf(sources, opAt));
}
