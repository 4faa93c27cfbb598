/**
 * Small text helpers for witness sentences. The checker keeps its own formatting (it imports
 * nothing from src/sim) so that a bug there cannot change what the checker says.
 */
import type { Value } from '../history/types.js';
import type { Op } from './ops.js';
import type { Witness } from './types.js';

/** Witnesses kept per family; counts stay exact. */
export const MAX_WITNESSES = 20;

/**
 * Counts every instance but builds only the first MAX_WITNESSES witnesses (sentences cost).
 * `orders[i]` is where witness i falls in the family's order over the whole history, so that
 * per-key collectors can be merged into the one a whole-history pass would have filled.
 */
export interface Collector {
  count: number;
  witnesses: Witness[];
  orders: Array<number | string>;
  add: (make: () => Witness, order?: number | string) => void;
  /** a lazy collector's witness makers (its `witnesses` stay empty): `mergeCollectors` makes the kept ones */
  makers?: Array<() => Witness>;
}

export function collector(): Collector {
  const c: Collector = {
    count: 0,
    witnesses: [],
    orders: [],
    add: (make, order = 0) => {
      c.count++;
      if (c.witnesses.length < MAX_WITNESSES) {
        c.witnesses.push(make());
        c.orders.push(order);
      }
    },
  };
  return c;
}

/**
 * A collector that keeps how to make its first MAX_WITNESSES witnesses instead of making
 * them: per-key collectors merged over a thousand keys would otherwise make twenty sentences
 * per key and keep twenty in all. Its makers must not depend on state that changes later.
 */
export function lazyCollector(): Collector {
  const makers: Array<() => Witness> = [];
  const c: Collector = {
    count: 0,
    witnesses: [],
    orders: [],
    makers,
    add: (make, order = 0) => {
      c.count++;
      if (makers.length < MAX_WITNESSES) {
        makers.push(make);
        c.orders.push(order);
      }
    },
  };
  return c;
}

/**
 * Merges collectors (given in key order) into one: counts add up; the witnesses kept are the
 * first MAX_WITNESSES by `order`, ties in the order given.
 */
export function mergeCollectors(parts: readonly Collector[]): Collector {
  const all: Array<{ w: Witness | (() => Witness); o: number | string; i: number }> = [];
  let count = 0;
  for (const p of parts) {
    count += p.count;
    (p.makers ?? p.witnesses).forEach((w, j) => all.push({ w, o: p.orders[j] ?? 0, i: all.length }));
  }
  all.sort((a, b) => (a.o < b.o ? -1 : a.o > b.o ? 1 : a.i - b.i));
  const out = collector();
  out.count = count;
  for (const x of all.slice(0, MAX_WITNESSES)) {
    out.witnesses.push(typeof x.w === 'function' ? x.w() : x.w);
    out.orders.push(x.o);
  }
  return out;
}

/** Seconds with millisecond precision: `20.001 s`. */
export function sec(t_us: number): string {
  return `${(t_us / 1_000_000).toFixed(3)} s`;
}

/** A value as a learner reads it: `300`, `"abc"`, `[300, 500]`, `no value`. */
export function show(v: Value | undefined): string {
  if (v === undefined || v === null) return 'no value';
  if (Array.isArray(v)) return `[${v.map((x) => show(x)).join(', ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${k}: ${show(v[k])}`).join(', ')}}`;
  }
  // JSON writes Infinity as null ("no value"); the CLI refuses such values, the API keeps them
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v);
}

/** `write op 40 (value 500)`, `add op 7 (value 2)`, `read op 9`. */
export function opRef(op: Op): string {
  if (op.value === undefined) return `${op.f} op ${op.id}`;
  return `${op.f} op ${op.id} (value ${show(op.value)})`;
}

/** `acknowledged at 3.200 s`, `timed out (info) at 4.000 s`, `still open at the end`. */
export function outcome(op: Op): string {
  switch (op.type) {
    case 'ok':
      return `acknowledged at ${sec(op.complete_t ?? op.invoke_t)}`;
    case 'fail':
      return `failed at ${sec(op.complete_t ?? op.invoke_t)}`;
    case 'info':
      return `ended with unknown outcome at ${sec(op.complete_t ?? op.invoke_t)}`;
    case 'open':
      return 'still open at the end';
    default: {
      const never: never = op.type;
      return String(never);
    }
  }
}

/** `a, b and c` */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Nodes for a sentence: all of them when few, else the first three and how many more. */
export function nodesText(nodes: string[]): string {
  if (nodes.length <= 4) return list(nodes);
  return `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`;
}

/** `read op 9 of balance at us-east/0` (imported single-register histories have no key name) */
export function readRef(r: Op): string {
  return `${r.f} op ${r.id}${r.key === '' ? '' : ` of ${r.key}`} at ${r.node}`;
}
