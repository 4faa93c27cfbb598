/**
 * Numbers a history value cannot hold. JSON text such as `1e999` parses to Infinity, which
 * JSON cannot write back: a witness would show it as `null`, the same as "no value". So a
 * value that overflows a double is refused as bad input rather than kept unfaithfully.
 */

/** The first non-finite number inside `v` (arrays and objects walked), or undefined. */
export function firstNonFinite(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : v;
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const bad = firstNonFinite(x);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  for (const k of Object.keys(v)) {
    const bad = firstNonFinite((v as Record<string, unknown>)[k]);
    if (bad !== undefined) return bad;
  }
  return undefined;
}
