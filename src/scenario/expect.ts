/**
 * The `expect` block: which names may be expected, how comparisons are written, and how
 * they are judged against a run's anomaly counts and metrics.
 */
import { ANOMALY_NAMES } from '../checker/types.js';
import type { Expectation } from './types.js';
import { didYouMean } from './suggest.js';

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
];

/** `availability_by_region.<REGION>` */
export const REGION_METRIC_PREFIX = 'availability_by_region.';
/** Metrics keyed by client region: `availability_by_region.<REGION>`, `rto_ms_by_region.<REGION>`. */
export const REGION_METRIC_PREFIXES: readonly string[] = [REGION_METRIC_PREFIX, 'rto_ms_by_region.'];

/** The per-region prefix `name` starts with, or undefined. */
export function regionMetricPrefix(name: string): string | undefined {
  return REGION_METRIC_PREFIXES.find((p) => name.startsWith(p));
}
/** Open namespaces for engine-specific metrics: `engine.<anything>`, `metrics.<anything>`. */
export const OPEN_EXPECT_PREFIXES: readonly string[] = ['engine.', 'metrics.'];

/** Every concrete name for these regions (for suggestions and docs). */
export function expectNameCandidates(regions: readonly string[] = []): string[] {
  return [...ANOMALY_NAMES, ...METRIC_EXPECT_NAMES, ...REGION_METRIC_PREFIXES.flatMap((p) => regions.map((r) => `${p}${r}`))];
}

/** Why `name` cannot be expected, or undefined. With `regions`, `availability_by_region.X` and `rto_ms_by_region.X` must name one. */
export function expectNameError(name: string, regions?: readonly string[]): string | undefined {
  if ((ANOMALY_NAMES as readonly string[]).includes(name) || METRIC_EXPECT_NAMES.includes(name)) return undefined;
  for (const prefix of OPEN_EXPECT_PREFIXES) {
    if (name.startsWith(prefix) && name.length > prefix.length && !name.endsWith('.')) return undefined;
  }
  const prefix = regionMetricPrefix(name);
  if (prefix) {
    const region = name.slice(prefix.length);
    if (!regions) return region && !region.includes('.') ? undefined : `expected ${prefix}REGION, got "${name}"`;
    if (regions.includes(region)) return undefined;
    return `unknown region "${region}" in "${name}"${didYouMean(region, regions)}; regions are ${regions.join(', ')}`;
  }
  const hint = didYouMean(name, expectNameCandidates(regions));
  return `unknown expect name "${name}"${hint}; expected an anomaly (${ANOMALY_NAMES.join(', ')}), a metric such as availability or latency_ms.write.p99, or engine.* / metrics.*`;
}

/** Whether `name` may appear in `expect` (see expectNameError). */
export function isKnownExpectName(name: string, regions?: readonly string[]): boolean {
  return expectNameError(name, regions) === undefined;
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
