/** What one operation does to an object's state: the shape every object's `step` returns. */
import type { Value } from '../../history/types.js';

export type Step<S> =
  /** a read: the visible value, nothing changes */
  | { type: 'read'; value: Value }
  /** the op takes effect: the state becomes `next`, the client gets `ok` with `result` */
  | { type: 'write'; next: S; result: Value }
  /** acknowledged without changing anything (an element already present, a repeated order) */
  | { type: 'same'; result: Value }
  /** refused: the client gets `fail` (definitely not applied) */
  | { type: 'fail'; error: string };

export function badRequest(why: string): { type: 'fail'; error: string } {
  return { type: 'fail', error: `bad-request: ${why}` };
}
