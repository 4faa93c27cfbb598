/**
 * Starting a register key's search on its first ops. On long histories a violation is
 * usually found within a key's first few hundred ops (every key of the 2-hour partition run
 * fails within its first 250), yet every op of the key used to be made a view, compiled and
 * sorted into entries before the search began. A search over a head takes exactly the steps
 * the whole search would take until it reaches the first op left out (search.ts
 * `SearchHorizon`); then it is started again on HEAD_GROWTH times as many ops and replays the
 * same steps, up to the whole key.
 *
 * Exactness needs the head's model to be the whole model cut to the head, which
 * compileRegister gives when it keeps every op and ignores none: the source offers a head
 * only when every op of the key is a known read or write and no read returned a sibling set;
 * under `nilRead: 'any'` nil reads are dropped, so then none may return nil either.
 */
import type { ModelOptions } from './model.js';
import type { LinOp, LinSource } from './ops.js';
import type { SearchHorizon } from './search.js';

/** Ops a register key's search starts on. */
export const HEAD_OPS = 256;
/** How much a head grows each time the search needs more of the key. */
export const HEAD_GROWTH = 8;

/** The first `count` ops of `key` and the horizon after them, or null: search the whole key. */
export function headOf(
  source: LinSource,
  key: string,
  count: number,
  opts: ModelOptions,
): { ops: LinOp[]; horizon: SearchHorizon } | null {
  const h = source.head?.(key, count);
  if (!h || h.next === Infinity) return null;
  if (h.nilReads && opts.nilRead === 'any') return null;
  return { ops: h.ops, horizon: { pos: h.next } };
}
