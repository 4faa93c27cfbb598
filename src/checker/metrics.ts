/**
 * The result's `metrics` (CHECKING.md). Times in ms with 3 decimals; percentiles by nearest
 * rank, so every number is one that was observed.
 *
 * Definitions (where CHECKING.md leaves room):
 * - served: an `ok`, or a business refusal (refusal.ts: a `fail` with `cas-mismatch` or
 *   `out-of-stock`): the system was available and said no. Availability and RTO count served
 *   ops; latencies stay those of `ok` ops (CHECKING.md).
 * - availability: served / all client ops. Ops open at the end count as not served.
 * - availability_during_faults: ops invoked while any fault window is open (faults.ts).
 * - replication_lag_ms: per ok write, from its ack to the first `apply` of that op at each
 *   node other than the first to apply it; an apply before the ack (synchronous replication)
 *   counts as 0.
 * - convergence_ms: from the last close (end/heal) of a network fault to the last `apply` at a
 *   live node after it of a write invoked before that close (or of a merge no op caused): the
 *   time the partition's backlog took to reach every replica. Writes invoked after the heal
 *   are left out, or a workload still running would make "convergence" the rest of the run.
 *   0 when no such apply; null when no network fault closed, when the history has no `final`
 *   records, or when replicas still disagree at the end (they never converged).
 *   `convergence_by_key_ms` lists the 10 slowest keys by the same measure.
 * - rpo_ms: from the earliest invoke to the latest ack among lost acknowledged writes; 0 when
 *   none is lost; null when lost_update is not applicable or there were no acknowledged writes.
 *   A loss that cannot be pinned to ops (a counter short of its acknowledged increments, a
 *   reservation overwritten or not reflected in the stock) is bounded from above by the span of
 *   the acknowledged ops it must be among (lost-update.ts `bound`); `rpo_exact` says which:
 *   true when rpo_ms spans named lost writes only, false when it is such an upper bound.
 * - rto_ms_by_region.R: for each crash/partition/isolate window during which a write of a
 *   client of R, invoked inside the window, was not served (fail, info or still open), the time
 *   from the window's start to the first served write of R invoked after the first such failed
 *   one (a write served before the outage reached R's clients is no recovery); when R has
 *   none before the history ends, the time to the history's last client event (a lower bound:
 *   the outage outlasted what the history saw). The maximum over windows; null when no write of
 *   R failed during an outage. Another region's recovery never stands in for R's.
 * - rto_ms: the worst region's; null when every region's is null.
 */
import type { Metrics, Percentiles } from './types.js';
import { NETWORK_FAULTS, type FaultWindow } from './faults.js';
import { isRead } from './ops.js';
import type { LostUpdateResult } from './lost-update.js';
import { FAIL, OK, type OpTable } from './table.js';
import { selectPercentiles } from './select.js';
import { isRefusal } from './refusal.js';

export interface MetricsInput {
  /** the history as columns (rows in invocation order) */
  table: OpTable;
  /** fault windows of the history */
  windows: FaultWindow[];
  lost: LostUpdateResult;
  /** divergence count (null when not applicable) */
  diverged: number | null;
}

/** ms with 3 decimals */
export function ms(us: number): number {
  return Math.round(us) / 1000;
}

/** Nearest-rank percentiles of values (any order). */
export function percentiles(values: number[]): Percentiles {
  return sortedPercentiles(Float64Array.from(values).sort());
}

/** Nearest-rank percentiles of values sorted ascending. */
function sortedPercentiles(s: Float64Array): Percentiles {
  if (s.length === 0) return { p50: null, p99: null, max: null };
  const at = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] as number;
  return { p50: at(50), p99: at(99), max: s[s.length - 1] as number };
}

function ratio(ok: number, total: number): number | null {
  return total === 0 ? null : ok / total;
}

function regionOf(client: string): string {
  const i = client.lastIndexOf('/');
  return i < 0 ? client : client.slice(0, i);
}

/** A growable list of numbers. */
class Nums {
  a: Float64Array;
  n = 0;
  /** `capacity`: how many numbers are expected (the array still grows past it) */
  constructor(capacity = 1024) {
    this.a = new Float64Array(Math.max(1, capacity));
  }
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  /** Nearest-rank p50, p99, max (reorders the numbers). */
  percentiles(): Percentiles {
    return selectPercentiles(this.a.subarray(0, this.n));
  }
}

export function computeMetrics(input: MetricsInput): Metrics {
  const T = input.table;
  const n = T.n;
  const windows = input.windows;
  const readFn = T.fns.list.map((f) => isRead(f as Parameters<typeof isRead>[0]));
  const answerErr = new Set<number>();
  T.errors.list.forEach((e, i) => {
    if (isRefusal(e)) answerErr.add(i + 1);
  });
  const served = (r: number): boolean =>
    T.type[r] === OK || (T.type[r] === FAIL && answerErr.has(T.errorId(r)));

  // ops and served ops per client name, summed into regions afterwards
  const total = new Float64Array(T.names.list.length);
  const ok = new Float64Array(T.names.list.length);
  let servedAll = 0;
  // sized exactly up front: doubling arrays of millions of latencies waste up to half (and
  // room for every op, though its untouched pages cost no memory, counts in full against the
  // external memory that makes V8 collect)
  let okReads = 0;
  let okWrites = 0;
  for (let r = 0; r < n; r++) {
    if (T.type[r] !== OK) continue;
    if (readFn[T.f[r] as number]) okReads++;
    else okWrites++;
  }
  const readLat = new Nums(okReads);
  const writeLat = new Nums(okWrites);
  // what rto reads of every row, gathered in this pass rather than in one of its own
  const clients: ClientFacts = { ops: total, writes: new Int32Array(T.names.list.length), lastEvent: -Infinity };
  for (let r = 0; r < n; r++) {
    const ci = T.client[r] as number;
    total[ci]!++;
    if (served(r)) {
      ok[ci]!++;
      servedAll++;
    }
    const read = readFn[T.f[r] as number];
    if (!read) clients.writes[ci]!++;
    const c = T.completeT[r] as number;
    clients.lastEvent = Math.max(clients.lastEvent, T.invokeT[r] as number, Number.isNaN(c) ? -Infinity : c);
    if (T.type[r] === OK) {
      const lat = ms(c - (T.invokeT[r] as number));
      if (read) readLat.push(lat);
      else writeLat.push(lat);
    }
  }
  const byRegion = new Map<string, { ok: number; total: number }>();
  for (let ci = 0; ci < total.length; ci++) {
    if (total[ci] === 0) continue;
    const region = regionOf(T.names.list[ci] as string);
    let c = byRegion.get(region);
    if (!c) byRegion.set(region, (c = { ok: 0, total: 0 }));
    c.total += total[ci] as number;
    c.ok += ok[ci] as number;
  }
  const availability_by_region: Record<string, number | null> = {};
  for (const r of [...byRegion.keys()].sort()) {
    const c = byRegion.get(r);
    if (c) availability_by_region[r] = ratio(c.ok, c.total);
  }
  const availability_by_class = byClass(T, served);
  const during = duringWindows(T, windows, served);
  const { convergence_ms, convergence_by_key_ms } = convergence(T, windows, input.diverged);
  const rtoByRegion = rto(T, readFn, windows, served, clients);
  let rto_ms: number | null = null;
  for (const v of Object.values(rtoByRegion)) if (v !== null) rto_ms = rto_ms === null ? v : Math.max(rto_ms, v);
  const rpoOut = rpo(T, readFn, input.lost);
  return {
    availability: ratio(servedAll, n),
    availability_by_region,
    availability_during_faults: windows.length === 0 ? null : ratio(during.served, during.total),
    latency_ms: { read: readLat.percentiles(), write: writeLat.percentiles() },
    replication_lag_ms: replicationLags(T, readFn).percentiles(),
    convergence_ms,
    rpo_ms: rpoOut.ms,
    rpo_exact: rpoOut.exact,
    rto_ms,
    rto_ms_by_region: rtoByRegion,
    convergence_by_key_ms,
    ...(availability_by_class ? { availability_by_class } : {}),
  };
}

/** Availability of each client class (invoke records' `class`), or undefined when no op has one. */
function byClass(T: OpTable, served: (r: number) => boolean): Record<string, number | null> | undefined {
  if (T.classOf.size === 0) return undefined;
  const names = T.classes.list;
  const ok = new Float64Array(names.length);
  const total = new Float64Array(names.length);
  for (const [row, id] of T.classOf) {
    total[id]!++;
    if (served(row)) ok[id]!++;
  }
  const out: Record<string, number | null> = {};
  const order = names.map((n, i) => ({ n, i })).sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  for (const { n, i } of order) out[n] = ratio(ok[i] as number, total[i] as number);
  return out;
}

/** Ops invoked while some window is open: windows merged, then one sweep (ops are in invoke order). */
function duringWindows(
  T: OpTable,
  windows: FaultWindow[],
  served: (r: number) => boolean,
): { served: number; total: number } {
  const spans = windows
    .map((w) => [w.start_t, w.end_t] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push([sp[0], sp[1]]);
  }
  const out = { served: 0, total: 0 };
  let i = 0;
  for (let r = 0; r < T.n; r++) {
    const t = T.invokeT[r] as number;
    while (i < merged.length && (merged[i] as [number, number])[1] <= t) i++;
    const sp = merged[i];
    if (sp && t >= sp[0]) {
      out.total++;
      if (served(r)) out.served++;
    }
  }
  return out;
}

/**
 * Per ok write, the first apply at each node (record order); the node that applied first
 * (earliest time, ties by record order) is the origin, every other node's lag counts.
 */
function replicationLags(T: OpTable, readFn: boolean[]): Nums {
  // applies of ok writes, grouped by row with a counting sort (stable: record order kept)
  const rowOfApply = new Int32Array(T.na);
  const start = new Int32Array(T.n + 1);
  for (let i = 0; i < T.na; i++) {
    const r = T.applyRow(i);
    const keep = r >= 0 && T.type[r] === OK && !readFn[T.f[r] as number];
    rowOfApply[i] = keep ? r : -1;
    if (keep) start[r + 1]!++;
  }
  for (let r = 0; r < T.n; r++) start[r + 1]! += start[r] as number;
  // `start` is its own fill cursor (no copy of a column of millions): once filled, row r's
  // applies end where start[r] has moved to, and begin where start[r - 1] has (0 for row 0)
  const order = new Int32Array(start[T.n] as number);
  for (let i = 0; i < T.na; i++) {
    const r = rowOfApply[i] as number;
    if (r >= 0) order[start[r]!++] = i;
  }
  const lags = new Nums(start[T.n] as number); // at most one lag per kept apply
  const nodes: number[] = [];
  const times: number[] = [];
  for (let r = 0; r < T.n; r++) {
    const a = r === 0 ? 0 : (start[r - 1] as number);
    const b = start[r] as number;
    if (b - a < 2) continue;
    nodes.length = 0;
    times.length = 0;
    for (let j = a; j < b; j++) {
      const i = order[j] as number;
      const node = T.aNode[i] as number;
      if (nodes.includes(node)) continue;
      nodes.push(node);
      times.push(T.aT[i] as number);
    }
    if (nodes.length < 2) continue;
    let first = 0;
    for (let k = 1; k < times.length; k++) if ((times[k] as number) < (times[first] as number)) first = k;
    const ack = T.completeT[r] as number;
    for (let k = 0; k < times.length; k++) {
      if (k === first) continue;
      lags.push(ms(Math.max(0, (times[k] as number) - ack)));
    }
  }
  return lags;
}

function convergence(
  T: OpTable,
  windows: FaultWindow[],
  diverged: number | null,
): { convergence_ms: number | null; convergence_by_key_ms: Array<{ key: string; ms: number }> } {
  const healed = windows.filter((w) => NETWORK_FAULTS.has(w.kind) && w.closed);
  if (healed.length === 0 || T.finals.length === 0 || diverged === null || diverged > 0) {
    return { convergence_ms: null, convergence_by_key_ms: [] };
  }
  let heal_t = healed[0]?.end_t ?? 0;
  for (const w of healed) heal_t = Math.max(heal_t, w.end_t);
  const live = new Set<number>(T.finals.map((f) => T.names.id(f.node)));
  const lastByKey = new Map<number, number>();
  for (let i = 0; i < T.na; i++) {
    const t = T.aT[i] as number;
    if (t < heal_t || !live.has(T.aNode[i] as number)) continue;
    const r = T.applyRow(i);
    if (r >= 0 && (T.invokeT[r] as number) >= heal_t) continue; // new traffic, not backlog
    const k = T.aKey[i] as number;
    lastByKey.set(k, Math.max(t, lastByKey.get(k) ?? t));
  }
  const perKey = [...lastByKey.entries()]
    .map(([k, t]) => ({ key: T.names.list[k] as string, ms: ms(t - heal_t) }))
    .sort((a, b) => b.ms - a.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { convergence_ms: perKey[0]?.ms ?? 0, convergence_by_key_ms: perKey.slice(0, 10) };
}

function rpo(T: OpTable, readFn: boolean[], lost: LostUpdateResult): { ms: number | null; exact: boolean | null } {
  const none = { ms: null, exact: null };
  if (!lost.report.applicable) return none;
  let anyOkWrite = false;
  for (let r = 0; r < T.n && !anyOkWrite; r++) anyOkWrite = T.type[r] === OK && !readFn[T.f[r] as number];
  if (!anyOkWrite) return none;
  if (lost.report.count === 0) return { ms: 0, exact: true };
  // named losses and, where a loss has no name, the ops it must be among
  let start = lost.lost.start;
  let end = lost.lost.end;
  if (lost.bound.n > 0) {
    start = Math.min(start, lost.bound.start);
    end = Math.max(end, lost.bound.end);
  }
  if (end < start) return none; // counted but nothing to span: cannot happen with the families above
  return { ms: ms(end - start), exact: lost.identified };
}

const OUTAGES = new Set(['crash', 'partition', 'isolate']);

/** Per client name index: its ops and its writes; and the time of the history's last client event. */
interface ClientFacts {
  ops: Float64Array;
  writes: Int32Array;
  lastEvent: number;
}

/** RTO per client region (see the top of this file); every region with client ops gets an entry. */
function rto(
  T: OpTable,
  readFn: boolean[],
  windows: FaultWindow[],
  served: (r: number) => boolean,
  clients: ClientFacts,
): Record<string, number | null> {
  // client name index → region index, regions sorted by name
  const regionOfName = new Int32Array(T.names.list.length).fill(-1);
  const regionNames: string[] = [];
  const writesOf = clients.writes;
  // the end of what the history saw of its clients
  const lastEvent = clients.lastEvent;
  {
    const byName = new Map<string, number>();
    const seen = clients.ops;
    const regions = new Set<string>();
    for (let ci = 0; ci < seen.length; ci++) if (seen[ci]) regions.add(regionOf(T.names.list[ci] as string));
    for (const name of [...regions].sort()) {
      byName.set(name, regionNames.length);
      regionNames.push(name);
    }
    for (let ci = 0; ci < seen.length; ci++) if (seen[ci]) regionOfName[ci] = byName.get(regionOf(T.names.list[ci] as string)) as number;
  }
  const worst: Array<number | null> = regionNames.map(() => null);
  const out = (): Record<string, number | null> => Object.fromEntries(regionNames.map((g, i) => [g, worst[i] ?? null]));
  const outages = windows.filter((w) => OUTAGES.has(w.kind));
  if (outages.length === 0) return out();
  // per region: its writes in invoke order (a counting sort into one typed array: arrays of
  // rows grown push by push were promoted to the old generation on long runs), and the
  // earliest served ack among those from index i on
  const start = new Int32Array(regionNames.length + 1);
  for (let ci = 0; ci < writesOf.length; ci++) if (regionOfName[ci]! >= 0) start[regionOfName[ci]! + 1]! += writesOf[ci] as number;
  for (let g = 0; g < regionNames.length; g++) start[g + 1]! += start[g] as number;
  const fill = start.slice(0, regionNames.length);
  const all = new Int32Array(start[regionNames.length] as number);
  for (let r = 0; r < T.n; r++) if (!readFn[T.f[r] as number]) all[fill[regionOfName[T.client[r] as number] as number]!++] = r;
  for (let g = 0; g < regionNames.length; g++) {
    const writes = all.subarray(start[g] as number, start[g + 1] as number);
    const nw = writes.length;
    const suffixAck = new Float64Array(nw + 1).fill(Infinity);
    for (let i = nw - 1; i >= 0; i--) {
      const r = writes[i] as number;
      const ack = served(r) ? (T.completeT[r] as number) : Infinity;
      suffixAck[i] = Math.min(ack, suffixAck[i + 1] as number);
    }
    const invokeAt = (i: number): number => T.invokeT[writes[i] as number] as number;
    for (const w of outages) {
      let lo = 0;
      let hi = nw;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (invokeAt(mid) < w.start_t) lo = mid + 1;
        else hi = mid;
      }
      let failed = -1;
      for (let i = lo; i < nw && invokeAt(i) < w.end_t && failed < 0; i++) if (!served(writes[i] as number)) failed = i;
      if (failed < 0) continue;
      // back when a write invoked after the first failed one is served: a write served
      // before the outage reached the region's clients is not a recovery
      const back = suffixAck[failed + 1] as number;
      const v = ms((back === Infinity ? lastEvent : back) - w.start_t);
      worst[g] = Math.max(worst[g] ?? v, v);
    }
  }
  return out();
}
