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

/**
 * What each ok write supersedes, transitively: the values its client had been shown at its
 * node before invoking it (since that node's last crash), and what the writes of those values
 * superseded. A client's context only grows between crashes, so each (client, node) keeps one
 * growing map value → the order it joined, and a write is a position in it: no copy per write.
 * Writes are taken in invocation order, so a write's basis writes (completed before it began)
 * have their position already.
 */
function contexts(
  ops: readonly Op[],
  writer: Map<string, Op | null>,
  crashes: Map<string, number[]>,
): (w: Op, v1: string) => boolean {
  interface Ctx {
    /** value → its position in the order values joined */
    joined: Map<string, number>;
    /** writes whose context was merged in (each once) */
    merged: Set<Op>;
  }
  interface Group {
    /** the group's ok ops by completion time */
    done: Op[];
    next: number;
    ctx: Ctx;
    /** the crash the context starts after */
    since: number;
  }
  const at = new Map<Op, { ctx: Ctx; upTo: number }>();
  const groups = new Map<string, Group>();
  for (const o of ops) {
    if (o.type !== 'ok') continue;
    const g = `${o.client}\u0000${o.node}`;
    let x = groups.get(g);
    if (!x) groups.set(g, (x = { done: [], next: 0, ctx: { joined: new Map(), merged: new Set() }, since: -Infinity }));
    x.done.push(o);
  }
  for (const x of groups.values()) x.done.sort((p, q) => (p.complete_t ?? 0) - (q.complete_t ?? 0));
  const join = (ctx: Ctx, k: string): void => {
    if (!ctx.joined.has(k)) ctx.joined.set(k, ctx.joined.size);
  };
  for (const w of ops) {
    if (w.type !== 'ok' || writtenValue(w) === undefined) continue;
    const x = groups.get(`${w.client}\u0000${w.node}`) as Group;
    let lastCrash = -Infinity;
    for (const t of crashes.get(w.node) ?? []) if (t < w.invoke_t && t > lastCrash) lastCrash = t;
    if (lastCrash > x.since) {
      // the node may have lost its context: start again from what it showed after the crash
      x.ctx = { joined: new Map(), merged: new Set() };
      x.since = lastCrash;
    }
    for (; x.next < x.done.length; x.next++) {
      const o = x.done[x.next] as Op;
      if ((o.complete_t ?? Infinity) >= w.invoke_t) break;
      if ((o.complete_t ?? 0) <= x.since) continue;
      for (const v of isRead(o.f) ? elements(o.result) : elements(writtenValue(o))) {
        const k = valueKey(v);
        join(x.ctx, k);
        const w1 = writer.get(k);
        const basis = w1 ? at.get(w1) : undefined;
        if (!w1 || !basis || x.ctx.merged.has(w1)) continue;
        x.ctx.merged.add(w1);
        for (const [v1, pos] of basis.ctx.joined) if (pos < basis.upTo) join(x.ctx, v1);
      }
    }
    at.set(w, { ctx: x.ctx, upTo: x.ctx.joined.size });
  }
  return (w, v1) => {
    const p = at.get(w);
    if (!p || valueKey(writtenValue(w) ?? null) === v1) return false;
    const pos = p.ctx.joined.get(v1);
    return pos !== undefined && pos < p.upTo;
  };
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
  const supersedes = contexts(h.ops, writer, crashTimes(h.faults));
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
