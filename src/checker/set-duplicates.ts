/**
 * Set reads with duplicates (an `invariant` rule): a set read returns each element once, so
 * a read listing an element twice (`[100, 100, 110]`) is a broken set, whatever the engine.
 * Porcupine's set model rejects such a read; the linearizability set model here treats it as
 * matching no set state (lin/models/set.ts), and this rule names the read.
 */
import type { Value } from '../history/types.js';
import type { CheckOptions, Witness } from './types.js';
import { readRef, sec, show } from './explain.js';
import { isRead, valueKey, type History } from './ops.js';

/**
 * An element's identity for maps and sets: the number itself for a number (no string made per
 * element: set reads list hundreds), else its canonical text. A number and a text never meet.
 */
export function elementKey(x: Value | undefined): number | string {
  return typeof x === 'number' ? x : valueKey(x);
}

/** The elements a set value lists more than once, in first-repeat order (empty when none). */
export function duplicateElements(v: Value | undefined): Value[] {
  if (!Array.isArray(v)) return [];
  const seen = new Set<number | string>();
  const twice = new Map<number | string, Value>();
  for (const x of v) {
    const k = elementKey(x);
    if (seen.has(k)) {
      if (!twice.has(k)) twice.set(k, x);
    } else seen.add(k);
  }
  return [...twice.values()];
}

/** One witness per ok read of a set key that lists an element twice. */
export function setDuplicates(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  if (opts.model !== 'set') return;
  for (const r of h.ops) {
    if (!isRead(r.f) || r.type !== 'ok') continue;
    const dup = duplicateElements(r.result);
    if (dup.length === 0) continue;
    add({
      ops: [r.id],
      key: r.key,
      clients: [r.client],
      nodes: [r.node],
      times_us: [r.complete_t ?? r.invoke_t],
      explanation:
        `set read with duplicates: ${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? r.invoke_t)}, ` +
        `listing ${show(dup)} more than once; a set holds each element once`,
      details: { duplicates: dup },
    });
  }
}
