/**
 * The values a sweep runs over: `--seeds 1..1000` (or a count, `--seeds 200` = 1..200) and
 * `--vary PATH=v1,v2,…` with ranges `A..B/STEP` (`10ms..200ms/10ms`, `0..0.1/0.02`, `1..5`).
 * Parsing only: whether a value fits the scenario is the schema's to say (plan.ts).
 */
import { parseDuration } from '../sim/time.js';
import { parseFieldPath, type FieldPath } from './field-path.js';

/** Most seeds one sweep may name (a bound, like every count in replsim). */
export const MAX_SEEDS = 10_000_000;
/** Most values one `--vary` may expand to. */
export const MAX_VARY_VALUES = 10_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A contiguous run of seeds, `first..last` inclusive. */
export interface SeedRange {
  first: number;
  last: number;
}

/** `1..1000` → 1..1000; `200` → 1..200. */
export function parseSeeds(text: string): Parsed<SeedRange> {
  const t = text.trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(t);
  const bad = (why: string): Parsed<SeedRange> => ({ ok: false, error: `--seeds: ${why}, e.g. 1..1000 or 1000 (seeds 1 to 1000); got "${t}"` });
  let first: number;
  let last: number;
  if (range) {
    first = Number(range[1]);
    last = Number(range[2]);
    if (last < first) return bad('the range ends before it starts');
  } else if (/^\d+$/.test(t)) {
    first = 1;
    last = Number(t);
    if (last < 1) return bad('expected at least one seed');
  } else return bad('expected FIRST..LAST or a count');
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return bad('seeds are integers up to 2^53');
  if (last - first + 1 > MAX_SEEDS) return bad(`at most ${MAX_SEEDS} seeds per sweep`);
  return { ok: true, value: { first, last } };
}

/** A scalar as YAML would read it: numbers and booleans typed, the rest strings. */
export type VaryValue = string | number | boolean;

/** One `--vary`: the field, its values in order, and the text as given (for messages). */
export interface Vary {
  text: string;
  /** the path as written, `network.links[0].latency` */
  path: string;
  field: FieldPath;
  values: VaryValue[];
}

/** `PATH=v1,v2,…` where each item is a value or a range `A..B/STEP`. */
export function parseVary(text: string): Parsed<Vary> {
  const eq = text.indexOf('=');
  const fail = (why: string): Parsed<Vary> => ({ ok: false, error: `--vary ${text}: ${why}` });
  if (eq <= 0) return fail('expected PATH=VALUES, e.g. network.links[0].latency=10ms..200ms/10ms or engine=async:lww,raft:lease');
  const path = text.slice(0, eq).trim();
  const field = parseFieldPath(path);
  if (!field.ok) return fail(field.error);
  const items = text
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim());
  if (items.some((s) => s === '')) return fail('an empty value (two commas, or nothing after "=")');
  const values: VaryValue[] = [];
  for (const item of items) {
    const r = item.includes('..') ? expandRange(item) : { ok: true as const, value: [scalar(item)] };
    if (!r.ok) return fail(r.error);
    values.push(...r.value);
    if (values.length > MAX_VARY_VALUES) return fail(`more than ${MAX_VARY_VALUES} values`);
  }
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) return fail(`the value ${k} is listed twice`);
    seen.add(k);
  }
  return { ok: true, value: { text, path, field: field.value, values } };
}

/** `10` → 10, `true` → true, `0.5` → 0.5, `10ms` → "10ms". */
export function scalar(s: string): VaryValue {
  if (/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  return s;
}

const UNIT_US: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };
const DURATION_ONE_UNIT = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/;

/**
 * `A..B/STEP`: A, A+STEP, … up to B inclusive. Durations keep A's unit (`10ms..200ms/10ms`
 * gives `10ms`, `20ms`, …); a bare STEP takes A's unit. Without `/STEP` the step is 1 (in A's unit).
 */
function expandRange(item: string): Parsed<VaryValue[]> {
  const m = /^([^./][^/]*?)\.\.([^/]+?)(?:\/(.+))?$/.exec(item);
  if (!m) return { ok: false, error: `"${item}": expected a range A..B or A..B/STEP` };
  const [, a = '', b = '', stepText] = m;
  const da = DURATION_ONE_UNIT.exec(a);
  if (da) {
    const unit = da[2] as string;
    const per = UNIT_US[unit] as number;
    const lo = parseDuration(a);
    const hi = parseDuration(b);
    if (!lo.ok || !hi.ok) return { ok: false, error: `"${item}": both ends of a duration range need a unit, e.g. 10ms..200ms` };
    let step_us = per;
    if (stepText !== undefined) {
      const bare = /^\d+(\.\d+)?$/.test(stepText) ? Number(stepText) * per : undefined;
      const st = bare === undefined ? parseDuration(stepText) : { ok: true as const, value: bare };
      if (!st.ok) return { ok: false, error: `"${item}": STEP ${st.error}` };
      step_us = st.value;
    }
    return steps(lo.value, hi.value, step_us, item, (us) => `${round(us / per)}${unit}`);
  }
  const lo = Number(a);
  const hi = Number(b);
  const st = stepText === undefined ? 1 : Number(stepText);
  if (![lo, hi, st].every(Number.isFinite) || a === '' || b === '') {
    return { ok: false, error: `"${item}": a range takes numbers (0..0.1/0.02, 1..5) or durations with a unit (10ms..200ms/10ms)` };
  }
  return steps(lo, hi, st, item, round);
}

function steps<T extends VaryValue>(lo: number, hi: number, step: number, item: string, fmt: (x: number) => T): Parsed<VaryValue[]> {
  if (!(step > 0)) return { ok: false, error: `"${item}": STEP must be greater than 0` };
  if (hi < lo) return { ok: false, error: `"${item}": the range ends before it starts` };
  const n = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (n > MAX_VARY_VALUES) return { ok: false, error: `"${item}": ${n} values, more than ${MAX_VARY_VALUES}` };
  // lo + i*step rather than a running sum, so float error does not build up along the range.
  return { ok: true, value: Array.from({ length: n }, (_, i) => fmt(lo + i * step)) };
}

/** 12 significant digits: 0.1*3 prints as 0.3, not 0.30000000000000004. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}
