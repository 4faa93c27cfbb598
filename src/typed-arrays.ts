/**
 * Growing the typed-array columns the simulator, its engines, the checker and the reports keep
 * their per-op and per-change data in (flat memory the collector does not trace).
 */

/** A typed array of numbers, of any of the kinds the columns use. */
export type NumArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `a` in a new array of the same kind with `cap` (≥ a.length) slots; the rest are 0. */
export function resized<T extends NumArray>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
