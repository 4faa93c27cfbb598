/**
 * The replicated state machine of one range: the workload model's keys and their values,
 * plus what makes re-applied operations harmless (a request retried through a new leader can
 * land in the log twice; only its first apply counts, and both replies carry the same result).
 */
import type { OpFn, Value } from '../../history/types.js';
import type { OpResult } from '../engine.js';
import type { WorkloadModel } from '../../scenario/types.js';
import { initialModelValue } from '../model.js';
import { INITIAL_STOCK } from '../../workload/ops.js';

/** A write-like operation as it sits in the log. */
export interface LoggedOp {
  op: number;
  f: OpFn;
  key: string;
  value?: Value;
}

export interface RangeMachine {
  /** key → visible value (register value, counter total, sorted set array, stock) */
  values: Map<string, Value>;
  /** op id → the result of its first apply (dedupe of retried proposals) */
  results: Map<number, OpResult>;
  /** inventory order id → the result of its reservation (idempotency key) */
  orders: Map<string, OpResult>;
}

export function emptyMachine(): RangeMachine {
  return { values: new Map(), results: new Map(), orders: new Map() };
}

/** The visible value of `key`, including each model's initial value. */
export function readValue(m: RangeMachine, model: WorkloadModel, key: string): Value {
  const v = m.values.get(key);
  if (v !== undefined) return v;
  // An inventory key's visible value is its stock; the others show the model's initial value.
  return model === 'inventory' ? INITIAL_STOCK : initialModelValue(model);
}

/** True for operations that go through the log (everything but reads). */
export function isWrite(f: OpFn): boolean {
  return f !== 'read' && f !== 'get';
}

/**
 * Applies one logged operation. Returns its result and, when the key's visible value changed,
 * the new value (for `ctx.applied`). A repeated op id changes nothing and returns the first result.
 */
export function applyOp(
  m: RangeMachine,
  model: WorkloadModel,
  e: LoggedOp,
): { result: OpResult; changed?: Value; duplicate: boolean } {
  const prior = m.results.get(e.op);
  if (prior) return { result: prior, duplicate: true };
  const out = applyFresh(m, model, e);
  m.results.set(e.op, out.result);
  if (out.changed !== undefined) m.values.set(e.key, out.changed);
  return { ...out, duplicate: false };
}

function applyFresh(m: RangeMachine, model: WorkloadModel, e: LoggedOp): { result: OpResult; changed?: Value } {
  const cur = readValue(m, model, e.key);
  switch (e.f) {
    case 'write':
    case 'put':
      return { result: { type: 'ok', value: e.value ?? null }, changed: e.value ?? null };
    case 'cas': {
      const pair = Array.isArray(e.value) ? e.value : [];
      const [expected, next] = [pair[0] ?? null, pair[1] ?? null];
      if (!sameValue(cur, expected)) return { result: { type: 'fail', error: 'cas-mismatch' } };
      return { result: { type: 'ok', value: [expected, next] }, changed: next };
    }
    case 'add': {
      if (model === 'set') {
        const set = Array.isArray(cur) ? cur : [];
        if (set.some((x) => sameValue(x, e.value ?? null))) return { result: { type: 'ok', value: e.value ?? null } };
        return { result: { type: 'ok', value: e.value ?? null }, changed: sortValues([...set, e.value ?? null]) };
      }
      const delta = typeof e.value === 'number' ? e.value : 0;
      const total = (typeof cur === 'number' ? cur : 0) + delta;
      return { result: { type: 'ok', value: delta }, changed: total };
    }
    case 'remove': {
      const set = Array.isArray(cur) ? cur : [];
      const rest = set.filter((x) => !sameValue(x, e.value ?? null));
      if (rest.length === set.length) return { result: { type: 'ok', value: e.value ?? null } };
      return { result: { type: 'ok', value: e.value ?? null }, changed: rest };
    }
    case 'reserve': {
      const v = (e.value ?? {}) as { qty?: Value; order?: Value };
      const qty = typeof v.qty === 'number' ? v.qty : 1;
      const order = typeof v.order === 'string' ? v.order : undefined;
      if (order !== undefined) {
        const seen = m.orders.get(order);
        if (seen) return { result: seen };
      }
      const stock = typeof cur === 'number' ? cur : 0;
      if (stock < qty) return { result: { type: 'fail', error: 'out-of-stock' } };
      const result: OpResult = { type: 'ok', value: { remaining: stock - qty } };
      if (order !== undefined) m.orders.set(order, result);
      return { result, changed: stock - qty };
    }
    case 'restock': {
      const qty = typeof e.value === 'number' ? e.value : 0;
      const stock = (typeof cur === 'number' ? cur : 0) + qty;
      return { result: { type: 'ok', value: qty }, changed: stock };
    }
    case 'read':
    case 'get':
      return { result: { type: 'ok', value: cur } };
    case 'txn':
    case 'append':
      return { result: { type: 'fail', error: `unsupported-op ${e.f}` } };
    default: {
      const never: never = e.f;
      throw new Error(`unknown op ${String(never)}`);
    }
  }
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortValues(xs: Value[]): Value[] {
  return [...xs].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1,
  );
}
