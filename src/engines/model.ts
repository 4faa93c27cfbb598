/**
 * What a key holds before anything was written to it, per workload model, for engines that
 * store a key's whole value (async whole-value rules, sync). An inventory key also remembers
 * the orders (idempotency keys) already applied.
 */
import type { Value } from '../history/types.js';
import type { WorkloadModel } from '../scenario/types.js';
import { INITIAL_STOCK } from '../workload/ops.js';

export function initialModelValue(model: WorkloadModel): Value {
  switch (model) {
    case 'register':
      return null;
    case 'counter':
      return 0;
    case 'set':
      return [];
    case 'inventory':
      return { stock: INITIAL_STOCK, orders: [] };
    default: {
      const never: never = model;
      throw new Error(`unknown model ${String(never)}`);
    }
  }
}
