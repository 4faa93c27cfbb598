/**
 * The sweep summary as text for a terminal: per setting, each anomaly's rate with its 95%
 * Wilson interval, the failure rate, metric means, and the failing seeds.
 */
import type { Rate, SweepSummary } from './summary.js';
import { SUMMARY_METRICS } from './summary.js';

/** Failing seeds printed per setting (the JSON has up to MAX_FAILING_SEEDS). */
const SEEDS_SHOWN = 20;

export function renderSweepSummary(s: SweepSummary): string {
  const lines: string[] = [];
  const seeds = `seeds ${s.seeds.first}..${s.seeds.last}`;
  lines.push(`replsim sweep · ${s.scenario} · ${seeds}${s.swarm ? ' · swarm' : ''} · ${s.runs.present} of ${s.runs.planned} runs`);
  if (s.runs.missing > 0) lines.push(`missing: ${s.runs.missing} runs (merge every shard to complete the sweep)`);
  lines.push(`interval: ${s.interval}`);
  for (const st of s.settings) {
    lines.push('');
    lines.push(`setting ${st.label}: ${st.runs} runs${st.errors > 0 ? `, ${st.errors} could not run` : ''}`);
    lines.push(`  ${'failed'.padEnd(20)} ${rateText(st.failed)}`);
    for (const [name, r] of Object.entries(st.anomalies)) lines.push(`  ${name.padEnd(20)} ${rateText(r)}`);
    for (const m of SUMMARY_METRICS) {
      const v = st.metrics[m];
      if (!v || v.mean === null) continue;
      const ci = v.ci95 ? ` [${num(v.ci95[0])}, ${num(v.ci95[1])}]` : '';
      lines.push(`  ${`mean ${m}`.padEnd(28)} ${num(v.mean)}${ci} (n=${v.n})`);
    }
    if (st.failing_seeds_total > 0) {
      const shown = st.failing_seeds.slice(0, SEEDS_SHOWN).join(', ');
      const more = st.failing_seeds_total > SEEDS_SHOWN ? ` (+${st.failing_seeds_total - SEEDS_SHOWN} more)` : '';
      lines.push(`  failing seeds: ${shown}${more}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function rateText(r: Rate): string {
  const unknown = r.unknown > 0 ? `; n/a or unknown in ${r.unknown}` : '';
  if (r.rate === null || r.ci95 === null) return `n/a in every run${r.unknown > 0 ? ` (${r.unknown})` : ''}`;
  return `${`${r.runs_with}/${r.of}`.padStart(11)}  ${pct(r.rate).padStart(6)}  [${pct(r.ci95[0])}, ${pct(r.ci95[1])}]${unknown}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function num(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);
}
