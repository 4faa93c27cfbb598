/**
 * Explicit "no anomaly" assertions (CHECKING.md "Unknown is never zero"): a family with no
 * anomaly must also have been applicable and finished. Reading a null count as zero would let a
 * family that was not checked, or whose search stopped, pass; these helpers never do.
 */
import { expect } from 'vitest';
import type { AnomalyReport } from '../src/checker/types.js';

/** Each named family was applicable, finished (not unknown) and found nothing. */
export function expectNone(anomalies: Readonly<Record<string, AnomalyReport | undefined>>, names: readonly string[]): void {
  for (const name of names) {
    const a = anomalies[name];
    expect(a, `${name} is reported`).toBeDefined();
    expect({ name, applicable: a!.applicable, unknown: a!.unknown === true, count: a!.count }, a!.note ?? '').toEqual({
      name,
      applicable: true,
      unknown: false,
      count: 0,
    });
  }
}

/**
 * `name=count` for each family that found something or has no verdict (count null while
 * applicable, i.e. unknown), for seed loops that require none: unknown is listed, never zero.
 * Families that are not applicable (not promised, no such check for the model) are skipped.
 */
export function foundOrUnknown(anomalies: Readonly<Record<string, AnomalyReport>>, ignore: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const [name, a] of Object.entries(anomalies)) {
    if (ignore.has(name) || !a.applicable) continue;
    if (a.count === null || a.unknown) out.push(`${name}=unknown (${a.note ?? 'no verdict'})`);
    else if (a.count > 0) out.push(`${name}=${a.count}: ${a.witnesses[0]?.explanation ?? ''}`);
  }
  return out;
}
