/** The result of one run, as `--json` prints it (CHECKING.md "Result"). */
import type { AnomalyName, AnomalyReport, Metrics } from '../checker/types.js';
import type { ExpectationResult } from '../scenario/expect.js';

export interface RunResult {
  scenario: string;
  seed: number;
  engine: string;
  ops: { total: number; ok: number; fail: number; info: number };
  anomalies: Record<AnomalyName, AnomalyReport>;
  metrics: Metrics;
  expect: ExpectationResult[];
  history_sha256: string;
  /** why the run stopped: `ran to completion`, or the limit or invariant that stopped it */
  stop: { reason: string; complete: boolean };
  /** true when every expectation is met (or there are none) */
  passed: boolean;
}
