/**
 * The checker: judges a history (from the simulator or imported) and returns every anomaly
 * family of CHECKING.md with witnesses, plus the metrics. Imports nothing from src/engines,
 * src/sim or src/net, so an engine bug cannot hide behind shared code.
 */
import type { HistoryRecord } from '../history/types.js';
import type { CheckOptions, CheckReport } from './types.js';
import { createCheckSink, type OpSummary } from './sink.js';

export type { Op, OpStatus } from './ops.js';
export { pairOps } from './ops.js';
export { createCheckSink, type CheckSink, type OpSummary } from './sink.js';

/**
 * Runs every anomaly family on `records` (in time order, as written) and computes the metrics.
 * Options: `model` picks how values are read (register-like, counter, set, inventory);
 * `initial`/`initialStock` the starting state; `nilRead: 'any'` makes nil reads match anything;
 * `sessions: 'sticky'` counts session violations (otherwise `would_violate` only);
 * `promisesNoSplitBrain` enables `split_brain`; `budget` bounds the linearizability search.
 * The same as pushing every record into `createCheckSink(opts)` and calling `finish()`.
 */
export function checkHistory(records: readonly HistoryRecord[], opts: CheckOptions): CheckReport {
  const sink = createCheckSink(opts);
  for (const r of records) sink.push(r);
  return sink.finish();
}

/**
 * Client operation counts by outcome. Ops still open at the end count as `info`, so
 * total = ok + fail + info.
 */
export function summarizeOps(records: readonly HistoryRecord[]): OpSummary {
  const sink = createCheckSink({ model: 'register' });
  for (const r of records) sink.push(r);
  return sink.summary();
}
