/**
 * lin/zones.ts for one key of a columnar history, read from the key-contiguous copies the
 * register families already made (register-gather.ts) instead of the table by scattered row.
 * On the 2-hour run the zones pass read six columns at ~4.4 M scattered rows (a cache miss
 * each) after the register families had walked the same rows in order; sink.ts now asks this
 * while the key's copies are at hand and hands the answer to linearizable.ts.
 * The arrays filled here are exactly what `registerZonesLinearizable` fills from the key's
 * `zoneOps` (sink.ts: fail ops dropped, a late `ok` after an `info` makes an op known), and
 * both go through the same `zonesWith` (test/checker/register-zones.test.ts compares them).
 */
import type { ModelOptions } from './lin/model.js';
import { PREFIX_OPS, readZone, zonesWith, type ZoneArrays, type ZoneValues } from './lin/zones.js';
import type { Gatherer } from './register-gather.js';
import { OK, V_NULL, V_NUM, V_UNDEF } from './table.js';

/** Read/write class of each function name for zones: 0 read, 1 write, -1 anything else (the search's). */
export function zoneFns(fns: readonly string[]): Int8Array {
  return Int8Array.from(fns, (f) => (f === 'read' || f === 'get' ? 0 : f === 'write' || f === 'put' ? 1 : -1));
}

/**
 * What `registerZonesLinearizable(zoneOps(key), opts)` answers for key `k` (name index), from
 * the gathered copies. `fns`: `zoneFns` of the table's function names; `prefixOps` as in
 * lin/zones.ts `zonesWith`.
 */
export function registerZonesCols(G: Gatherer, k: number, fns: Int8Array, opts: ModelOptions, prefixOps = PREFIX_OPS): boolean {
  const T = G.T;
  const [a, b] = G.range(k);
  const g = G.g;
  const anyFailed = T.failedIds.size > 0;
  let n = 0;
  for (let j = a; j < b; j++) {
    if (anyFailed && dropped(G, j)) continue;
    if ((fns[g.fn[j] as number] as number) < 0) return false; // a cas or an unknown op: the search's
    n++;
  }
  const nilAny = opts.nilRead === 'any';
  return zonesWith(n, opts.initial ?? null, (A, m, values) => fill(G, a, anyFailed, fns, nilAny, A, m, values), prefixOps);
}

/** A fail op is not a zone op (sink.ts linSource `dropped`). */
function dropped(G: Gatherer, j: number): boolean {
  if (G.g.type[j] === OK) return false;
  const row = G.g.row[j] as number;
  return G.T.failedIds.has(G.T.opId(row)) && !G.T.lateOk.has(row);
}

/** The key's first `m` zone ops (from copy `a` on) into `A`, as sink.ts ColZoneOps answers for them. */
function fill(G: Gatherer, a: number, anyFailed: boolean, fns: Int8Array, nilAny: boolean, A: ZoneArrays, m: number, values: ZoneValues): void {
  const T = G.T;
  const g = G.g;
  const anyLate = T.lateOk.size > 0;
  for (let j = a, i = 0; i < m; j++) {
    if (anyFailed && dropped(G, j)) continue;
    const ok = g.type[j] === OK;
    const late = !ok && anyLate ? T.lateOk.get(g.row[j] as number) : undefined;
    const isKnown = ok || late !== undefined;
    A.known[i] = isKnown ? 1 : 0;
    A.callPt[i] = 4 * (g.callPos[j] as number);
    A.retPt[i] = ok ? 4 * (g.completePos[j] as number) : late !== undefined ? 4 * late.pos : Infinity;
    const tag = g.tag[j] as number;
    if (fns[g.fn[j] as number] === 0) {
      // a read: its ok result (gathered), or the late ok's
      let v: unknown;
      if (!isKnown) v = undefined;
      else if (late !== undefined) v = late.value ?? null;
      else if (tag === V_NUM) v = g.num[j] as number;
      else if (tag === V_NULL || tag === V_UNDEF) v = null;
      else v = T.result(g.row[j] as number) ?? null;
      readZone(A, i, v, nilAny, values);
    } else {
      // a write: its argument (gathered: a write's tag and number are its argument's)
      A.kind[i] = 1;
      if (tag === V_NUM) A.val[i] = values.id(g.num[j] as number);
      else if (tag === V_NULL || tag === V_UNDEF) A.val[i] = values.id(null);
      else A.val[i] = values.id(T.value(g.row[j] as number) ?? null);
    }
    i++;
  }
}
