/**
 * The side-by-side table of `replsim compare`: one row per engine setting, one column per
 * number a learner compares (availability, write and read latency, lost updates, stale
 * reads, divergence, invariants, RPO, RTO). Laid out by cli-table3 without borders so that it fits an
 * 80-column terminal; a setting that could not run gets an error line in its row.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CompareReport, CompareRow, P50P99 } from '../compare/compare.js';
import { wrapWords } from './wrap.js';

export interface TableOptions {
  color: boolean;
  /** terminal width to fit (default 80) */
  width?: number;
}

const HEAD = ['setting', 'avail', 'write ms\np50/p99', 'read ms\np50/p99', 'lost', 'stale', 'diverg', 'inv', 'RPO', 'RTO'];

/** The whole compare report: title, table, legend. */
export function renderCompare(report: CompareReport, o: TableOptions): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const width = o.width ?? 80;
  const lines = [c.bold(`replsim compare · ${report.scenario} · seed ${report.seed}`), '', ...compareTable(report.rows, c, width), ''];
  for (const n of report.notes ?? []) lines.push(...wrapWords(`note: ${n}`, width), '');
  lines.push(...wrapWords('latency: ms of ok operations (p50/p99); lost, stale, diverg, inv (invariants broken: oversell, double billing, ...): anomaly counts; RPO: span of acknowledged writes lost (≤: an upper bound); RTO: time until writes are served again, in the slowest region; n/a: not applicable', width));
  return `${lines.join('\n')}\n`;
}

function compareTable(rows: readonly CompareRow[], c: ChalkInstance, width: number): string[] {
  // Two spaces between columns, or one when long setting labels would overflow the width.
  const roomy = layout(rows, c, width, 1);
  const widest = Math.max(...roomy.map((l) => stripAnsi(l).length));
  return widest <= width ? roomy : layout(rows, c, width, 0);
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

function layout(rows: readonly CompareRow[], c: ChalkInstance, width: number, padding: number): string[] {
  const table = new Table({
    head: HEAD,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': padding, compact: true },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const r of rows) {
    if (!r.ok) table.push([r.setting, '', '', '', '', '', '', '', '', '']);
    else {
      table.push([
        r.setting,
        percent(r.availability),
        pair(r.latency_ms.write),
        pair(r.latency_ms.read),
        count(c, r.lost_update),
        count(c, r.stale_read),
        count(c, r.divergence),
        count(c, r.invariant),
        `${r.rpo_exact === false ? '≤' : ''}${duration(r.rpo_ms)}`,
        duration(r.rto_ms),
      ]);
    }
  }
  const out = table.toString().split('\n').map((l) => l.trimEnd());
  // Two header lines, then one line per row (no borders, no multi-line cells).
  const head = out.slice(0, 2);
  const body = out.slice(2);
  const labelWidth = Math.max(...rows.map((r) => r.setting.length), HEAD[0]?.length ?? 0) + 1 + padding;
  const lines = [...head.map((l) => c.bold(l))];
  rows.forEach((r, i) => {
    if (r.ok) lines.push(body[i] ?? '');
    else {
      const msg = wrapWords(`cannot run: ${r.error}`, Math.max(20, width - labelWidth));
      msg.forEach((m, k) => lines.push(`${(k === 0 ? r.setting : '').padEnd(labelWidth)}${c.red(m)}`));
    }
  });
  return lines;
}

function percent(x: number | null): string {
  if (x === null) return 'n/a';
  const text = (x * 100).toFixed(1);
  // Never round a loss up to a perfect score.
  return x < 1 && text === '100.0' ? '>99.9%' : `${text}%`;
}

function ms(x: number | null): string {
  if (x === null) return 'n/a';
  if (x < 10) return x.toFixed(1);
  if (x < 100_000) return String(Math.round(x));
  return `${Math.round(x / 1000)}s`;
}

function pair(p: P50P99): string {
  return `${ms(p.p50)}/${ms(p.p99)}`;
}

function count(c: ChalkInstance, n: number | null): string {
  if (n === null) return 'n/a';
  return n > 0 ? c.red(String(n)) : String(n);
}

function duration(x: number | null): string {
  if (x === null) return 'n/a';
  if (x < 1000) return `${Math.round(x)}ms`;
  if (x < 100_000) return `${(x / 1000).toFixed(1)}s`;
  return `${Math.round(x / 1000)}s`;
}

