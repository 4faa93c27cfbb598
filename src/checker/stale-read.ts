/**
 * `stale_read`: a read returned the value of write X (or the initial value) although some
 * write W, with X acknowledged before W began, had been acknowledged before the read began.
 * A read concurrent with a write is not stale; a sibling read is stale only if none of its
 * siblings is fresh; a value written by an op of unknown outcome is never stale (it may have
 * taken effect at any time after its invoke). Values no write produced are left to the
 * linearizability check.
 *
 * Counter (only for keys whose adds are all non-negative): a read below initial + the deltas
 * acknowledged before it began. Set: a read missing an element whose add was acknowledged
 * before the read began, when no remove of it was invoked before the read completed.
 */
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { collector, opRef, readRef, sec, show, type Collector } from './explain.js';
import { initialValue } from './model.js';
import { groupBy, isRead, numberField, valueKey, type History, type Op } from './ops.js';
import {
  elementsOf,
  maxHorizon,
  isRegisterModel,
  latestAckedBefore,
  registerKeys,
  sourceOps,
  sourcesOf,
  type RegisterKey,
  type Source,
} from './register.js';

export function staleRead(h: History, opts: CheckOptions): AnomalyReport {
  return staleReport(staleReadPart(h, opts));
}

/** One pass's findings, mergeable across per-key slices (sink.ts). */
export interface StalePart {
  /** set when the family does not apply to the model */
  na?: AnomalyReport;
  c: Collector;
  /** counter keys with negative deltas, not judged (key order) */
  skipped: string[];
}

export function staleReadPart(h: History, opts: CheckOptions): StalePart {
  const c = collector();
  const skipped: string[] = [];
  const notApplicable = staleReadNotApplicable(opts);
  if (notApplicable) return { na: notApplicable, c, skipped };
  const add = c.add;
  if (isRegisterModel(opts.model)) registerStale(h, opts, add);
  else if (opts.model === 'counter') counterStale(h, opts, add, skipped);
  else setStale(h, add);
  return { c, skipped };
}

/**
 * The family's report when the model gives it nothing to judge, else undefined: what
 * `staleReadPart` says of any history, known without running it (sink.ts asks once per history).
 */
export function staleReadNotApplicable(opts: CheckOptions): AnomalyReport | undefined {
  if (opts.model === 'multi-register') return na('multi-register (txn) histories are judged by linearizability only');
  if (opts.model === 'inventory') {
    return na('inventory reads return stock levels that every reservation changes; judged by invariant and lost_update');
  }
  return undefined;
}

export function staleReport(p: StalePart): AnomalyReport {
  if (p.na) return p.na;
  const r: AnomalyReport = { applicable: true, count: p.c.count, witnesses: p.c.witnesses };
  if (p.skipped.length > 0) r.note = `keys with negative deltas not judged: ${p.skipped.slice(0, 5).join(', ')}`;
  return r;
}

function na(note: string): AnomalyReport {
  return { applicable: false, count: null, witnesses: [], note };
}

/** The sources of each element a register read returned, or null when some value has no source. */
export function readSources(
  rk: RegisterKey | undefined,
  read: Op,
  opts: CheckOptions,
): (readonly Source[])[] | null {
  const v = read.result;
  // an ok read that carries no value tells nothing; nil under nilRead 'any' matches anything
  if (v === undefined || (v === null && opts.nilRead === 'any')) return null;
  const initial = initialValue(opts);
  const out = elementsOf(v, initial).map((e) => sourcesOf(rk, e, initial));
  return out.some((s) => s.length === 0) ? null : out;
}

/** "returned 300, written by write op 7 (value 300) (acknowledged at 1.001 s)" */
export function returnedText(read: Op, sources: (readonly Source[])[]): string {
  const ops = sourceOps(sources.flat());
  const origin =
    ops.length === 0
      ? 'the initial value'
      : ops.map((o) => `${opRef(o)}${o.type === 'ok' ? ` (acknowledged at ${sec(o.complete_t ?? 0)})` : ''}`).join(', ');
  return `returned ${show(read.result)} at ${sec(read.complete_t ?? read.invoke_t)}, ${ops.length === 0 ? 'which is' : 'written by'} ${origin}`;
}

function registerStale(h: History, opts: CheckOptions, add: Collector['add']): void {
  const regs = registerKeys(h);
  for (const r of h.ops) {
    if (!isRead(r.f) || r.type !== 'ok') continue;
    const rk = regs.get(r.key);
    if (rk && !rk.judgeable) continue;
    const sources = readSources(rk, r, opts);
    if (!sources) continue;
    const w = latestAckedBefore(rk, r.invoke_t);
    if (!w || !(maxHorizon(sources) < w.invoke_t)) continue;
    add(() => staleWitness(r, w, sources), r.row);
  }
}

/** The witness of a stale register read `r`: `w` was acknowledged before it began, `sources` wrote what it returned. */
export function staleWitness(r: Op, w: Op, sources: (readonly Source[])[]): Witness {
  const xs = sourceOps(sources.flat());
  return {
    ops: [r.id, w.id, ...xs.map((o) => o.id)],
    key: r.key,
    clients: [r.client, w.client, ...xs.map((o) => o.client)],
    nodes: [r.node, w.node, ...xs.map((o) => o.node)],
    times_us: [r.complete_t ?? r.invoke_t, w.complete_t ?? 0, ...xs.map((o) => o.complete_t ?? o.invoke_t)],
    explanation:
      `${readRef(r)} ${returnedText(r, sources)}, although ` +
      `${opRef(w)} was acknowledged at ${sec(w.complete_t ?? 0)}, before the read began at ${sec(r.invoke_t)}`,
  };
}

/** Adds of a key, or null when some delta is negative (then reads need not grow). */
export function nonNegativeAdds(ops: Op[]): Op[] | null {
  const adds = ops.filter((o) => o.f === 'add' && o.type !== 'fail');
  return adds.some((o) => (numberField(o.value, 'delta', 'value') ?? 0) < 0) ? null : adds;
}

export function deltaOf(o: Op): number {
  return numberField(o.value, 'delta', 'value') ?? 0;
}

function counterStale(h: History, opts: CheckOptions, add: (make: () => Witness) => void, skipped: string[]): void {
  const initial = numberField(initialValue(opts)) ?? 0;
  for (const [key, ops] of groupBy(h.ops, (o) => o.key)) {
    const adds = nonNegativeAdds(ops);
    if (!adds) {
      skipped.push(key);
      continue;
    }
    const okByAck = adds
      .filter((o) => o.type === 'ok')
      .sort((a, b) => (a.complete_t ?? 0) - (b.complete_t ?? 0) || a.id - b.id);
    // reads in invocation order: the acknowledged prefix only grows
    let floor = initial;
    let last: Op | undefined;
    let i = 0;
    for (const r of ops) {
      if (!isRead(r.f) || r.type !== 'ok') continue;
      while (i < okByAck.length && ((okByAck[i] as Op).complete_t ?? 0) < r.invoke_t) {
        last = okByAck[i++] as Op;
        floor += deltaOf(last);
      }
      const got = numberField(r.result);
      if (got === null || !last || got >= floor) continue;
      const lastOp = last;
      add(() => ({
        ops: [r.id, lastOp.id],
        key,
        clients: [r.client, lastOp.client],
        nodes: [r.node, lastOp.node],
        times_us: [r.complete_t ?? 0, lastOp.complete_t ?? 0],
        explanation:
          `${readRef(r)} returned ${got} at ${sec(r.complete_t ?? 0)} although ` +
          `acknowledged adds had brought it to at least ${floor} before the read began at ${sec(r.invoke_t)} ` +
          `(the latest, ${opRef(lastOp)}, acknowledged at ${sec(lastOp.complete_t ?? 0)})`,
        details: { expected_at_least: floor },
      }));
    }
  }
}

/**
 * First element a set read misses although its add (among `addsByAck`) was acknowledged
 * before `before`, when no remove of it was invoked before the read completed.
 */
export function missingFrom(
  read: Op,
  addsByAck: Op[],
  firstRemove: Map<string, number>,
  before: number,
): Op | undefined {
  const done = read.complete_t ?? Infinity;
  let held: Set<string> | undefined;
  for (const a of addsByAck) {
    if ((a.complete_t ?? 0) >= before) break;
    const e = valueKey(a.value);
    if ((firstRemove.get(e) ?? Infinity) < done) continue;
    held ??= new Set((Array.isArray(read.result) ? read.result : []).map((x) => valueKey(x)));
    if (!held.has(e)) return a;
  }
  return undefined;
}

export interface SetKeyOps {
  addsByAck: Op[];
  /** element → earliest invoke of a remove of it that may have taken effect */
  firstRemove: Map<string, number>;
  reads: Op[];
}

export function setKeys(h: History): Map<string, SetKeyOps> {
  const out = new Map<string, SetKeyOps>();
  for (const [key, ops] of groupBy(h.ops, (o) => o.key)) {
    const firstRemove = new Map<string, number>();
    for (const o of ops) {
      if (o.f !== 'remove' || o.type === 'fail') continue;
      const e = valueKey(o.value);
      firstRemove.set(e, Math.min(o.invoke_t, firstRemove.get(e) ?? Infinity));
    }
    out.set(key, {
      addsByAck: ops
        .filter((o) => o.f === 'add' && o.type === 'ok')
        .sort((a, b) => (a.complete_t ?? 0) - (b.complete_t ?? 0) || a.id - b.id),
      firstRemove,
      reads: ops.filter((o) => isRead(o.f) && o.type === 'ok' && Array.isArray(o.result)),
    });
  }
  return out;
}

function setStale(h: History, add: (make: () => Witness) => void): void {
  for (const [key, s] of setKeys(h)) {
    for (const r of s.reads) {
      const a = missingFrom(r, s.addsByAck, s.firstRemove, r.invoke_t);
      if (!a) continue;
      add(() => ({
        ops: [r.id, a.id],
        key,
        clients: [r.client, a.client],
        nodes: [r.node, a.node],
        times_us: [r.complete_t ?? 0, a.complete_t ?? 0],
        explanation:
          `${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? 0)}, ` +
          `without ${show(a.value)}, although ${opRef(a)} was acknowledged at ${sec(a.complete_t ?? 0)}, ` +
          `before the read began at ${sec(r.invoke_t)}`,
      }));
    }
  }
}
