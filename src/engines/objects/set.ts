/**
 * Set: `add e` / `remove e` (e a string or a number) answer `e`; adding a present element or
 * removing an absent one is acknowledged and changes nothing. `read` returns the elements in
 * one order (numbers ascending, then the rest), each once.
 */
import type { Value } from '../../history/types.js';
import { badRequest, type Step } from './step.js';
import { compareElements, sameValue } from './value.js';

/** Distinct elements in `compareElements` order. */
export type SetState = Value[];

export const setInitial = (): SetState => [];

export function setStep(cur: SetState, f: string, v: Value | undefined): Step<SetState> {
  if (f === 'read') return { type: 'read', value: cur };
  if (f !== 'add' && f !== 'remove') return badRequest(`${f} is not a set operation`);
  if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) return badRequest(`${f} takes a string or a number`);
  const has = cur.some((x) => sameValue(x, v));
  if (f === 'add') return has ? { type: 'same', result: v } : { type: 'write', next: [...cur, v].sort(compareElements), result: v };
  return has ? { type: 'write', next: cur.filter((x) => !sameValue(x, v)), result: v } : { type: 'same', result: v };
}
