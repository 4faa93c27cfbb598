/**
 * Why a recovery metric is `null`, in a few words, so a report never shows a bare "n/a"
 * (unknown is never zero, and never unexplained). The reasons follow the definitions in
 * src/checker/metrics.ts; they are read off the result, which is all a report has.
 */
import type { RunResult } from '../run/result.js';

/** Why `convergence_ms` is null: replicas still differ, divergence was not judged, or nothing healed. */
export function convergenceNa(r: Pick<RunResult, 'anomalies'>): string {
  const d = r.anomalies.divergence;
  if (d === undefined || d.count === null) return 'divergence not judged';
  if (d.count > 0) return 'replicas still disagree';
  return 'no network fault healed';
}

/** Why `rpo_ms` is null: lost updates cannot be judged here, or no write was acknowledged. */
export function rpoNa(r: Pick<RunResult, 'anomalies'>): string {
  const l = r.anomalies.lost_update;
  if (l === undefined || l.count === null) return 'lost updates not judged';
  return 'no acknowledged write';
}

/** Why `rto_ms` is null: it is null only when no client write failed or timed out during a crash, partition or isolation. */
export const RTO_NA = 'no write failed in an outage';

/** `text` for a value, or "n/a (reason)" for null. */
export function orNa(x: number | null | undefined, text: (x: number) => string, reason: string): string {
  return x === null || x === undefined ? `n/a (${reason})` : text(x);
}
