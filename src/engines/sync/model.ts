/**
 * The workload models as the sync engine stores them. Because every copy is locked while a
 * transaction runs, an operation is evaluated once, at the coordinator, against the newest
 * prepared copy; the resulting full state is what commits everywhere.
 */
import type { Value } from '../../history/types.js';
import type { WorkloadModel } from '../../scenario/types.js';
import type { ClientRequest } from '../engine.js';

import { INITIAL_STOCK } from '../../workload/ops.js';
import { initialModelValue } from '../model.js';

export function initialState(model: WorkloadModel): Value {
  return initialModelValue(model);
}

/** What a read returns and what `apply`/`final` records show. */
export function visible(model: WorkloadModel, state: Value): Value {
  if (model === 'inventory') return stockOf(state);
  return state;
}

export function isRead(req: ClientRequest): boolean {
  return req.f === 'read' || req.f === 'get';
}

export type Evaluation = { ok: true; state: Value; result?: Value } | { ok: false; error: string };

/** Applies a mutating operation to the current state; an error means the txn aborts (client `fail`). */
export function evaluate(model: WorkloadModel, req: ClientRequest, current: Value): Evaluation {
  const v = req.value;
  switch (model) {
    case 'register': {
      if (req.f === 'write' || req.f === 'put') return { ok: true, state: v ?? null, result: v ?? null };
      if (req.f === 'cas') {
        if (!Array.isArray(v) || v.length !== 2) return { ok: false, error: 'bad-request' };
        const [expected, next] = v as [Value, Value];
        if (!sameValue(current, expected)) return { ok: false, error: 'cas-mismatch' };
        return { ok: true, state: next, result: [expected, next] };
      }
      return { ok: false, error: `unsupported-op ${req.f}` };
    }
    case 'counter': {
      if (req.f !== 'add' || typeof v !== 'number') return { ok: false, error: `unsupported-op ${req.f}` };
      return { ok: true, state: asNumber(current) + v };
    }
    case 'set': {
      if (typeof v !== 'number') return { ok: false, error: 'bad-request' };
      const s = Array.isArray(current) ? (current as number[]) : [];
      if (req.f === 'add') return { ok: true, state: [...new Set([...s, v])].sort((a, b) => a - b) };
      if (req.f === 'remove') return { ok: true, state: s.filter((x) => x !== v) };
      return { ok: false, error: `unsupported-op ${req.f}` };
    }
    case 'inventory': {
      const stock = stockOf(current);
      const orders = ordersOf(current);
      if (req.f === 'restock' && typeof v === 'number') return { ok: true, state: { stock: stock + v, orders } };
      if (req.f === 'reserve' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const qty = typeof v.qty === 'number' ? v.qty : 1;
        const order = String(v.order ?? '');
        // idempotent: a retried reservation with the same order key is not applied twice
        if (order && orders.includes(order)) return { ok: true, state: current, result: { remaining: stock } };
        if (stock < qty) return { ok: false, error: 'out-of-stock' };
        const next = order ? [...orders, order].sort() : orders;
        return { ok: true, state: { stock: stock - qty, orders: next }, result: { remaining: stock - qty } };
      }
      return { ok: false, error: `unsupported-op ${req.f}` };
    }
    default: {
      const never: never = model;
      return never;
    }
  }
}

function asNumber(v: Value): number {
  return typeof v === 'number' ? v : 0;
}

function stockOf(v: Value): number {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.stock === 'number') return v.stock;
  return INITIAL_STOCK;
}

function ordersOf(v: Value): string[] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.orders)) {
    return v.orders.map(String);
  }
  return [];
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
