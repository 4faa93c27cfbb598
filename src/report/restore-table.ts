/**
 * The side-by-side table of recovery methods (`replsim compare FILE --restore ...`), one row
 * per method, fitting 80 columns.
 */
import { Chalk } from 'chalk';
import type { RestoreReport, RestoreRow } from '../compare/restores.js';
import { wrapWords } from './wrap.js';

const HEAD = ['method', 'RPO', 'down', 'RTO', 'stored', 'lost', 'reappl', 'confl', 'twice', 'diverg', 'invar'];

const dur = (x: number | null): string => (x === null ? 'n/a' : x >= 10_000 ? `${(x / 1000).toFixed(0)}s` : `${(x / 1000).toFixed(1)}s`);
const size = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(1)}MB` : `${(b / 1e3).toFixed(0)}kB`);
const n = (x: number | null): string => (x === null ? 'n/a' : String(x));

function cells(r: RestoreRow): string[] {
  if (!r.ok) return [r.setting];
  return [r.setting, dur(r.rpo_ms), dur(r.downtime_ms), dur(r.rto_ms), size(r.bytes_uploaded), n(r.lost_by_restore), n(r.reapplied), n(r.conflicts), n(r.reapplied_twice), n(r.divergence), n(r.invariant)];
}

export function renderRestoreCompare(report: RestoreReport, o: { color: boolean; width?: number }): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const width = o.width ?? 80;
  const rows = report.rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => (r[i] ?? '').length)));
  const line = (cs: string[]) => cs.map((x, i) => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join('  ');
  // Long method labels go on a line of their own, so the numbers still fit the width.
  const wide = line(HEAD).length > width;
  if (wide) widths[0] = 0;
  const out = [c.bold(`replsim compare · ${report.scenario} · seed ${report.seed} · recovery methods`), '', line(wide ? ['', ...HEAD.slice(1)] : HEAD)];
  report.rows.forEach((r, i) => {
    if (wide) out.push(r.setting);
    const label = wide ? '' : r.setting;
    if (r.ok) out.push(line([label, ...(rows[i] ?? []).slice(1)]));
    else out.push(`${label.padEnd(widths[0] ?? 0)}  ${c.red(wrapWords(r.error, Math.max(20, width - (widths[0] ?? 0) - 2)).join('\n' + ' '.repeat((widths[0] ?? 0) + 2)))}`);
  });
  out.push('');
  out.push(
    ...wrapWords(
      'RPO: data a restore discarded (its start minus its point), worst node; down: longest restore (transfer and replay); RTO: until a client write succeeds again on a restored node; stored: bytes uploaded to the object store; lost: acknowledged writes only the restore discarded; reappl, confl, twice: writes reapplied, left as conflicts, applied twice; diverg, invar: anomaly counts after recovery',
      width,
    ),
  );
  return `${out.join('\n')}\n`;
}
