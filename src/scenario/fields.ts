/**
 * Field builders shared by the scenario schema: strict objects with "did you mean",
 * durations and rates with units, probabilities. Each resolves its unit at the boundary so
 * nothing past the schema parses strings.
 */
import { z } from 'zod';
import { parseDuration, type Micros } from '../sim/time.js';
import { unknownFieldMessage } from './suggest.js';
import { describeInput } from './messages.js';
import { MAX_ERRORS } from './text.js';

/**
 * A strict object: unknown fields are errors, each with a suggestion from the known ones.
 * Several unknown keys give one message line per key, in key order (load.ts splits them to
 * point at each key).
 */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      // Only the first MAX_ERRORS keys are worded: the loader reports no more than that.
      iss.code === 'unrecognized_keys' ? iss.keys.slice(0, MAX_ERRORS).map((k) => unknownFieldMessage(k, known)).join('\n') : undefined,
  });
}

export interface DurationRule {
  /** allow negative durations (clock offsets) */
  negative?: boolean;
  /** require > 0 */
  positive?: boolean;
}

const DURATION_HELP = 'a duration such as 250us, 15ms, 2s, 5m, 2h or 1m30s';
const DURATION_PART = String.raw`(\d+(\.\d+)?(us|ms|s|m|h))+`;
/** JSON Schema patterns; parseDuration (src/sim/time.ts) has the final word. */
export const DURATION_PATTERN = `^${DURATION_PART}$`;
export const SIGNED_DURATION_PATTERN = `^-?${DURATION_PART}$`;

/** A duration with a unit (`250us`, `15ms`, `2s`, `1m30s`) → integer microseconds. */
export function duration(rule: DurationRule = {}) {
  const why = (input: unknown): string | undefined => {
    if (typeof input === 'number') {
      return `a duration needs a unit (us, ms, s, m, h), e.g. "${input}ms"; got the bare number ${input}`;
    }
    if (input === undefined) return `required field is missing; expected ${DURATION_HELP}`;
    if (typeof input !== 'string') return `expected ${DURATION_HELP}, got ${describeInput(input)}`;
    const r = parseDuration(input);
    if (!r.ok) return r.error;
    if (r.value < 0 && !rule.negative) return `must not be negative, got "${input}"`;
    return undefined;
  };
  return z
    .string({ error: (iss) => why(iss.input) })
    .regex(new RegExp(rule.negative ? SIGNED_DURATION_PATTERN : DURATION_PATTERN), { error: (iss) => why(iss.input) })
    .transform((text, ctx): Micros => {
      const r = parseDuration(text);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.error, input: text });
        return z.NEVER;
      }
      if (!rule.negative && r.value < 0) {
        ctx.addIssue({ code: 'custom', message: `must not be negative, got "${text}"`, input: text });
        return z.NEVER;
      }
      if (rule.positive && r.value <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be greater than zero, got "${text}"`, input: text });
        return z.NEVER;
      }
      return r.value;
    });
}

const RATE_RE = /^(\d+(?:\.\d+)?)\/(s|m|h)$/;
/** JSON Schema pattern of a rate. */
export const RATE_PATTERN = String.raw`^\d+(\.\d+)?/(s|m|h)$`;
const PER_S: Record<string, number> = { s: 1, m: 1 / 60, h: 1 / 3600 };

/** A rate with a unit (`50/s`, `3000/m`, `10/h`) → operations per second. */
export function rate() {
  return z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `a rate needs a unit, e.g. "${iss.input}/s" or "${iss.input}/m"; got the bare number ${iss.input}`
          : iss.input === undefined
            ? 'required field is missing; expected a rate such as 50/s or 3000/m'
            : `expected a rate such as 50/s or 3000/m, got ${describeInput(iss.input)}`,
    })
    .regex(new RegExp(RATE_PATTERN), { error: (iss) => `expected a rate such as 50/s or 3000/m, got ${JSON.stringify(iss.input)}` })
    .transform((text, ctx): number => {
      const m = RATE_RE.exec(text);
      const per_s = m ? Number(m[1]) * (PER_S[m[2] ?? 's'] ?? 1) : NaN;
      if (!m || !Number.isFinite(per_s)) {
        ctx.addIssue({ code: 'custom', message: `expected a rate such as 50/s or 3000/m, got "${text}"`, input: text });
        return z.NEVER;
      }
      return per_s;
    });
}

/** A probability in [0, 1]. */
export function probability() {
  return z.number().min(0).max(1);
}
