/**
 * The result's `metrics` (CHECKING.md). Times in ms with 3 decimals; percentiles by nearest
 * rank, so every number is one that was observed.
 *
 * Definitions (where CHECKING.md leaves room):
 * - availability: ok / all client ops, where a `fail` that is a definite answer about the data
 *   (`cas-mismatch`, `out-of-stock`) counts as served: the system was available and said no.
 *   Ops open at the end count as not served.
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
 *   none is lost; null when lost_update is not applicable, there were no acknowledged writes,
 *   or the loss cannot be pinned to ops (counter deficits, inventory stock).
 * - rto_ms: for each crash/partition/isolate during which some write failed (fail, info or
 *   still open), the time from its start to the first ack of a write invoked at or after it;
 *   the maximum over such faults; null when no write failed during a fault or none recovered.
 */
import type { Metrics, Percentiles } from './types.js';
import { faultWindows, NETWORK_FAULTS, type FaultWindow } from './faults.js';
import { hasFinals, liveNodes } from './final-state.js';
import { firstInvokedAt, isRead, type History, type Op } from './ops.js';
import type { LostUpdateResult } from './lost-update.js';

export interface MetricsInput {
  history: History;
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
  if (values.length === 0) return { p50: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] as number;
  return { p50: at(50), p99: at(99), max: s[s.length - 1] as number };
}

/** Errors that are the data's answer, not a refusal to serve. */
const ANSWERS = new Set(['cas-mismatch', 'out-of-stock']);

/** The system served the op: ok, or a definite "no" about the data. */
export function served(o: Op): boolean {
  return o.type === 'ok' || (o.type === 'fail' && o.error !== undefined && ANSWERS.has(o.error));
}

/** min/max of a non-empty array without spreading it (large arrays overflow the call stack) */
function extreme(xs: number[], pick: (a: number, b: number) => number): number {
  let r = xs[0] ?? 0;
  for (const x of xs) r = pick(r, x);
  return r;
}

function ratio(ok: number, total: number): number | null {
  return total === 0 ? null : ok / total;
}

function regionOf(client: string): string {
  const i = client.lastIndexOf('/');
  return i < 0 ? client : client.slice(0, i);
}

export function computeMetrics(input: MetricsInput): Metrics {
  const h = input.history;
  const ops = h.ops;
  const windows = faultWindows(h);
  const byRegion = new Map<string, { ok: number; total: number }>();
  for (const o of ops) {
    const r = regionOf(o.client);
    const c = byRegion.get(r) ?? { ok: 0, total: 0 };
    c.total++;
    if (served(o)) c.ok++;
    byRegion.set(r, c);
  }
  const availability_by_region: Record<string, number | null> = {};
  for (const r of [...byRegion.keys()].sort()) {
    const c = byRegion.get(r);
    if (c) availability_by_region[r] = ratio(c.ok, c.total);
  }
  const during = duringWindows(ops, windows);
  const okOps = ops.filter((o) => o.type === 'ok');
  const latency = (pick: (o: Op) => boolean): Percentiles =>
    percentiles(okOps.filter(pick).map((o) => ms((o.complete_t ?? o.invoke_t) - o.invoke_t)));
  const { convergence_ms, convergence_by_key_ms } = convergence(h, windows, input.diverged);
  return {
    availability: ratio(ops.filter(served).length, ops.length),
    availability_by_region,
    availability_during_faults:
      windows.length === 0 ? null : ratio(during.filter(served).length, during.length),
    latency_ms: { read: latency((o) => isRead(o.f)), write: latency((o) => !isRead(o.f)) },
    replication_lag_ms: percentiles(replicationLags(h)),
    convergence_ms,
    rpo_ms: rpo(h, input.lost),
    rto_ms: rto(h, windows),
    convergence_by_key_ms,
  };
}

/** Ops invoked while some window is open: windows merged, then one sweep (ops are in invoke order). */
function duringWindows(ops: Op[], windows: FaultWindow[]): Op[] {
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
  const out: Op[] = [];
  let i = 0;
  for (const o of ops) {
    while (i < merged.length && (merged[i] as [number, number])[1] <= o.invoke_t) i++;
    const sp = merged[i];
    if (sp && o.invoke_t >= sp[0]) out.push(o);
  }
  return out;
}

function replicationLags(h: History): number[] {
  const appliesByOp = new Map<number, Map<string, number>>();
  for (const a of h.applies) {
    if (a.op === undefined) continue;
    let nodes = appliesByOp.get(a.op);
    if (!nodes) appliesByOp.set(a.op, (nodes = new Map()));
    if (!nodes.has(a.node)) nodes.set(a.node, a.t);
  }
  const lags: number[] = [];
  for (const o of h.ops) {
    if (o.type !== 'ok' || isRead(o.f)) continue;
    const nodes = appliesByOp.get(o.id);
    if (!nodes || nodes.size < 2) continue;
    // first to apply: earliest time; ties by record order (Map insertion order)
    let firstNode: string | undefined;
    let firstT = Infinity;
    for (const [n, t] of nodes) if (t < firstT) [firstNode, firstT] = [n, t];
    for (const [n, t] of nodes) {
      if (n === firstNode) continue;
      lags.push(ms(Math.max(0, t - (o.complete_t ?? t))));
    }
  }
  return lags;
}

function convergence(
  h: History,
  windows: FaultWindow[],
  diverged: number | null,
): { convergence_ms: number | null; convergence_by_key_ms: Array<{ key: string; ms: number }> } {
  const healed = windows.filter((w) => NETWORK_FAULTS.has(w.kind) && w.closed);
  if (healed.length === 0 || !hasFinals(h) || diverged === null || diverged > 0) {
    return { convergence_ms: null, convergence_by_key_ms: [] };
  }
  const heal_t = extreme(healed.map((w) => w.end_t), Math.max);
  const live = liveNodes(h);
  const lastByKey = new Map<string, number>();
  for (const a of h.applies) {
    if (a.t < heal_t || !live.has(a.node)) continue;
    const op = a.op === undefined ? undefined : h.byId.get(a.op);
    if (op && op.invoke_t >= heal_t) continue; // new traffic, not backlog
    lastByKey.set(a.key, Math.max(a.t, lastByKey.get(a.key) ?? a.t));
  }
  const perKey = [...lastByKey.entries()]
    .map(([key, t]) => ({ key, ms: ms(t - heal_t) }))
    .sort((a, b) => b.ms - a.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { convergence_ms: perKey[0]?.ms ?? 0, convergence_by_key_ms: perKey.slice(0, 10) };
}

function rpo(h: History, lost: LostUpdateResult): number | null {
  if (!lost.report.applicable) return null;
  if (!h.ops.some((o) => o.type === 'ok' && !isRead(o.f))) return null;
  if (lost.report.count === 0) return 0;
  // a loss that no op can be named for (counter deficit, inventory stock) has no span
  if (lost.lost.length === 0 || !lost.identified) return null;
  const start = extreme(lost.lost.map((o) => o.invoke_t), Math.min);
  const end = extreme(lost.lost.map((o) => o.complete_t ?? o.invoke_t), Math.max);
  return ms(end - start);
}

const OUTAGES = new Set(['crash', 'partition', 'isolate']);

function rto(h: History, windows: FaultWindow[]): number | null {
  const writes = h.ops.filter((o) => !isRead(o.f)); // invoke order
  // earliest ack among ok writes invoked at or after index i
  const suffixAck: number[] = new Array<number>(writes.length + 1).fill(Infinity);
  for (let i = writes.length - 1; i >= 0; i--) {
    const o = writes[i] as Op;
    const ack = o.type === 'ok' ? (o.complete_t ?? Infinity) : Infinity;
    suffixAck[i] = Math.min(ack, suffixAck[i + 1] as number);
  }
  let worst: number | null = null;
  for (const w of windows) {
    if (!OUTAGES.has(w.kind)) continue;
    const from = firstInvokedAt(writes, w.start_t);
    let failed = false;
    for (let i = from; i < writes.length && (writes[i] as Op).invoke_t < w.end_t; i++) {
      if ((writes[i] as Op).type !== 'ok') {
        failed = true;
        break;
      }
    }
    if (!failed) continue;
    const firstAck = suffixAck[from] as number;
    if (firstAck === Infinity) continue;
    const v = ms(firstAck - w.start_t);
    worst = worst === null ? v : Math.max(worst, v);
  }
  return worst;
}
