/**
 * The `expect` block: which names may be expected, how comparisons are written, and how
 * they are judged against a run's anomaly counts and metrics.
 */
import { ANOMALY_NAMES } from '../checker/types.js';
import type { Expectation } from './types.js';
import { didYouMean } from './suggest.js';
import { engineMetricError, type MetricSetting } from './engine-metrics.js';
import { quoteText } from './text.js';
import { LOAD_METRIC_LEAVES } from '../node/load-metrics.js';

const PERCENTILES = ['p50', 'p99', 'max'] as const;

/** Metric paths (CHECKING.md) that may be expected, besides the open namespaces. */
export const METRIC_EXPECT_NAMES: readonly string[] = [
  'availability',
  'availability_during_faults',
  ...(['read', 'write'] as const).flatMap((k) => PERCENTILES.map((p) => `latency_ms.${k}.${p}`)),
  ...PERCENTILES.map((p) => `replication_lag_ms.${p}`),
  'convergence_ms',
  'rpo_ms',
  'rto_ms',
  'events',
  'sim_seconds',
  // backups and restores (src/checker/restore.ts), present when the scenario has a `backup` section
  ...['restores', 'restores_failed', 'lost_writes', 'rolled_back', 'reapplied', 'reapplied_twice', 'conflicts', 'rpo_ms', 'rto_ms', 'downtime_ms', 'point_error_ms', 'runbook_ms', 'runbook_divergent_keys', 'backups', 'backups_failed', 'bytes_uploaded'].map((m) => `restore.${m}`),
  ...['snapshot', 'logs', 'pitr'].flatMap((m) => [`rpo_ms_by_method.${m}`, `rto_ms_by_method.${m}`]),
];

/** `availability_by_region.<REGION>` */
export const REGION_METRIC_PREFIX = 'availability_by_region.';
/** Metrics keyed by client region: `availability_by_region.<REGION>`, `rto_ms_by_region.<REGION>`. */
export const REGION_METRIC_PREFIXES: readonly string[] = [REGION_METRIC_PREFIX, 'rto_ms_by_region.'];

/** The per-region prefix `name` starts with, or undefined. */
export function regionMetricPrefix(name: string): string | undefined {
  return REGION_METRIC_PREFIXES.find((p) => name.startsWith(p));
}
/** Node capacity metrics: `capacity.<NODE | REGION | all>.<leaf>` (src/node/load-metrics.ts). */
export const CAPACITY_METRIC_PREFIX = 'capacity.';
/** Availability of a client class (`workload.classes`): `availability_by_class.<CLASS>`. */
export const CLASS_METRIC_PREFIX = 'availability_by_class.';

/** Why a `capacity.` name is malformed or names no region, or undefined. */
function capacityNameError(name: string, regions: readonly string[] | undefined): string | undefined {
  const rest = name.slice(CAPACITY_METRIC_PREFIX.length);
  const leaf = LOAD_METRIC_LEAVES.find((l) => rest.endsWith(`.${l}`));
  const form = `expected capacity.TARGET.METRIC with TARGET a node (REGION/INDEX), a region or all, and METRIC one of ${LOAD_METRIC_LEAVES.join(', ')}; got ${quoteText(name)}`;
  if (!leaf) return form;
  const target = rest.slice(0, rest.length - leaf.length - 1);
  if (target === 'all') return undefined;
  const region = /^[^/.]+\/\d+$/.test(target) ? target.slice(0, target.indexOf('/')) : target;
  if (region === '' || region.includes('.') || region.includes('/')) return form;
  if (!regions || regions.includes(region)) return undefined;
  return `unknown region ${quoteText(region)} in ${quoteText(name)}${didYouMean(region, regions)}; regions are ${regions.join(', ')}`;
}

/** Engine-specific metrics: `engine.<name>`, checked per engine type (engine-metrics.ts). */
export const ENGINE_METRIC_PREFIX = 'engine.';

/** Every concrete name for these regions (for suggestions and docs). */
export function expectNameCandidates(regions: readonly string[] = []): string[] {
  return [...ANOMALY_NAMES, ...METRIC_EXPECT_NAMES, ...REGION_METRIC_PREFIXES.flatMap((p) => regions.map((r) => `${p}${r}`))];
}

/** What the whole scenario says about names: its regions, and its engine setting once known. */
export interface ExpectContext {
  regions?: readonly string[];
  setting?: MetricSetting;
}

/**
 * Why `name` cannot be expected, or undefined. Without a context only the form is checked
 * (`availability_by_region.X` names some region, `engine.X` some metric); with `regions` the
 * region must exist, and with `setting` the engine metric must be one that engine reports.
 */
export function expectNameError(name: string, ctx: ExpectContext | readonly string[] = {}): string | undefined {
  const { regions, setting } = Array.isArray(ctx) ? { regions: ctx as readonly string[], setting: undefined } : (ctx as ExpectContext);
  if ((ANOMALY_NAMES as readonly string[]).includes(name) || METRIC_EXPECT_NAMES.includes(name)) return undefined;
  if (name.startsWith(CAPACITY_METRIC_PREFIX)) return capacityNameError(name, regions);
  if (name.startsWith(CLASS_METRIC_PREFIX)) {
    const cls = name.slice(CLASS_METRIC_PREFIX.length);
    return /^[a-z0-9][a-z0-9_-]*$/.test(cls) ? undefined : `expected ${CLASS_METRIC_PREFIX}CLASS (a workload class), got ${quoteText(name)}`;
  }
  if (name.startsWith(ENGINE_METRIC_PREFIX)) {
    const metric = name.slice(ENGINE_METRIC_PREFIX.length);
    // engine metric names carry no dots: `expect` paths split on them
    if (metric === '' || metric.includes('.')) return `expected engine.NAME (an engine metric), got ${quoteText(name)}`;
    if (!setting || !regions) return undefined;
    const withPrefix = (w: string, cands: readonly string[]) =>
      didYouMean(`${ENGINE_METRIC_PREFIX}${w}`, cands.map((c) => `${ENGINE_METRIC_PREFIX}${c}`));
    return engineMetricError(metric, setting, regions, withPrefix);
  }
  const traffic = trafficExpectNameError(name, regions);
  if (traffic !== null) return traffic;
  for (const prefix of REGION_METRIC_PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const region = name.slice(prefix.length);
    if (!regions) return region && !region.includes('.') ? undefined : `expected ${prefix}REGION, got ${quoteText(name)}`;
    if (regions.includes(region)) return undefined;
    return `unknown region ${quoteText(region)} in ${quoteText(name)}${didYouMean(region, regions)}; regions are ${regions.join(', ')}`;
  }
  // `metrics.rpo_ms`: the result's metrics are named without that prefix.
  const dot = name.indexOf('.');
  if (dot > 0) {
    const rest = name.slice(dot + 1);
    if (rest && expectNameError(rest, { regions: regions ?? [] }) === undefined && !rest.startsWith(ENGINE_METRIC_PREFIX)) {
      return `unknown expect name ${quoteText(name)} (did you mean "${rest}"?)`;
    }
  }
  const hint = didYouMean(name, expectNameCandidates(regions));
  return `unknown expect name ${quoteText(name)}${hint}; expected an anomaly (${ANOMALY_NAMES.join(', ')}), a metric such as availability or latency_ms.write.p99, or engine.NAME`;
}

/** Alert results: `alert.NAME.FIELD` (the alert named under `alerts`). */
export const ALERT_EXPECT_PREFIX = 'alert.';
export const ALERT_EXPECT_FIELDS = ['fired', 'fired_after_s', 'resolved_after_s', 'firing_s'] as const;
/** Routing results: `routing.moves`, `routing.left_after_s.REGION`. */
export const ROUTING_EXPECT_NAMES = ['routing.moves'] as const;
export const ROUTING_LEFT_PREFIX = 'routing.left_after_s.';
export const ROUTING_SHARE_PREFIX = 'routing.share_during_fault.';

/** For `alert.*` and `routing.*` names: why `name` cannot be expected, '' if it can; null for other names. */
function trafficExpectNameError(name: string, regions: readonly string[] | undefined): string | undefined | null {
  if (name.startsWith(ALERT_EXPECT_PREFIX)) {
    const parts = name.split('.');
    const field = parts[2] ?? '';
    if (parts.length !== 3 || !parts[1] || !(ALERT_EXPECT_FIELDS as readonly string[]).includes(field)) {
      return `expected alert.NAME.FIELD with FIELD one of ${ALERT_EXPECT_FIELDS.join(', ')}, got ${quoteText(name)}`;
    }
    return undefined;
  }
  if ((ROUTING_EXPECT_NAMES as readonly string[]).includes(name)) return undefined;
  const prefix = [ROUTING_LEFT_PREFIX, ROUTING_SHARE_PREFIX].find((p) => name.startsWith(p));
  if (prefix !== undefined) {
    const region = name.slice(prefix.length);
    if (!regions) return region && !region.includes('.') ? undefined : `expected ${prefix}REGION, got ${quoteText(name)}`;
    if (regions.includes(region)) return undefined;
    return `unknown region ${quoteText(region)} in ${quoteText(name)}${didYouMean(region, regions)}; regions are ${regions.join(', ')}`;
  }
  return null;
}

/** Whether `name` may appear in `expect` (see expectNameError). */
export function isKnownExpectName(name: string, ctx: ExpectContext | readonly string[] = {}): boolean {
  return expectNameError(name, ctx) === undefined;
}

const COMPARISON_RE = /^\s*(>=|<=|==|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** `">= 1"` → { op: '>=', value: 1 }; a number is an exact `==`. */
export function parseComparison(
  v: number | string,
): { ok: true; op: Expectation['op']; value: number; want: string } | { ok: false; error: string } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { ok: false, error: `expected a finite number, got ${v}` };
    return { ok: true, op: '==', value: v, want: String(v) };
  }
  const m = COMPARISON_RE.exec(v);
  if (!m) {
    const hint = /^\s*=(?!=)/.test(v) || /^\s*=>|^\s*=</.test(v) ? '; the operators are >=, <=, ==, > and <' : '';
    return {
      ok: false,
      error: `expected a number or a comparison such as ">= 1", "<= 0.5", "== 3", "> 0", "< 2", got ${JSON.stringify(v)}${hint}`,
    };
  }
  const value = Number(m[2]);
  if (!Number.isFinite(value)) return { ok: false, error: `expected a finite number in ${JSON.stringify(v)}` };
  return { ok: true, op: m[1] as Expectation['op'], value, want: v.trim() };
}

/** Whether `got op value` holds. */
export function compare(got: number, op: Expectation['op'], value: number): boolean {
  switch (op) {
    case '==':
      return got === value;
    case '>=':
      return got >= value;
    case '<=':
      return got <= value;
    case '>':
      return got > value;
    case '<':
      return got < value;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** One judged expectation, as in the result's `expect` list (CHECKING.md). */
export interface ExpectationResult {
  name: string;
  want: string;
  got: number | null;
  met: boolean;
  /** when `got` is null: why there is no value (not applicable, unknown, no such metric) */
  why?: string;
}

/** A value to judge, or why there is none (an anomaly family not applicable or unknown). */
export type ExpectValue = number | null | undefined | { none: string };

/** Said when a lookup gives no value and no reason. */
export const NO_VALUE = 'no value in this run';

/**
 * Judges each expectation with `lookup` (an anomaly count or a metric value). A value that
 * is missing, null or not a finite number (not applicable, unknown) is `got: null`, never
 * met whatever the comparison (`== 0`, `<= 5`, `>= 1` alike: unknown is never zero), and
 * `why` says why there is no value (`{ none: reason }` from the lookup, or NO_VALUE).
 */
export function evaluateExpectations(expect: readonly Expectation[], lookup: (name: string) => ExpectValue): ExpectationResult[] {
  return expect.map((e) => {
    let v: unknown;
    try {
      v = lookup(e.name);
    } catch {
      v = null;
    }
    if (typeof v === 'number' && Number.isFinite(v)) {
      return { name: e.name, want: e.want, got: v, met: compare(v, e.op, e.value) };
    }
    const why = v !== null && typeof v === 'object' && typeof (v as { none?: unknown }).none === 'string' ? (v as { none: string }).none : NO_VALUE;
    return { name: e.name, want: e.want, got: null, met: false, why };
  });
}

/** What an unmet expectation with no value prints after "got": `n/a (unknown: the search stopped …)`. */
export function describeGot(r: Pick<ExpectationResult, 'got' | 'why'>, format: (x: number) => string = String): string {
  if (r.got !== null) return format(r.got);
  return `n/a (${r.why ?? NO_VALUE})`;
}

/**
 * The number at a dotted path in a plain object (`latency_ms.write.p99`), or null when a
 * step is missing or the value is not a finite number. Own properties only, so names such as
 * `constructor` never reach the prototype.
 */
export function lookupPath(obj: unknown, dotted: string): number | null {
  let cur: unknown = obj;
  for (const step of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, step)) return null;
    cur = (cur as Record<string, unknown>)[step];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}
