/**
 * "Did you mean" suggestions for misspelt field names and enum values. Optimal string
 * alignment distance (Levenshtein plus adjacent transposition), so `laetncy` finds `latency`.
 */
import { quoteText } from './text.js';

/** Edit distance between `a` and `b` (insert, delete, substitute, swap two neighbours). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: the transposition needs the row before the previous one.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? 0;
}

/**
 * The closest candidate to `word`, if it is close enough to be a plausible typo:
 * at most 1 edit for short words, 2 for words of 5+ characters, 3 for 9+.
 * Ties go to the earlier candidate, so the result is deterministic.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length >= 9 ? 3 : w.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: skip the table when that is already
    // too far (a 10,000-character key against every field name stays linear).
    if (Math.abs(c.length - w.length) > limit) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= limit && bestD < Math.max(w.length, 1) ? best : undefined;
}

/** `(did you mean "latency"?)` or the empty string; prefixed by a space when present. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

/** The message for an unknown field: `unknown field "lantecy" (did you mean "latency"?)`. */
export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return hint ? `unknown field ${quoteText(key)}${hint}` : `unknown field ${quoteText(key)}; expected one of ${known.join(', ')}`;
}
