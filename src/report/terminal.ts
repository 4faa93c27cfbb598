/**
 * The terminal report of one run: what happened (ops, availability, latency, replication),
 * what went wrong (anomalies, one witness each) and whether the `expect` block held.
 * Plain text with optional colour; wide enough for an 80-column terminal.
 */
import { capacityLines } from './capacity-lines.js';
import { trafficLines } from './traffic-lines.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { AnomalyReport, Percentiles } from '../checker/types.js';
import type { RunResult } from '../run/result.js';
import { NO_VALUE } from '../scenario/expect.js';
import { wrapWords } from './wrap.js';
import { restoreLines } from './restores.js';
import { convergenceNa, orNa, rpoNa, RTO_NA } from './na-reasons.js';

export interface TerminalOptions {
  color: boolean;
  /** the scenario's description, shown under the title */
  description?: string;
}

export function renderRun(r: RunResult, o: TerminalOptions): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const lines: string[] = [];
  const m = r.metrics;
  lines.push(c.bold(`replsim · ${r.scenario} · engine ${r.engine} · seed ${r.seed}`));
  if (o.description) lines.push(c.dim(wrap(o.description.trim(), 78)));
  lines.push('');
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  lines.push(c.bold('Operations'));
  lines.push(
    `  ${r.ops.total} total · ${c.green(`${r.ops.ok} ok`)} · ${c.red(`${r.ops.fail} fail`)} · ${c.yellow(`${r.ops.info} info (unknown outcome)`)}`,
  );
  lines.push(`  availability ${pct(m.availability)}  (during faults ${pct(m.availability_during_faults)})`);
  const regions = Object.keys(m.availability_by_region);
  if (regions.length) {
    lines.push(`  by region: ${regions.map((k) => `${k} ${pct(m.availability_by_region[k])}`).join(' · ')}`);
  }
  const byClass = m['availability_by_class'] as Record<string, number | null> | undefined;
  if (byClass) lines.push(`  by class: ${Object.keys(byClass).map((k) => `${k} ${pct(byClass[k])}`).join(' · ')}`);
  lines.push('');
  lines.push(c.bold('Latency (ms, ok ops)          p50        p99        max'));
  lines.push(row('  read', m.latency_ms.read));
  lines.push(row('  write', m.latency_ms.write));
  lines.push(row('  replication lag', m.replication_lag_ms));
  lines.push(
    `  convergence after heal: ${orNa(m.convergence_ms, ms, convergenceNa(r))}   ` +
      `RPO: ${m.rpo_exact === false ? 'at most ' : ''}${orNa(m.rpo_ms, ms, rpoNa(r))}   ` +
      `RTO: ${orNa(m.rto_ms, ms, RTO_NA)}${worstRegion(m.rto_ms_by_region, m.rto_ms)}`,
  );
  const cap = m['capacity'] as Record<string, unknown> | undefined;
  if (cap) lines.push(...capacityLines(cap, Object.keys(cap).filter((k) => !k.includes('/') && k !== 'all'), (x) => c.bold(x)));
  lines.push(...trafficLines(m));
  const restores = restoreLines(m);
  if (restores.length) lines.push(...restores.map((l, i) => (i === 1 ? c.bold(l) : i > 4 ? c.dim(l) : l)));
  lines.push('');
  lines.push(c.bold('Anomalies'));
  for (const [name, a] of Object.entries(r.anomalies) as Array<[string, AnomalyReport]>) {
    lines.push(anomalyLine(c, name, a));
    // an example for a counted anomaly, and for failures found before an unknown search stopped
    const w = a.witnesses[0];
    if (w && ((a.count !== null && a.count > 0) || (a.unknown && (a.at_least ?? 0) > 0))) {
      lines.push(c.dim(`      e.g. ${wrap(w.explanation, 70).replace(/\n/g, '\n           ')}`));
    }
  }
  if (r.expect.length) {
    lines.push('');
    lines.push(c.bold('Expectations'));
    for (const e of r.expect) {
      const mark = e.met ? c.green('✓') : c.red('✗');
      lines.push(`  ${mark} ${e.name} ${e.want}  (got ${e.got === null ? 'n/a' : fmt(e.got)})`);
      if (!e.met && (e.got === null || e.why)) lines.push(c.dim(indent(wrap(`unmet: ${e.why ?? NO_VALUE}`, 72), 6)));
    }
  }
  lines.push('');
  const events = typeof m.events === 'number' ? m.events : 0;
  const sim = typeof m.sim_seconds === 'number' ? m.sim_seconds : 0;
  const wall = typeof m.wall_seconds === 'number' ? m.wall_seconds : undefined;
  lines.push(
    c.dim(
      `${events} events · ${sim.toFixed(1)} s simulated${wall === undefined ? '' : ` in ${wall.toFixed(2)} s`} · ${r.stop.reason} · history sha256 ${r.history_sha256.slice(0, 16)}…`,
    ),
  );
  if (!r.stop.complete) lines.push(c.red(`The run did not complete: ${r.stop.reason}.`));
  if (r.expect.length) lines.push(r.passed ? c.green('All expectations met.') : c.red('Some expectations were not met.'));
  return `${lines.join('\n')}\n`;
}

function anomalyLine(c: ChalkInstance, name: string, a: AnomalyReport): string {
  const label = name.padEnd(18);
  // Notes go on their own wrapped lines so the table stays within 80 columns.
  const note = (text: string | undefined) => (text ? `\n${c.dim(indent(wrap(`(${text})`, 70), 6))}` : '');
  // Unknown is never zero: a null count reads "n/a" or "unknown", with the reason.
  if (!a.applicable) {
    const would = a.would_violate !== undefined ? ` (${a.would_violate} would violate)` : '';
    return `  ${label} ${c.dim(`n/a${would}`)}${note(a.note)}`;
  }
  if (a.unknown || a.count === null) {
    const found = a.at_least ? ` (${a.at_least} found before it stopped)` : '';
    return `  ${label} ${c.yellow(`unknown${found}`)}${note(a.note ?? 'no verdict')}`;
  }
  const n = a.count;
  return `  ${label} ${n > 0 ? c.red(String(n)) : c.green('0')}${n === 0 ? note(a.note) : ''}`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function row(label: string, p: Percentiles): string {
  const cell = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1)).padStart(10);
  return `${label.padEnd(26)}${cell(p.p50)} ${cell(p.p99)} ${cell(p.max)}`;
}

function ms(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : `${fmt(x)} ms`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/\.?0+$/, '');
}

function wrap(text: string, width: number): string {
  return wrapWords(text, width).join('\n');
}

/** " (eu-west)": the region whose RTO is the overall one, when several regions report one. */
function worstRegion(byRegion: Record<string, number | null> | undefined, worst: number | null): string {
  if (!byRegion || worst === null) return '';
  const reported = Object.keys(byRegion).filter((k) => byRegion[k] !== null);
  if (reported.length < 2) return reported.length === 1 ? ` (${reported[0]})` : '';
  const at = reported.filter((k) => byRegion[k] === worst);
  return at.length > 0 ? ` (${at.join(', ')})` : '';
}
