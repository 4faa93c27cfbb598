/**
 * Which operations each workload model has, their default mix, and what a scripted
 * operation's `value` must look like. Shared by the schema and the workload generator.
 */
import type { WorkloadModel } from './types.js';

export const WORKLOAD_MODELS = ['register', 'counter', 'set', 'inventory'] as const satisfies readonly WorkloadModel[];

/** Operations per model, for `mix` and `script`. */
export const MODEL_OPS: Readonly<Record<WorkloadModel, readonly string[]>> = {
  register: ['read', 'write', 'cas'],
  counter: ['read', 'add'],
  set: ['read', 'add', 'remove'],
  inventory: ['read', 'reserve', 'restock'],
};

/** The mix used when a scenario gives none. */
export function defaultMix(model: WorkloadModel): Record<string, number> {
  switch (model) {
    case 'register':
      return { read: 0.5, write: 0.5 };
    case 'counter':
      return { read: 0.5, add: 0.5 };
    case 'set':
      return { read: 0.5, add: 0.5 };
    case 'inventory':
      return { read: 0.4, reserve: 0.5, restock: 0.1 };
    default: {
      const never: never = model;
      return never;
    }
  }
}

type ValueResult = { ok: true; value?: unknown } | { ok: false; error: string };

function isScalar(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

/**
 * Checks (and normalises) a scripted op's value. `cas` takes `[old, new]`; inventory
 * `reserve` takes a quantity or `{ qty, order? }` and is normalised to `{ qty, order? }`;
 * `restock` a quantity; counter `add` an integer; `read` nothing.
 */
export function checkScriptValue(model: WorkloadModel, op: string, value: unknown): ValueResult {
  if (op === 'read') {
    return value === undefined ? { ok: true } : { ok: false, error: 'a read takes no value' };
  }
  if (value === undefined) return { ok: false, error: `"${op}" needs a value` };
  switch (model) {
    case 'register':
      if (op === 'write') return isScalar(value) ? { ok: true, value } : { ok: false, error: 'a write takes a string or a number' };
      if (op === 'cas') {
        return Array.isArray(value) && value.length === 2 && value.every(isScalar)
          ? { ok: true, value }
          : { ok: false, error: 'cas takes [old, new], e.g. [300, 500]' };
      }
      break;
    case 'counter':
      if (op === 'add') {
        return typeof value === 'number' && Number.isSafeInteger(value)
          ? { ok: true, value }
          : { ok: false, error: 'add takes an integer' };
      }
      break;
    case 'set':
      if (op === 'add' || op === 'remove') {
        return isScalar(value) ? { ok: true, value } : { ok: false, error: `${op} takes a string or a number` };
      }
      break;
    case 'inventory':
      if (op === 'restock') return isPositiveInt(value) ? { ok: true, value } : { ok: false, error: 'restock takes a positive integer' };
      if (op === 'reserve') return reserveValue(value);
      break;
    default: {
      const never: never = model;
      return never;
    }
  }
  return { ok: false, error: `"${op}" is not an operation of the ${model} model` };
}

function reserveValue(value: unknown): ValueResult {
  if (isPositiveInt(value)) return { ok: true, value: { qty: value } };
  const bad: ValueResult = { ok: false, error: 'reserve takes a positive integer or { qty, order? }' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad;
  const o = value as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'qty' && k !== 'order');
  if (extra.length > 0 || !isPositiveInt(o.qty)) return bad;
  if (o.order === undefined) return { ok: true, value: { qty: o.qty } };
  if (!isScalar(o.order)) return { ok: false, error: 'reserve order must be a string or a number' };
  return { ok: true, value: { qty: o.qty, order: o.order } };
}
