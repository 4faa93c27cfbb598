/** Counter: `add d` (a finite number, negative allowed) adds `d` and answers `d`; `read` returns the total (0 at first). */
import type { Value } from '../../history/types.js';
import { badRequest, type Step } from './step.js';
import { finite } from './value.js';

export type CounterState = number;

export const counterInitial = (): CounterState => 0;

export function counterStep(cur: CounterState, f: string, v: Value | undefined): Step<CounterState> {
  switch (f) {
    case 'read':
      return { type: 'read', value: cur };
    case 'add': {
      const d = finite(v);
      if (d === undefined) return badRequest('add takes a number');
      return { type: 'write', next: cur + d, result: d };
    }
    default:
      return badRequest(`${f} is not a counter operation`);
  }
}
