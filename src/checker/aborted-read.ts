/**
 * `aborted_read` (Adya's G1a): a value whose only write ended `fail` — "definitely did not
 * happen" — was nevertheless seen: a read returned it, a replica applied the failed op, or a
 * replica holds it after settle. What "the value of a failed write" means per model:
 * - register, cas-register, kv `put`: the value written (a cas's new value); a read or final
 *   state counts when it is, or holds among its siblings, a value that a failed op wrote and
 *   that no ok/info/open op writing the same value had invoked before the read completed;
 * - set: an element whose only adds failed, present in a read or a final set;
 * - counter: increments carry no identity, so a total is an aborted read when it exceeds the
 *   initial value plus every ok/info/open increment invoked before it, and the failed
 *   increments invoked before it are enough to make up the excess (the failed increments are
 *   the witness); a larger excess is an overcount (`invariant`, counter-overcount.ts);
 * - inventory: reads return a stock level, which names no reservation: only `apply` records
 *   of a failed reservation count;
 * - every model: an `apply` record naming a failed op.
 * Black-box histories (no apply or final records) are judged on their reads. Multi-register
 * transactions are not judged (not applicable).
 */
import type { Value } from '../history/types.js';
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { finalViews } from './final-state.js';
import { list, opRef, readRef, sec, show } from './explain.js';
import { counterBound } from './counter-overcount.js';
import { initialValue } from './model.js';
import { isRead, type History, type Op } from './ops.js';
import { elementKey } from './set-duplicates.js';

/** The family when the model gives nothing to judge. */
export function abortedReadNotApplicable(opts: CheckOptions): AnomalyReport | null {
  if (opts.model !== 'multi-register') return null;
  return {
    applicable: false,
    count: null,
    witnesses: [],
    note: 'multi-register transactions are not judged for aborted reads',
  };
}

/** The value a register-like op writes (a cas's new value), or undefined when it writes none. */
export function writtenValue(op: Op): Value | undefined {
  if (op.f === 'write' || op.f === 'put') return op.value;
  if (op.f === 'cas' && Array.isArray(op.value) && op.value.length === 2) return op.value[1];
  return undefined;
}

/** Per value (valueKey): the failed ops that wrote it, and the earliest invoke of a writer that did not fail. */
interface Writers {
  failed: Map<number | string, Op[]>;
  firstOther: Map<number | string, number>;
}

function writersOf(ops: readonly Op[], valueOf: (op: Op) => Value | undefined): Writers {
  const failed = new Map<number | string, Op[]>();
  const firstOther = new Map<number | string, number>();
  for (const op of ops) {
    const v = valueOf(op);
    if (v === undefined) continue;
    const k = elementKey(v);
    if (op.type === 'fail') {
      const l = failed.get(k);
      if (l) l.push(op);
      else failed.set(k, [op]);
    } else if (!firstOther.has(k) || (firstOther.get(k) as number) > op.invoke_t) firstOther.set(k, op.invoke_t);
  }
  return { failed, firstOther };
}

/** The failed ops behind `v` if, seen at time `t`, only failed ops can have written it. */
function onlyFailed(w: Writers, v: Value, t: number): Op[] | null {
  const k = elementKey(v);
  const failed = w.failed.get(k);
  if (!failed) return null;
  const other = w.firstOther.get(k);
  if (other !== undefined && other <= t) return null;
  return failed;
}

/**
 * The values a read result or final state shows: the value itself, and for an array the
 * elements too (register siblings, set elements).
 */
function shown(v: Value, elementsOnly: boolean): Value[] {
  if (!Array.isArray(v)) return elementsOnly ? [] : [v];
  return elementsOnly ? v : [v, ...v];
}

/**
 * Aborted reads of one key (its ops in invocation order and its finals in `h`). `add` gets
 * one witness per read or replica view that saw a failed write.
 */
export function abortedReadsOfKey(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  const ops = h.ops;
  if (ops.length === 0 || !ops.some((o) => o.type === 'fail')) return;
  const key = (ops[0] as Op).key;
  const initial = initialValue(opts);
  switch (opts.model) {
    case 'register':
    case 'cas-register':
    case 'kv':
      seenValues(h, key, writersOf(ops, writtenValue), initialValues(initial, false), false, add);
      return;
    case 'set':
      seenValues(h, key, writersOf(ops, (o) => (o.f === 'add' ? o.value : undefined)), initialValues(initial, true), true, add);
      return;
    case 'counter':
      counterAborted(h, key, opts, add);
      return;
    case 'inventory':
    case 'multi-register':
      return;
    default: {
      const never: never = opts.model;
      void never;
    }
  }
}

function initialValues(initial: Value, elements: boolean): Set<number | string> {
  return new Set(shown(initial ?? null, elements).map((v) => elementKey(v)));
}

function seenValues(
  h: History,
  key: string,
  w: Writers,
  initial: Set<number | string>,
  elements: boolean,
  add: (w: Witness) => void,
): void {
  const failedValues = (v: Value, t: number): Op[] => {
    const out: Op[] = [];
    for (const x of shown(v, elements)) {
      if (initial.has(elementKey(x))) continue;
      for (const f of onlyFailed(w, x, t) ?? []) if (!out.includes(f)) out.push(f);
    }
    return out;
  };
  for (const r of h.ops) {
    if (!isRead(r.f) || r.type !== 'ok' || r.result === undefined || r.result === null) continue;
    const failed = failedValues(r.result, r.complete_t ?? r.invoke_t);
    if (failed.length === 0) continue;
    add({
      ops: [...failed.map((f) => f.id), r.id],
      key,
      clients: [r.client, ...failed.map((f) => f.client)],
      nodes: [r.node, ...failed.map((f) => f.node)],
      times_us: [...failed.map((f) => f.complete_t ?? f.invoke_t), r.complete_t ?? r.invoke_t],
      explanation:
        `aborted read: ${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? r.invoke_t)}, ` +
        `which only ${list(failed.map((f) => `${opRef(f)}, failed at ${sec(f.complete_t ?? f.invoke_t)},`))} wrote`,
      details: { read: r.id, failed: failed.map((f) => f.id) },
    });
  }
  if (h.finals.length === 0 && !h.scope?.anyFinal) return;
  for (const view of finalViews(h, key, null)) {
    if (view.value === undefined || view.value === null || view.nodes.length === 0) continue;
    const failed = failedValues(view.value, Infinity);
    if (failed.length === 0) continue;
    add({
      ops: failed.map((f) => f.id),
      key,
      clients: failed.map((f) => f.client),
      nodes: [...view.nodes, ...failed.map((f) => f.node)],
      times_us: failed.map((f) => f.complete_t ?? f.invoke_t),
      explanation:
        `aborted read: after settle ${key} holds ${show(view.value)} at ${list(view.nodes)}, which only ` +
        `${list(failed.map((f) => `${opRef(f)}, failed at ${sec(f.complete_t ?? f.invoke_t)},`))} wrote`,
      details: { final: view.value, replicas: view.nodes, failed: failed.map((f) => f.id) },
    });
  }
}

function counterAborted(h: History, key: string, opts: CheckOptions, add: (w: Witness) => void): void {
  for (const x of counterBound(h, opts)) {
    if (x.excess > x.failedSum || x.failed.length === 0) continue;
    // the latest failed increments that make up the excess: the witness stays short
    const failed: Op[] = [];
    let sum = 0;
    for (let i = x.failed.length - 1; i >= 0 && sum < x.excess; i--) {
      const f = x.failed[i] as Op;
      failed.unshift(f);
      sum += typeof f.value === 'number' ? f.value : 0;
    }
    const seen = x.read ? `${readRef(x.read)} returned ${x.value}` : `after settle ${key} holds ${x.value} at ${list(x.nodes)}`;
    add({
      ops: [...failed.map((f) => f.id), ...(x.read ? [x.read.id] : [])],
      key,
      nodes: [...(x.read ? [x.read.node] : x.nodes), ...failed.map((f) => f.node)],
      times_us: [...failed.map((f) => f.complete_t ?? f.invoke_t), ...(x.read ? [x.read.complete_t ?? x.read.invoke_t] : [])],
      explanation:
        `aborted read: ${seen}, ${x.excess} more than the initial value plus every increment that may have ` +
        `happened (${x.bound}); only failed increments (${list(failed.map((f) => opRef(f)))}) can make up the difference`,
      details: { value: x.value, bound: x.bound, failed: failed.map((f) => f.id) },
    });
  }
}

/** An `apply` record of a failed op: a replica applied what definitely did not happen. */
export function abortedApplyWitness(a: { t: number; node: string; key: string }, op: Op): Witness {
  return {
    ops: [op.id],
    key: a.key,
    clients: [op.client],
    nodes: [a.node, op.node],
    times_us: [op.complete_t ?? op.invoke_t, a.t],
    explanation:
      `aborted read: ${a.node} applied ${opRef(op)} of ${a.key} at ${sec(a.t)} although it failed at ` +
      `${sec(op.complete_t ?? op.invoke_t)} (fail means it did not happen)`,
    details: { applied_at: a.node },
  };
}
