/**
 * Phantom set elements (an `invariant` rule): an element in a set read, or in a replica's
 * final set, that no add could have written — not in the initial set, and no add of it
 * (ok, info, open or failed) invoked before the read completed (any add at all, for a final
 * set). An element whose only adds failed is an `aborted_read` instead (aborted-read.ts).
 * Only a broken engine (a tombstone resurrecting garbage, a value from another key) makes one.
 */
import type { Value } from '../history/types.js';
import type { CheckOptions, Witness } from './types.js';
import { finalViews, hasFinals } from './final-state.js';
import { list, readRef, sec, show } from './explain.js';
import { initialValue } from './model.js';
import { isRead, type History } from './ops.js';
import { elementKey } from './set-duplicates.js';

/** One witness per ok read or final replica view of a set key holding an element nobody added. */
export function phantomElements(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  if (opts.model !== 'set') return;
  const init = initialValue(opts);
  const initial = new Set((Array.isArray(init) ? init : []).map((x) => elementKey(x)));
  // element → earliest invoke of any add of it
  const firstAdd = new Map<number | string, number>();
  for (const o of h.ops) {
    if (o.f !== 'add' || o.value === undefined) continue;
    const k = elementKey(o.value);
    const t = firstAdd.get(k);
    if (t === undefined || o.invoke_t < t) firstAdd.set(k, o.invoke_t);
  }
  const phantoms = (v: Value | undefined, until: number): Value[] => {
    if (!Array.isArray(v)) return [];
    const out: Value[] = [];
    for (const x of v) {
      const k = elementKey(x);
      if (initial.has(k)) continue;
      const t = firstAdd.get(k);
      if ((t === undefined || t > until) && !out.some((y) => elementKey(y) === k)) out.push(x);
    }
    return out;
  };
  for (const r of h.ops) {
    if (!isRead(r.f) || r.type !== 'ok') continue;
    const at = r.complete_t ?? r.invoke_t;
    const ph = phantoms(r.result, at);
    if (ph.length === 0) continue;
    add({
      ops: [r.id],
      key: r.key,
      clients: [r.client],
      nodes: [r.node],
      times_us: [at],
      explanation:
        `phantom element: ${readRef(r)} returned ${show(r.result)} at ${sec(at)}, with ${show(ph)} that no add ` +
        `invoked before it wrote`,
      details: { phantoms: ph },
    });
  }
  const key = h.key ?? h.ops[0]?.key ?? h.finals[0]?.key;
  if (key === undefined || !hasFinals(h)) return;
  for (const view of finalViews(h, key, [])) {
    const ph = phantoms(view.value, Infinity);
    if (ph.length === 0 || view.nodes.length === 0) continue;
    add({
      ops: [],
      key,
      nodes: view.nodes,
      explanation: `phantom element: after settle ${key} holds ${show(view.value)} at ${list(view.nodes)}, with ${show(ph)} that no add wrote`,
      details: { final: view.value ?? null, replicas: view.nodes, phantoms: ph },
    });
  }
}
