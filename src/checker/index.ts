/**
 * The checker: judges a history (from the simulator or imported) and returns every anomaly
 * family of CHECKING.md with witnesses, plus the metrics. Imports nothing from src/engines,
 * src/sim or src/net, so an engine bug cannot hide behind shared code.
 */
import type { HistoryRecord } from '../history/types.js';
import type { AnomalyName, AnomalyReport, CheckOptions, CheckReport, Witness } from './types.js';
import { divergence } from './divergence.js';
import { invariant } from './invariant.js';
import { nonLinearizable } from './linearizable.js';
import { lostUpdate } from './lost-update.js';
import { computeMetrics } from './metrics.js';
import { pairOps, splitHistory } from './ops.js';
import { sessions } from './sessions.js';
import { splitBrain } from './split-brain.js';
import { staleRead } from './stale-read.js';

export type { Op, OpStatus } from './ops.js';
export { pairOps } from './ops.js';

/**
 * Runs every anomaly family on `records` (in time order, as written) and computes the metrics.
 * Options: `model` picks how values are read (register-like, counter, set, inventory);
 * `initial`/`initialStock` the starting state; `nilRead: 'any'` makes nil reads match anything;
 * `sessions: 'sticky'` counts session violations (otherwise `would_violate` only);
 * `promisesNoSplitBrain` enables `split_brain`; `budget` bounds the linearizability search.
 */
export function checkHistory(records: HistoryRecord[], opts: CheckOptions): CheckReport {
  const h = splitHistory(records);
  const div = divergence(h, opts);
  const lost = lostUpdate(h, opts);
  const sess = sessions(h, opts);
  const lin = nonLinearizable(records, opts);
  const anomalies: Record<AnomalyName, AnomalyReport> = {
    divergence: div,
    lost_update: lost.report,
    stale_read: staleRead(h, opts),
    read_your_writes: sess.read_your_writes,
    monotonic_read: sess.monotonic_read,
    non_linearizable: lin.report,
    invariant: invariant(h, opts),
    split_brain: splitBrain(h, opts),
  };
  for (const a of Object.values(anomalies)) for (const w of a.witnesses) dedupeNames(w);
  const metrics = computeMetrics({ history: h, lost, diverged: div.applicable ? div.count : null });
  return { anomalies, metrics, linearizable: lin.verdict };
}

/** A node or client named twice in one witness (e.g. the lost write's node is also a replica) is listed once. */
function dedupeNames(w: Witness): void {
  if (w.nodes) w.nodes = [...new Set(w.nodes)];
  if (w.clients) w.clients = [...new Set(w.clients)];
}

/**
 * Client operation counts by outcome. Ops still open at the end count as `info` (outcome
 * unknown), so total = ok + fail + info.
 */
export function summarizeOps(records: HistoryRecord[]): { total: number; ok: number; fail: number; info: number } {
  const out = { total: 0, ok: 0, fail: 0, info: 0 };
  for (const op of pairOps(records)) {
    out.total++;
    if (op.type === 'ok') out.ok++;
    else if (op.type === 'fail') out.fail++;
    else out.info++;
  }
  return out;
}
