/**
 * What each `expect` name of a run is judged against: an anomaly family's count or a metric,
 * or, when there is none, why (CHECKING.md "Unknown is never zero"): a family not applicable
 * or whose search stopped has no count, and an expectation on it is unmet with that reason.
 */
import type { AnomalyReport } from '../checker/types.js';
import { lookupPath, type ExpectValue } from '../scenario/expect.js';

/** The value of `name` in a run's anomalies (by family name) or metrics (by dotted path). */
export function expectValue(anomalies: Readonly<Record<string, AnomalyReport>>, metrics: unknown, name: string): ExpectValue {
  if (Object.hasOwn(anomalies, name)) return anomalyValue(anomalies[name] as AnomalyReport);
  const v = lookupPath(metrics, name);
  if (v !== null) return v;
  return { none: hasPath(metrics, name) ? `not applicable: ${name} has no value in this run` : `${name} is not reported by this run` };
}

/** A family's count, or why it has none. */
export function anomalyValue(a: AnomalyReport): ExpectValue {
  if (a.count !== null) return a.count;
  if (a.unknown) {
    const found = a.at_least ? ` (${a.at_least} found before it stopped)` : '';
    return { none: `unknown: ${a.note ?? 'the search stopped before a verdict'}${found}` };
  }
  return { none: `not applicable: ${a.note ?? 'this family does not apply to this run'}` };
}

/** Whether the dotted path leads to a property at all (its value may be null). */
function hasPath(obj: unknown, dotted: string): boolean {
  let cur: unknown = obj;
  for (const step of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, step)) return false;
    cur = (cur as Record<string, unknown>)[step];
  }
  return true;
}
