/**
 * A superseded sibling reappearing (an `invariant` rule, version-vector registers).
 *
 * How causality shows in a history: a version-vector replica tags each write with its own
 * context (every version it has seen), and the write supersedes exactly those versions. A
 * client sees what its node holds, so write W2 is *based on* value v1 when, before W2 was
 * invoked, the same client at the same node had an ok op that showed v1 — its own write of
 * v1, or a read returning v1 alone or among siblings — with no crash of that node in between
 * (a crash may lose the node's context). "Based on" is transitive: W2 based on v1, W3 based
 * on v2, then W3 supersedes v1 too.
 *
 * The rule: an ok read that returns both v2 (so its replica had W2) and v1, where W2 — based
 * on v1 — had been acknowledged before the read began. A correct replica drops v1 when W2
 * arrives and ignores v1 arriving later (its context covers it). A read returning v1 alone
 * after W2's ack may just come from a replica W2 has not reached yet (a stale read, counted
 * there), so it is not judged here. Assumes each op is served by the node it names (reads
 * `local`); values are the writes' values, unique per key (a value written twice is skipped).
 */
import type { FaultRecord, Value } from '../history/types.js';
import type { CheckOptions, Witness } from './types.js';
import { opRef, readRef, sec, show } from './explain.js';
import { writtenValue } from './aborted-read.js';
import { isRead, valueKey, type History, type Op } from './ops.js';

/** Crash times per node (faults that may lose a node's memory). */
function crashTimes(faults: readonly FaultRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of faults) {
    if (f.fault !== 'crash' || f['lose_volatile'] === false) continue;
    const nodes = Array.isArray(f['nodes']) ? (f['nodes'] as unknown[]) : [f['target']];
    for (const n of nodes) {
      if (typeof n !== 'string') continue;
      const l = out.get(n);
      if (l) l.push(f.t);
      else out.set(n, [f.t]);
    }
  }
  return out;
}

function elements(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * One witness per ok read returning a value together with a later write's value that
 * superseded it. Returns whether the rule applied: some read of the key returned siblings.
 */
export function supersededSiblings(h: History, opts: CheckOptions, add: (w: Witness) => void): boolean {
  if (opts.model !== 'register' && opts.model !== 'cas-register') return false;
  const reads = h.ops.filter((o) => isRead(o.f) && o.type === 'ok' && Array.isArray(o.result) && o.result.length >= 2);
  if (reads.length === 0) return false;
  // the one ok writer of each value (values written twice are ambiguous: skipped)
  const writer = new Map<string, Op | null>();
  for (const o of h.ops) {
    const v = writtenValue(o);
    if (v === undefined || o.type === 'fail') continue;
    const k = valueKey(v);
    writer.set(k, writer.has(k) || o.type !== 'ok' ? null : o);
  }
  const crashes = crashTimes(h.faults);
  const crashedBetween = (node: string, a: number, b: number): boolean =>
    (crashes.get(node) ?? []).some((t) => t > a && t < b);
  // what each ok write supersedes (value keys), transitively: the values its client had seen
  // at its node before invoking it, and what the writes of those values superseded. Writes in
  // invocation order, so a write's basis writes (completed before it began) come first.
  const supersededBy = new Map<Op, Set<string>>();
  const byClient = new Map<string, Op[]>();
  for (const o of h.ops) {
    const g = `${o.client}\u0000${o.node}`;
    const l = byClient.get(g);
    if (l) l.push(o);
    else byClient.set(g, [o]);
  }
  for (const w of h.ops) {
    if (w.type !== 'ok' || writtenValue(w) === undefined) continue;
    const group = byClient.get(`${w.client}\u0000${w.node}`) ?? [];
    const ctx = new Set<string>();
    for (const o of group) {
      if (o === w || o.type !== 'ok' || (o.complete_t ?? Infinity) >= w.invoke_t) continue;
      if (crashedBetween(w.node, o.complete_t ?? 0, w.invoke_t)) continue;
      for (const v of isRead(o.f) ? elements(o.result) : elements(writtenValue(o))) {
        const k = valueKey(v);
        ctx.add(k);
        const w1 = writer.get(k);
        for (const x of (w1 && supersededBy.get(w1)) ?? []) ctx.add(x);
      }
    }
    ctx.delete(valueKey(writtenValue(w) ?? null));
    supersededBy.set(w, ctx);
  }
  const supersedes = (w: Op, v1: string): boolean => supersededBy.get(w)?.has(v1) ?? false;
  for (const r of reads) {
    const vals = elements(r.result);
    let found: { old: Value; w2: Op } | undefined;
    for (const v2 of vals) {
      const w2 = writer.get(valueKey(v2));
      if (!w2 || (w2.complete_t ?? Infinity) >= r.invoke_t) continue;
      const old = vals.find((v1) => valueKey(v1) !== valueKey(v2) && supersedes(w2, valueKey(v1)));
      if (old !== undefined) {
        found = { old, w2 };
        break;
      }
    }
    if (!found) continue;
    const { old, w2 } = found;
    const w1 = writer.get(valueKey(old));
    add({
      ops: [r.id, w2.id, ...(w1 ? [w1.id] : [])],
      key: r.key,
      clients: [r.client, w2.client],
      nodes: [r.node, w2.node],
      times_us: [r.complete_t ?? r.invoke_t, w2.complete_t ?? w2.invoke_t],
      explanation:
        `superseded sibling: ${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? r.invoke_t)}, ` +
        `with ${show(old)} beside ${show(writtenValue(w2))} although ${opRef(w2)} at ${w2.node}, acknowledged at ` +
        `${sec(w2.complete_t ?? w2.invoke_t)}, was made after ${w2.client} had seen ${show(old)} and so replaced it`,
      details: { superseded: old, by: w2.id },
    });
  }
  return true;
}
