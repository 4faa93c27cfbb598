/**
 * Counter overcount (an `invariant` rule): a counter total — an ok read, or a replica's final
 * value — above the initial value plus every increment that may have been applied by then
 * (ok, info or still open, invoked before the read completed; every one for a final value).
 * Only an increment applied twice (a retransmission or a retried proposal re-applied) or a
 * value that no client added can produce it. Negative deltas are left out of the bound (not
 * applying them only keeps the total higher). When failed increments are enough to make up
 * the excess, the same total is an `aborted_read` instead (aborted-read.ts), not counted here.
 */
import type { Witness } from './types.js';
import type { CheckOptions } from './types.js';
import { finalViews, hasFinals } from './final-state.js';
import { list, opRef, readRef, sec } from './explain.js';
import { initialValue } from './model.js';
import { isRead, type History, type Op } from './ops.js';

/** A counter total above what the ok/info increments allow. */
export interface CounterExcess {
  /** the read that returned it, or none for a final value */
  read?: Op;
  /** replicas holding it (final value) */
  nodes: string[];
  value: number;
  /** initial + every positive increment that may have been applied */
  bound: number;
  excess: number;
  /** failed positive increments invoked before the read completed (every one for a final value) */
  failed: Op[];
  failedSum: number;
  /** the increments that may have been applied, latest last */
  applied: Op[];
}

function delta(op: Op): number {
  return typeof op.value === 'number' && Number.isFinite(op.value) && op.value > 0 ? op.value : 0;
}

/** Every counter total of the key's history (ok reads, final values) above its bound. */
export function counterBound(h: History, opts: CheckOptions): CounterExcess[] {
  const init = initialValue(opts);
  const initial = typeof init === 'number' ? init : 0;
  // adds are in invocation order: prefix sums answer "every increment invoked by t" in log time
  const adds = h.ops.filter((o) => o.f === 'add' && delta(o) > 0);
  const okSum = new Float64Array(adds.length + 1);
  const failSum = new Float64Array(adds.length + 1);
  adds.forEach((a, i) => {
    okSum[i + 1] = (okSum[i] as number) + (a.type === 'fail' ? 0 : delta(a));
    failSum[i + 1] = (failSum[i] as number) + (a.type === 'fail' ? delta(a) : 0);
  });
  const out: CounterExcess[] = [];
  const judge = (value: number, until: number, read: Op | undefined, nodes: string[]): void => {
    let n = 0; // adds invoked at or before `until`
    let hi = adds.length;
    while (n < hi) {
      const mid = (n + hi) >> 1;
      if ((adds[mid] as Op).invoke_t <= until) n = mid + 1;
      else hi = mid;
    }
    const bound = initial + (okSum[n] as number);
    if (value <= bound) return;
    const upTo = adds.slice(0, n);
    const x: CounterExcess = {
      nodes,
      value,
      bound,
      excess: value - bound,
      failed: upTo.filter((a) => a.type === 'fail'),
      failedSum: failSum[n] as number,
      applied: upTo.filter((a) => a.type !== 'fail'),
    };
    if (read) x.read = read;
    out.push(x);
  };
  for (const r of h.ops) {
    if (!isRead(r.f) || r.type !== 'ok' || typeof r.result !== 'number') continue;
    judge(r.result, r.complete_t ?? r.invoke_t, r, [r.node]);
  }
  const key = h.key ?? h.ops[0]?.key;
  if (key !== undefined && hasFinals(h)) {
    for (const v of finalViews(h, key, initial)) {
      if (typeof v.value === 'number' && v.nodes.length > 0) judge(v.value, Infinity, undefined, v.nodes);
    }
  }
  return out;
}

/** Overcounts of one key (totals that failed increments cannot explain): one witness each. */
export function counterOvercount(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  if (opts.model !== 'counter') return;
  for (const x of counterBound(h, opts)) {
    if (x.failed.length > 0 && x.excess <= x.failedSum) continue; // an aborted read
    const key = x.read?.key ?? h.key ?? '';
    const recent = x.applied.slice(-3);
    const seen = x.read
      ? `${readRef(x.read)} returned ${x.value} at ${sec(x.read.complete_t ?? x.read.invoke_t)}`
      : `after settle ${key} holds ${x.value} at ${list(x.nodes)}`;
    add({
      ops: [...(x.read ? [x.read.id] : []), ...recent.map((o) => o.id)],
      key,
      nodes: x.nodes,
      ...(x.read ? { clients: [x.read.client], times_us: [x.read.complete_t ?? x.read.invoke_t] } : {}),
      explanation:
        `counter overcount: ${seen}, ${x.excess} more than the initial value plus every increment that may ` +
        `have been applied (${x.bound}, from ${x.applied.length} ok/info increments` +
        `${recent.length > 0 ? `, the latest ${list(recent.map((o) => opRef(o)))}` : ''}): an increment was applied twice`,
      details: { value: x.value, bound: x.bound, excess: x.excess },
    });
  }
}
