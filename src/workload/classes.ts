/**
 * Client classes (`workload.classes`): each generated op draws its class from the client's
 * own `classes/CLIENT` stream, never from its workload stream, so adding classes to a
 * scenario leaves every op (time, kind, key, value) as it was.
 */
import type { ClientClassSpec, Priority } from '../scenario/types.js';
import type { Rng } from '../sim/rng.js';

/** Priority as the station reads it: 0 low, 1 normal, 2 high. */
export function priorityRank(p: Priority): number {
  return p === 'low' ? 0 : p === 'normal' ? 1 : 2;
}

export interface ClassTable {
  names: string[];
  ranks: number[];
  /** cumulative shares, the last one 1 */
  upTo: number[];
}

/** Classes in the scenario's order, with cumulative shares. */
export function classTable(classes: Record<string, ClientClassSpec>): ClassTable {
  const names = Object.keys(classes);
  let acc = 0;
  const upTo = names.map((n) => (acc += (classes[n] as ClientClassSpec).share));
  if (upTo.length) upTo[upTo.length - 1] = 1; // shares add up to 1 within rounding
  return { names, ranks: names.map((n) => priorityRank((classes[n] as ClientClassSpec).priority)), upTo };
}

/** The index of the class of the next op. */
export function pickClass(t: ClassTable, rng: Rng): number {
  const u = rng.next();
  for (let i = 0; i < t.upTo.length; i++) if (u < (t.upTo[i] as number)) return i;
  return t.upTo.length - 1;
}
