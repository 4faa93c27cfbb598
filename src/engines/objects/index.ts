/**
 * The sequential semantics of each workload object, in one place for every engine (async
 * whole-value rules, sync, raft): what a key holds at first, what a read shows, and what one
 * operation does to a key's state and answers. An engine decides where and when an operation
 * runs; what it does is decided here. The checker keeps its own independent models (it may
 * not import engine code); test/engines/objects checks that both give the same replies.
 */
import type { Value } from '../../history/types.js';
import type { WorkloadModel } from '../../scenario/types.js';
import { counterInitial, counterStep, type CounterState } from './counter.js';
import { inventoryInitial, inventoryStep, type InventoryState } from './inventory.js';
import { registerInitial, registerStep, type RegisterState } from './register.js';
import { setInitial, setStep, type SetState } from './set.js';
import type { Step } from './step.js';
import { unknownModel } from './unknown.js';

export type { Step } from './step.js';
export type { InventoryState } from './inventory.js';
export { reservation, reserveArgs } from './inventory.js';
export { canonText, compareElements, sameValue } from './value.js';

/** A key's whole state under any model (every one is a JSON value, so it can travel in messages). */
export type ObjectState = RegisterState | CounterState | SetState | InventoryState;

/** What a key holds before anything was written to it. */
export function initialState(model: WorkloadModel): ObjectState {
  switch (model) {
    case 'register':
      return registerInitial();
    case 'counter':
      return counterInitial();
    case 'set':
      return setInitial();
    case 'inventory':
      return inventoryInitial();
    default:
      throw unknownModel(model);
  }
}

/** What a read returns and `apply`/`final` records show: an inventory shows its stock. */
export function visibleState(model: WorkloadModel, s: ObjectState): Value {
  return model === 'inventory' ? (s as InventoryState).stock : (s as Value);
}

/** Options of one step: `version` names the state the op runs on (for reservations' results). */
export interface StepOptions {
  version?: string;
}

/**
 * Applies operation `f` with argument `v` to state `s` (never mutated). Ops outside the
 * model (e.g. `put`, the kv model's, or a negative restock) fail with `bad-request`.
 */
export function stepObject(model: WorkloadModel, s: ObjectState, f: string, v: Value | undefined, opts: StepOptions = {}): Step<ObjectState> {
  switch (model) {
    case 'register':
      return registerStep(s as RegisterState, f, v);
    case 'counter':
      return counterStep(s as CounterState, f, v);
    case 'set':
      return setStep(s as SetState, f, v);
    case 'inventory':
      return inventoryStep(s as InventoryState, f, v, opts.version);
    default:
      throw unknownModel(model);
  }
}

/**
 * The whole state a restore rebuilds from a key's visible value (its `apply` record): the value
 * itself, except an inventory, whose applied orders (idempotency keys) its visible stock does
 * not show, so a restored inventory remembers none: reapplying an order bills it again.
 */
export function stateOfVisible(model: WorkloadModel, value: Value): ObjectState {
  if (model !== 'inventory') return value as ObjectState;
  return { stock: typeof value === 'number' ? value : (initialState(model) as InventoryState).stock, orders: [] };
}
