/**
 * Terminal lines of `replsim test`: one line per scenario (✓ pass, ✗ fail, ! bad input) with
 * its time, then one indented line per failed expectation, drift or error, and a summary.
 */
import { Chalk } from 'chalk';
import type { ScenarioReport, SuiteReport } from './suite.js';

export interface RenderSuiteOptions {
  color: boolean;
  /** show per-scenario and total times (off for byte-stable output) */
  times?: boolean;
  /** total wall time of the suite, in ms */
  total_ms?: number | null;
}

/** One scenario: its status line and the indented details. */
export function renderScenarioLines(r: ScenarioReport, o: RenderSuiteOptions): string[] {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const mark = r.status === 'pass' ? c.green('✓') : r.status === 'fail' ? c.red('✗') : c.red('!');
  const time = o.times !== false && r.time_ms !== null ? `  ${c.dim(seconds(r.time_ms))}` : '';
  const golden =
    r.golden === 'written' ? '  (golden outcome written)' : r.golden === 'unchanged' ? '  (golden outcome unchanged)' : '';
  const notes = r.notes.length > 0 ? c.dim(`  (${r.notes.join('; ')})`) : '';
  const lines = [`${mark} ${r.file}${time}${golden}${notes}`];
  for (const f of r.failures) lines.push(`    ${c.red(f)}`);
  for (const e of r.errors) lines.push(`    ${c.red(e)}`);
  if (r.golden === 'drift') lines.push(c.dim(`    (an intended change? record it: replsim test --update ${r.file})`));
  return lines;
}

/** The whole report: scenario lines in order, then the summary line. */
export function renderSuite(report: SuiteReport, o: RenderSuiteOptions): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const lines = report.scenarios.flatMap((r) => renderScenarioLines(r, o));
  const s = report.summary;
  const parts = [`${s.passed} passed`];
  if (s.failed > 0) parts.push(c.red(`${s.failed} failed`));
  if (s.errors > 0) parts.push(c.red(`${s.errors} bad input`));
  if (report.excluded.length > 0) parts.push(`${report.excluded.length} excluded`);
  const workers = `${report.workers} worker${report.workers === 1 ? '' : 's'}`;
  const time = o.times !== false && o.total_ms !== undefined && o.total_ms !== null ? ` in ${seconds(o.total_ms)}` : '';
  lines.push('');
  const shard = report.shard ? `shard ${report.shard.index}/${report.shard.count} of ${report.shard.of_files} · ` : '';
  lines.push(`${shard}${s.total} scenario${s.total === 1 ? '' : 's'}: ${parts.join(', ')} (${workers}${time})`);
  return `${lines.join('\n')}\n`;
}

/** A one-line progress bar for a TTY (`[#####.....] 12/29 file`), at most `width` columns. */
export function progressLine(done: number, total: number, label: string, width = 80): string {
  const barWidth = 20;
  const filled = total > 0 ? Math.round((done / total) * barWidth) : barWidth;
  const head = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${done}/${total} `;
  const room = Math.max(0, width - head.length - 1);
  const tail = label.length > room ? `…${label.slice(label.length - room + 1)}` : label;
  return `${head}${tail}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
