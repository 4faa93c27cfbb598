/**
 * Per-key index of a register-like history (register, cas-register, kv): which writes could
 * have produced a value, and the real-time order between them. Generated writes are unique
 * per key, but imported histories may repeat values, so a value maps to every write that
 * wrote it and the families judge conservatively (an anomaly only if every candidate agrees).
 */
import type { Value } from '../history/types.js';
import { effectEnd, valueKey, type History, type Op } from './ops.js';

/** Where a value came from: the initial state or a write. */
export type Source = { kind: 'initial' } | { kind: 'op'; op: Op };

export interface RegisterKey {
  key: string;
  /** writes that may have taken effect (ok, info, open), invocation order */
  writes: Op[];
  /** acknowledged writes sorted by ack time */
  okByAck: Op[];
  /** prefixMaxInvoke[i] = index into okByAck of the latest-invoked write among okByAck[0..i] */
  prefixLatest: number[];
  /** ack times of `okByAck` */
  ackT: Float64Array;
  byValue: Map<string, Op[]>;
  /** keys whose history has non-register writes (kv append) cannot be judged here */
  judgeable: boolean;
}

export function isRegisterWrite(op: Op): boolean {
  return op.f === 'write' || op.f === 'put' || op.f === 'cas';
}

/** The value a register write leaves behind: `write`/`put` its value, `cas` the new half of `[old, new]`. */
export function writtenValue(op: Op): Value | undefined {
  if (op.f === 'cas') return Array.isArray(op.value) ? op.value[1] : undefined;
  return op.value;
}

const cache = new WeakMap<History, Map<string, RegisterKey>>();

/** Per-key register index, built once per history (every register family reads it). */
export function registerKeys(h: History): Map<string, RegisterKey> {
  const hit = cache.get(h);
  if (hit) return hit;
  const out = new Map<string, RegisterKey>();
  cache.set(h, out);
  const get = (key: string): RegisterKey => {
    let rk = out.get(key);
    if (!rk) {
      rk = { key, writes: [], okByAck: [], prefixLatest: [], ackT: new Float64Array(0), byValue: new Map(), judgeable: true };
      out.set(key, rk);
    }
    return rk;
  };
  for (const op of h.ops) {
    if (op.f === 'append' || op.f === 'txn') {
      get(op.key).judgeable = false;
      continue;
    }
    if (!isRegisterWrite(op) || op.type === 'fail') continue;
    const rk = get(op.key);
    rk.writes.push(op);
    const vk = valueKey(writtenValue(op));
    const same = rk.byValue.get(vk);
    if (same) same.push(op);
    else rk.byValue.set(vk, [op]);
  }
  for (const rk of out.values()) {
    // sorted through typed keys (an op's fields are lookups in the checker's columns)
    const ok = rk.writes.filter((w) => w.type === 'ok');
    const n = ok.length;
    const ackT = new Float64Array(n);
    const ids = new Float64Array(n);
    const invokeT = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = ok[i] as Op;
      ackT[i] = w.complete_t ?? 0;
      ids[i] = w.id;
      invokeT[i] = w.invoke_t;
    }
    const order: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (ackT[a] as number) - (ackT[b] as number) || (ids[a] as number) - (ids[b] as number) || a - b);
    rk.okByAck = order.map((i) => ok[i] as Op);
    rk.ackT = Float64Array.from(order, (i) => ackT[i] as number);
    let best = -1;
    let bestInvoke = -Infinity;
    rk.prefixLatest = order.map((i, j) => {
      const t = invokeT[i] as number;
      if (best < 0 || t > bestInvoke) {
        best = j;
        bestInvoke = t;
      }
      return best;
    });
  }
  return out;
}

/** The elements of a register value: a sibling array's members, or the value itself; no value → the initial. */
export function elementsOf(v: Value | undefined, initial: Value): Value[] {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return [initial];
  if (Array.isArray(v)) return v;
  return [v];
}

/** Built source lists per key, for values that are / are not the initial value (reads repeat values). */
const sourceCache = new WeakMap<RegisterKey, { initial: Map<string, Source[]>; other: Map<string, Source[]> }>();

/** The sources of value `e` (shared, read-only: callers must not change the list). */
export function sourcesOf(rk: RegisterKey | undefined, e: Value, initial: Value): readonly Source[] {
  const vk = valueKey(e);
  const isInitial = vk === valueKey(initial);
  let cache = rk ? sourceCache.get(rk) : undefined;
  if (rk && !cache) sourceCache.set(rk, (cache = { initial: new Map(), other: new Map() }));
  const m = cache ? (isInitial ? cache.initial : cache.other) : undefined;
  const hit = m?.get(vk);
  if (hit) return hit;
  const out: Source[] = [];
  if (isInitial) out.push({ kind: 'initial' });
  for (const op of rk?.byValue.get(vk) ?? []) out.push({ kind: 'op', op });
  m?.set(vk, out);
  return out;
}

/**
 * The latest time a source may have taken effect: -Infinity for the initial state, the ack
 * for an acknowledged write, +Infinity for writes whose outcome is unknown. "Every source
 * precedes an op invoked at t" is then `horizon < t`.
 */
export function horizon(sources: readonly Source[]): number {
  let h = -Infinity;
  for (const s of sources) {
    const e = s.kind === 'initial' ? -Infinity : effectEnd(s.op);
    if (e > h) h = e;
  }
  return h;
}

/** The latest horizon over a read's elements (-Infinity for none): `max(horizon(each))` without arrays. */
export function maxHorizon(sources: readonly (readonly Source[])[]): number {
  let m = -Infinity;
  for (const ss of sources) {
    const h = horizon(ss);
    if (h > m) m = h;
  }
  return m;
}

/**
 * The acknowledged write with the latest invocation among writes acknowledged strictly before
 * `t`: if any source of a read precedes some such write, it precedes this one.
 */
export function latestAckedBefore(rk: RegisterKey | undefined, t: number): Op | undefined {
  if (!rk) return undefined;
  let lo = 0;
  let hi = rk.ackT.length; // first index with ack >= t
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rk.ackT[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const idx = rk.prefixLatest[lo - 1];
  return idx === undefined ? undefined : rk.okByAck[idx];
}

/** The ops among sources, for witnesses. */
export function sourceOps(sources: readonly Source[]): Op[] {
  const out: Op[] = [];
  for (const s of sources) if (s.kind === 'op') out.push(s.op);
  return out;
}

/** Models judged as registers by the register families. */
export function isRegisterModel(model: string): boolean {
  return model === 'register' || model === 'cas-register' || model === 'kv';
}
