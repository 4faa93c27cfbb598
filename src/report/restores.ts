/**
 * The "Backups and restores" lines of the terminal report, shown only when the run had
 * backups (src/checker/restore.ts computes them from the history).
 */
import type { RestoreSummary } from '../checker/restore.js';
import { wrapWords } from './wrap.js';

const ms = (x: number | null): string => (x === null ? 'n/a' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const kb = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);

/** Lines for the report, or none when the metrics have no restore summary. */
export function restoreLines(metrics: Record<string, unknown>): string[] {
  const r = metrics['restore'] as RestoreSummary | undefined;
  if (!r) return [];
  const lines = [
    `  backups ${r.backups} stored (${kb(r.bytes_uploaded)}) · ${r.backups_failed} failed`,
    `  restores ${r.restores}${r.restores_failed ? ` (${r.restores_failed} found no backup)` : ''} · RPO ${ms(r.rpo_ms)} · down ${ms(r.downtime_ms)} · RTO ${ms(r.rto_ms)}` +
      (r.point_error_ms ? ` · point off by ${ms(r.point_error_ms)}` : ''),
    `  rolled back ${r.rolled_back} · reapplied ${r.reapplied} · conflicts ${r.conflicts} · lost by restore ${r.lost_writes} · reapplied twice ${r.reapplied_twice}`,
  ];
  const w = r.witnesses[0];
  if (w) lines.push(`      e.g. ${wrapWords(w.explanation, 70).join('\n           ')}`);
  return ['', 'Backups and restores', ...lines];
}
