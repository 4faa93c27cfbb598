/**
 * The workload models as the sync engine stores them. Because every copy is locked while a
 * transaction runs, an operation is evaluated once, at the coordinator, against the newest
 * prepared copy; the resulting full state is what commits everywhere. What an operation does
 * is the objects' one definition (../model.ts).
 */
import type { Value } from '../../history/types.js';
import type { WorkloadModel } from '../../scenario/types.js';
import type { ClientRequest } from '../engine.js';

import { initialModelValue, initialState as objectInitial, stepObject, visibleState, type ObjectState } from '../model.js';

export function initialState(model: WorkloadModel): Value {
  return initialModelValue(model);
}

/** What a read returns and what `apply`/`final` records show. */
export function visible(model: WorkloadModel, state: Value): Value {
  // A copy that never held the key shows the initial value (an inventory its initial stock).
  if (model === 'inventory' && (state === null || typeof state !== 'object' || Array.isArray(state))) {
    return visibleState(model, objectInitial(model));
  }
  return visibleState(model, state as ObjectState);
}

export function isRead(req: ClientRequest): boolean {
  return req.f === 'read';
}

export type Evaluation = { ok: true; state: Value; result?: Value } | { ok: false; error: string };

/**
 * Applies a mutating operation to the current state; an error means the txn aborts (client
 * `fail`). `version` names the current state (its commit version), reported by reservations.
 */
export function evaluate(model: WorkloadModel, req: ClientRequest, current: Value, version?: string): Evaluation {
  const o = stepObject(model, current as ObjectState, req.f, req.value, version === undefined ? {} : { version });
  switch (o.type) {
    case 'write':
      return { ok: true, state: o.next as Value, result: o.result };
    case 'same':
      // acknowledged without a change (a repeated order): the same state commits again
      return { ok: true, state: current, result: o.result };
    case 'read':
      return { ok: false, error: `bad-request: ${req.f} is a read` };
    case 'fail':
      return { ok: false, error: o.error };
    default: {
      const never: never = o;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}
