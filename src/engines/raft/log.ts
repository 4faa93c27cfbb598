/** Log helpers. Index i (1-based, as in the paper) lives at `log[i - 1]`; index 0 is the empty prefix. */
import type { Entry } from './types.js';
import type { LoggedOp } from './model.js';
import { chainHash } from './hash.js';

export function lastIndex(log: readonly Entry[]): number {
  return log.length;
}

/** Term of entry `i`; 0 for the empty prefix; undefined beyond the end. */
export function termAt(log: readonly Entry[], i: number): number | undefined {
  if (i === 0) return 0;
  return log[i - 1]?.term;
}

export function lastTerm(log: readonly Entry[]): number {
  return log[log.length - 1]?.term ?? 0;
}

/** Chain hash of the prefix ending at `i` (0 for the empty prefix or beyond the end). */
export function chainAt(log: readonly Entry[], i: number): number {
  if (i === 0) return 0;
  return log[i - 1]?.chain ?? 0;
}

/** The chain value entry (index, term, op) gets after a prefix with chain `prev`. */
export function nextChain(prev: number, index: number, term: number, op: LoggedOp | null): number {
  return chainHash(prev, index, term, op === null ? 0 : op.op + 1);
}

/** First index holding `term` in the run of entries ending at `from` (fast back-off hint). */
export function firstIndexOfTerm(log: readonly Entry[], from: number, term: number): number {
  let i = from;
  while (i > 1 && termAt(log, i - 1) === term) i--;
  return i;
}

/** Last index ≤ `upTo` whose term is `term`, or 0 when the log has none. */
export function lastIndexOfTerm(log: readonly Entry[], upTo: number, term: number): number {
  for (let i = Math.min(upTo, log.length); i > 0; i--) {
    const t = termAt(log, i) ?? 0;
    if (t === term) return i;
    if (t < term) return 0;
  }
  return 0;
}
