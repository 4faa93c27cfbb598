/**
 * The `non_linearizable` anomaly family: per-key linearizability (Wing–Gong–Lowe search).
 * First commit: the signature only, so `checkHistory` can be wired; the search follows.
 */
import type { HistoryRecord } from '../history/types.js';
import type { AnomalyReport, CheckOptions } from './types.js';

/**
 * Checks `records` for linearizability under `opts.model`. `verdict` is `true` when every
 * key has a linearization, `false` when some key has none (one witness per such key), and
 * `'unknown'` when the search budget ran out (the reason is in `report.note`).
 */
export function nonLinearizable(
  records: HistoryRecord[],
  opts: CheckOptions,
): { report: AnomalyReport; verdict: boolean | 'unknown' } {
  void records;
  void opts;
  return {
    report: { applicable: true, count: null, witnesses: [], unknown: true, note: 'linearizability search not implemented yet' },
    verdict: 'unknown',
  };
}
