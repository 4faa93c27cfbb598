/**
 * Operations on a key's WHOLE value, for the rules that replicate whole values (LWW and
 * version vectors): a counter is one integer, a set one sorted array, an inventory one
 * `{ stock, orders }` record. A write replaces the whole value, which is exactly why a counter
 * under LWW loses concurrent increments: each side writes "my total", and one total wins.
 */
import type { Value } from '../../history/types.js';
import type { ClientRequest, OpResult } from '../engine.js';
import type { WorkloadModel } from '../../scenario/types.js';

import { initialModelValue } from '../model.js';

/** An inventory key's whole value: the stock and the orders (idempotency keys) applied. */
export interface InventoryWhole {
  stock: number;
  orders: string[];
}

export type Whole = Value | InventoryWhole;

/** What one operation does to a whole value. */
export type WholeOutcome =
  | { type: 'read'; value: Value }
  | { type: 'write'; next: Whole; reply: Value }
  | { type: 'noop'; result: OpResult }
  | { type: 'fail'; error: string };

export function initialWhole(model: WorkloadModel): Whole {
  return initialModelValue(model) as Whole;
}

/** What a read returns for a whole value. */
export function visibleWhole(model: WorkloadModel, w: Whole): Value {
  return model === 'inventory' ? (w as InventoryWhole).stock : (w as Value);
}

/** Structural equality of history values (numbers, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return sameValue(ka, kb) && ka.every((k) => sameValue((a as never)[k], (b as never)[k]));
  }
  return false;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A reserve request's `{ qty, order }`, or undefined when malformed. */
export function reserveArgs(v: unknown): { qty: number; order: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const qty = num(r.qty);
  if (qty === undefined || qty < 0) return undefined;
  return { qty, order: r.order === undefined ? '' : String(r.order) };
}

/** Applies `req` to the current whole value `cur` at this replica. */
export function wholeOp(model: WorkloadModel, cur: Whole, req: ClientRequest): WholeOutcome {
  const bad = (): WholeOutcome => ({ type: 'fail', error: `bad-request: ${req.f} on ${model}` });
  if (req.f === 'read') return { type: 'read', value: visibleWhole(model, cur) };
  switch (model) {
    case 'register': {
      if (req.f === 'write') return { type: 'write', next: req.value ?? null, reply: req.value ?? null };
      if (req.f === 'cas') {
        const v = req.value;
        if (!Array.isArray(v) || v.length !== 2) return bad();
        const [expected, next] = v as [Value, Value];
        if (!sameValue(cur, expected)) return { type: 'fail', error: 'cas-mismatch' };
        return { type: 'write', next, reply: v };
      }
      return bad();
    }
    case 'counter': {
      const d = num(req.value);
      if (req.f !== 'add' || d === undefined) return bad();
      return { type: 'write', next: (num(cur) ?? 0) + d, reply: d };
    }
    case 'set': {
      const arr = Array.isArray(cur) ? (cur as number[]) : [];
      if (req.f === 'add') {
        const e = req.value as number;
        const next = arr.includes(e) ? arr : [...arr, e].sort((a, b) => a - b);
        return { type: 'write', next, reply: req.value ?? null };
      }
      if (req.f === 'remove') return { type: 'write', next: arr.filter((x) => x !== req.value), reply: req.value ?? null };
      return bad();
    }
    case 'inventory': {
      const inv = cur as InventoryWhole;
      if (req.f === 'restock') {
        const q = num(req.value);
        if (q === undefined || q < 0) return bad();
        return { type: 'write', next: { stock: inv.stock + q, orders: inv.orders }, reply: q };
      }
      if (req.f === 'reserve') {
        const a = reserveArgs(req.value);
        if (!a) return bad();
        // Idempotency: an order this replica has already applied is acknowledged, not re-applied.
        if (a.order && inv.orders.includes(a.order)) return { type: 'noop', result: { type: 'ok', value: { remaining: inv.stock } } };
        if (inv.stock < a.qty) return { type: 'fail', error: 'out-of-stock' };
        const orders = a.order ? [...inv.orders, a.order] : inv.orders;
        return { type: 'write', next: { stock: inv.stock - a.qty, orders }, reply: null };
      }
      return bad();
    }
    default: {
      const never: never = model;
      throw new Error(`unknown model ${String(never)}`);
    }
  }
}
