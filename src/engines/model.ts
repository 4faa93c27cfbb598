/**
 * The workload objects' sequential semantics, one definition for every engine: see
 * ./objects/index.ts (register, counter, set, inventory, one file each).
 */
import type { Value } from '../history/types.js';
import type { WorkloadModel } from '../scenario/types.js';
import { initialState } from './objects/index.js';

export * from './objects/index.js';

/** What a key holds before anything was written to it (its whole state, as a JSON value). */
export function initialModelValue(model: WorkloadModel): Value {
  return initialState(model) as Value;
}
