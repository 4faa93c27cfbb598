/**
 * Operations on a key's WHOLE value, for the rules that replicate whole values (LWW and
 * version vectors): a counter is one integer, a set one sorted array, an inventory one
 * `{ stock, orders }` record. A write replaces the whole value, which is exactly why a counter
 * under LWW loses concurrent increments: each side writes "my total", and one total wins.
 * What an operation does to the value is the objects' one definition (../model.ts); this
 * file only adapts it to the rules' vocabulary.
 */
import type { Value } from '../../history/types.js';
import type { ClientRequest, OpResult } from '../engine.js';
import type { WorkloadModel } from '../../scenario/types.js';

import { initialState, stepObject, visibleState, type InventoryState, type ObjectState } from '../model.js';

export { reserveArgs, sameValue } from '../model.js';

/** An inventory key's whole value: the stock and the orders (idempotency keys) applied. */
export type InventoryWhole = InventoryState;

export type Whole = ObjectState;

/** What one operation does to a whole value. */
export type WholeOutcome =
  | { type: 'read'; value: Value }
  | { type: 'write'; next: Whole; result: Value }
  | { type: 'noop'; result: OpResult }
  | { type: 'fail'; error: string };

export function initialWhole(model: WorkloadModel): Whole {
  return initialState(model);
}

/** What a read returns for a whole value. */
export function visibleWhole(model: WorkloadModel, w: Whole): Value {
  return visibleState(model, w);
}

/** Shared by the steps that name no version (no allocation per operation). */
const NO_OPTIONS: Readonly<{ version?: string }> = Object.freeze({});

/**
 * Applies `req` to the current whole value `cur` at this replica. `version` names `cur`
 * (the LWW timestamp or version vector it carries), reported by reservations.
 */
export function wholeOp(model: WorkloadModel, cur: Whole, req: ClientRequest, version?: string): WholeOutcome {
  const o = stepObject(model, cur, req.f, req.value, version === undefined ? NO_OPTIONS : { version });
  switch (o.type) {
    case 'read':
      return o;
    case 'write':
      return o; // the object step's own shape: no second object per write
    case 'same':
      return { type: 'noop', result: { type: 'ok', value: o.result } };
    case 'fail':
      return o;
    default: {
      const never: never = o;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}
