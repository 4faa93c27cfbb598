/**
 * Register: `write v` replaces the value and answers `v`; `cas [expected, new]` replaces it
 * when the current value equals `expected` structurally (answers the pair) and otherwise fails
 * with `cas-mismatch`; `read` returns the value (null before any write).
 */
import type { Value } from '../../history/types.js';
import { badRequest, type Step } from './step.js';
import { sameValue } from './value.js';

export type RegisterState = Value;

export const registerInitial = (): RegisterState => null;

export function registerStep(cur: RegisterState, f: string, v: Value | undefined): Step<RegisterState> {
  switch (f) {
    case 'read':
      return { type: 'read', value: cur };
    case 'write':
      if (v === undefined) return badRequest('write needs a value');
      return { type: 'write', next: v, result: v };
    case 'cas': {
      if (!Array.isArray(v) || v.length !== 2) return badRequest('cas takes [expected, new]');
      const [expected, next] = v as [Value, Value];
      if (!sameValue(cur, expected)) return { type: 'fail', error: 'cas-mismatch' };
      return { type: 'write', next, result: [expected, next] };
    }
    default:
      return badRequest(`${f} is not a register operation`);
  }
}
