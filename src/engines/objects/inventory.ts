/**
 * Inventory: a stock level and the orders (idempotency keys) already applied.
 * - `restock q` (q a positive integer) adds q and answers q.
 * - `reserve { qty, order? }` (qty a positive integer; order a string or a number, `7` and
 *   `"7"` being different orders, as in the checker) takes qty when the stock has it, else
 *   fails `out-of-stock`. It answers `{ remaining, stock_before, version? }`: the stock left,
 *   the stock the decision saw and, when the engine names its states, the version of that
 *   stock (CHECKING.md's lost-update rule (a): two acknowledged reservations based on the
 *   same version). A repeated order is acknowledged, changes nothing and answers
 *   `{ remaining, repeat: true }` (no decision was taken on the stock).
 * - `read` returns the stock.
 */
import type { Value } from '../../history/types.js';
import { INITIAL_STOCK } from '../../workload/ops.js';
import { badRequest, type Step } from './step.js';
import { canonText, positiveInt } from './value.js';

/** A type (not an interface) so that it is a JSON `Value` and can travel in messages. */
export type InventoryState = {
  stock: number;
  /** the applied orders' canonical texts, sorted */
  orders: string[];
};

export const inventoryInitial = (): InventoryState => ({ stock: INITIAL_STOCK, orders: [] });

/** A reservation's arguments: its quantity and its order's key ('' for none), or an error. */
export function reserveArgs(v: Value | undefined): { qty: number; order: string } | { error: string } {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return { error: 'reserve takes { qty, order? }' };
  const qty = positiveInt(v['qty']);
  if (qty === undefined) return { error: 'reserve qty must be a positive integer' };
  const o = v['order'];
  if (o === undefined || o === null || o === '') return { qty, order: '' };
  if (typeof o !== 'string' && !(typeof o === 'number' && Number.isFinite(o))) return { error: 'reserve order must be a string or a number' };
  return { qty, order: canonText(o) };
}

/** The ok value of a reservation that took `qty` from `stock_before`. */
export function reservation(stock_before: number, qty: number, version?: string): Value {
  const out: Record<string, Value> = { remaining: stock_before - qty, stock_before };
  if (version !== undefined) out.version = version;
  return out;
}

export function inventoryStep(cur: InventoryState, f: string, v: Value | undefined, version?: string): Step<InventoryState> {
  switch (f) {
    case 'read':
      return { type: 'read', value: cur.stock };
    case 'restock': {
      const q = positiveInt(v);
      if (q === undefined) return badRequest('restock takes a positive integer');
      return { type: 'write', next: { stock: cur.stock + q, orders: cur.orders }, result: q };
    }
    case 'reserve': {
      const a = reserveArgs(v);
      if ('error' in a) return badRequest(a.error);
      if (a.order !== '' && cur.orders.includes(a.order)) return { type: 'same', result: { remaining: cur.stock, repeat: true } };
      if (cur.stock < a.qty) return { type: 'fail', error: 'out-of-stock' };
      const orders = a.order === '' ? cur.orders : [...cur.orders, a.order].sort();
      return { type: 'write', next: { stock: cur.stock - a.qty, orders }, result: reservation(cur.stock, a.qty, version) };
    }
    default:
      return badRequest(`${f} is not an inventory operation`);
  }
}
