/**
 * The summary of a sweep, computed from its header and run records alone: per setting (grid
 * point), how often each anomaly appeared with a 95% Wilson score interval, how often the run
 * failed, metric means with intervals, and the failing seeds. A pure function of the records
 * taken in run order, so one sweep and its shards merged give the same bytes, and no
 * wall-clock figure is in it.
 */
import { ANOMALY_NAMES } from '../checker/types.js';
import { lookupPath } from '../scenario/expect.js';
import type { RanRecord, RunRecord } from './record.js';
import type { SweepHeader } from './plan.js';
import { meanCI, wilson, type MeanCI } from './stats.js';
import type { VaryValue } from './values.js';

/** How often something happened among the runs where it could be judged. */
export interface Rate {
  /** runs where it happened (count ≥ 1) */
  runs_with: number;
  /** runs where it could be judged (count not null) */
  of: number;
  /** runs where the count was null (not applicable or unknown): never counted as zero */
  unknown: number;
  rate: number | null;
  ci95: [number, number] | null;
}

/** Metric means per setting, in the order shown. */
export const SUMMARY_METRICS = [
  'latency_ms.write.p50',
  'latency_ms.write.p99',
  'latency_ms.read.p50',
  'latency_ms.read.p99',
  'availability',
  'rpo_ms',
  'rto_ms',
] as const;

/** Most failing seeds listed per setting; the total is always given. */
export const MAX_FAILING_SEEDS = 100;

export interface SettingSummary {
  point: number;
  settings: Record<string, VaryValue>;
  label: string;
  runs: number;
  /** runs that could not run (a swarm draw that does not fit, an engine error) */
  errors: number;
  /** unmet expectations, runs cut short by a limit, and errors */
  failed: Rate;
  anomalies: Record<string, Rate>;
  /** mean count per run of each family, over the runs where it has a count */
  anomaly_counts: Record<string, MeanCI>;
  metrics: Record<string, MeanCI>;
  failing_seeds: number[];
  failing_seeds_total: number;
}

export interface SweepSummary {
  type: 'sweep-summary';
  scenario: string;
  file: string;
  source_sha256: string;
  seeds: SweepHeader['seeds'];
  vary: SweepHeader['vary'];
  swarm: boolean;
  runs: { planned: number; present: number; missing: number };
  interval: string;
  settings: SettingSummary[];
}

export const INTERVAL_TEXT = '95% Wilson score interval for rates; mean ± 1.96·s/√n for metrics';

/** `records` in any order; only runs of `header`'s sweep (the caller checked that). */
export function summarize(header: SweepHeader, records: readonly RunRecord[]): SweepSummary {
  const sorted = [...records].sort((a, b) => a.run - b.run);
  const byPoint = new Map<number, RunRecord[]>();
  for (const r of sorted) {
    const list = byPoint.get(r.point);
    if (list) list.push(r);
    else byPoint.set(r.point, [r]);
  }
  const pointCount = header.vary.reduce((n, v) => n * v.values.length, 1);
  const settings: SettingSummary[] = [];
  for (let p = 0; p < pointCount; p++) settings.push(settingSummary(header, p, byPoint.get(p) ?? []));
  return {
    type: 'sweep-summary',
    scenario: header.scenario,
    file: header.file,
    source_sha256: header.source_sha256,
    seeds: header.seeds,
    vary: header.vary,
    swarm: header.swarm,
    runs: { planned: header.runs, present: sorted.length, missing: header.runs - sorted.length },
    interval: INTERVAL_TEXT,
    settings,
  };
}

/** The settings of grid point `p` (the same mixed radix as plan.ts). */
export function pointSettings(header: SweepHeader, p: number): Record<string, VaryValue> {
  const out: Record<string, VaryValue> = {};
  let rest = p;
  for (let k = header.vary.length - 1; k >= 0; k--) {
    const v = header.vary[k] as SweepHeader['vary'][number];
    out[v.path] = v.values[rest % v.values.length] as VaryValue;
    rest = Math.floor(rest / v.values.length);
  }
  // In --vary order.
  return Object.fromEntries(header.vary.map((v) => [v.path, out[v.path] as VaryValue]));
}

function settingSummary(header: SweepHeader, p: number, runs: readonly RunRecord[]): SettingSummary {
  const settings = pointSettings(header, p);
  const label = header.vary.length === 0 ? '(as written)' : Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const ran = runs.filter((r): r is RanRecord => r.ok);
  const names = anomalyNames(ran);
  const anomalies: Record<string, Rate> = {};
  const anomaly_counts: Record<string, MeanCI> = {};
  for (const name of names) {
    const counts = ran.map((r) => r.anomalies[name]);
    const known = counts.filter((c): c is number => typeof c === 'number');
    anomalies[name] = rateOf(known.filter((c) => c > 0).length, known.length, runs.length - known.length);
    anomaly_counts[name] = meanCI(known);
  }
  const metrics: Record<string, MeanCI> = {};
  for (const m of SUMMARY_METRICS) {
    const vals: number[] = [];
    for (const r of ran) {
      const v = metricAt(r, m);
      if (v !== null) vals.push(v);
    }
    metrics[m] = meanCI(vals);
  }
  const failing = runs.filter((r) => r.failed).map((r) => r.seed);
  return {
    point: p,
    settings,
    label,
    runs: runs.length,
    errors: runs.length - ran.length,
    failed: rateOf(failing.length, runs.length, 0),
    anomalies,
    anomaly_counts,
    metrics,
    failing_seeds: failing.slice(0, MAX_FAILING_SEEDS),
    failing_seeds_total: failing.length,
  };
}

function rateOf(k: number, n: number, unknown: number): Rate {
  return { runs_with: k, of: n, unknown, rate: n > 0 ? k / n : null, ci95: wilson(k, n) };
}

/** Families in the checker's order, then any others (a newer checker's) by name. */
function anomalyNames(runs: readonly RanRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.anomalies)) seen.add(k);
  const known = (ANOMALY_NAMES as readonly string[]).filter((n) => seen.has(n));
  const other = [...seen].filter((n) => !(ANOMALY_NAMES as readonly string[]).includes(n)).sort();
  return [...known, ...other];
}

/** A dotted metric of a record, or null. */
export function metricAt(r: RanRecord, dotted: string): number | null {
  return lookupPath(r.metrics, dotted);
}
