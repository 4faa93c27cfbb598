/** Model-dependent defaults shared by the families. */
import type { Value } from '../history/types.js';
import type { CheckModel, CheckOptions } from './types.js';

/** The state every key starts in: `opts.initial`, else empty register / "" kv / 0 counter / empty set / initial stock. */
export function initialValue(opts: CheckOptions): Value {
  if (opts.initial !== undefined) return opts.initial as Value;
  return defaultInitial(opts.model, opts.initialStock);
}

function defaultInitial(model: CheckModel, initialStock: number | undefined): Value {
  switch (model) {
    case 'register':
    case 'cas-register':
    case 'multi-register':
      return null;
    case 'kv':
      return '';
    case 'counter':
      return 0;
    case 'set':
      return [];
    case 'inventory':
      return initialStock ?? null;
    default: {
      const never: never = model;
      return never;
    }
  }
}

/** Initial stock of an inventory key, or null when the options do not say. */
export function initialStock(opts: CheckOptions): number | null {
  if (opts.initialStock !== undefined) return opts.initialStock;
  return typeof opts.initial === 'number' ? opts.initial : null;
}
