/**
 * `replsim compare FILE --restore ...`: the same scenario under each recovery method, reduced to
 * what a recovery is judged by: RPO, downtime, RTO, bytes stored, writes lost by the restore,
 * reapplied and conflicting writes, and the anomalies left after it.
 */
import type { RestoreSummary } from '../checker/restore.js';
import type { RunResult } from '../run/result.js';
import { runSettings, type CompareOptions } from './compare.js';
import { withRestoreSetting, type RestoreSetting } from './restore-settings.js';

export type RestoreRow =
  | {
      setting: string;
      ok: true;
      rpo_ms: number | null;
      downtime_ms: number | null;
      rto_ms: number | null;
      bytes_uploaded: number;
      lost_by_restore: number;
      reapplied: number;
      reapplied_twice: number;
      conflicts: number;
      divergence: number | null;
      lost_update: number | null;
      invariant: number | null;
      history_sha256: string;
    }
  | { setting: string; ok: false; error: string };

export interface RestoreReport {
  scenario: string;
  file: string;
  seed: number;
  rows: RestoreRow[];
}

export async function compareRestores(
  file: string,
  settings: readonly RestoreSetting[],
  opts: CompareOptions = {},
): Promise<{ ok: true; report: RestoreReport } | { ok: false; errors: string[] }> {
  const r = await runSettings(file, settings, (source, s) => withRestoreSetting(source, s, opts.seed), opts);
  if (!r.ok) return r;
  const rows = r.runs.map((x): RestoreRow => (x.ok ? restoreRowOf(x.label, x.result) : { setting: x.label, ok: false, error: x.error }));
  return { ok: true, report: { scenario: r.scenario.name, file, seed: r.scenario.seed, rows } };
}

function restoreRowOf(setting: string, r: RunResult): RestoreRow {
  const s = (r.metrics as Record<string, unknown>)['restore'] as RestoreSummary | undefined;
  return {
    setting,
    ok: true,
    rpo_ms: s?.rpo_ms ?? null,
    downtime_ms: s?.downtime_ms ?? null,
    rto_ms: s?.rto_ms ?? null,
    bytes_uploaded: s?.bytes_uploaded ?? 0,
    lost_by_restore: s?.lost_writes ?? 0,
    reapplied: s?.reapplied ?? 0,
    reapplied_twice: s?.reapplied_twice ?? 0,
    conflicts: s?.conflicts ?? 0,
    divergence: r.anomalies.divergence.count,
    lost_update: r.anomalies.lost_update.count,
    invariant: r.anomalies.invariant.count,
    history_sha256: r.history_sha256,
  };
}
