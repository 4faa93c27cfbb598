/**
 * Wording of validation messages: one sentence that says what was expected and what was
 * found, in YAML terms (mapping, list), with a "did you mean" when a value is a near miss.
 * Used as the per-parse zod error map; messages set on a schema itself take precedence.
 */
import type { z } from 'zod';
import { didYouMean } from './suggest.js';
import { MAX_ERRORS, quoteText } from './text.js';

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  literal: 'a fixed value',
};

/** What a value looks like, for "got ...": strings quoted, collections named. */
export function describeInput(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') {
    const s = v.length > 40 ? `${v.slice(0, 40)}...` : v;
    return JSON.stringify(s);
  }
  return String(v);
}

function listValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : String(v))).join(' | ');
}

function enumMessage(values: readonly unknown[], input: unknown): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const hint = typeof input === 'string' ? didYouMean(input, strings) : '';
  if (input === undefined) return `required field is missing; expected one of ${listValues(values)}`;
  const head = values.length === 1 ? `expected ${listValues(values)}` : `expected one of ${listValues(values)}`;
  return `${head}, got ${describeInput(input)}${hint}`;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const n = String(small ? issue.minimum : issue.maximum);
  return `${small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'} ${n}`;
}

/** The per-parse error map for the scenario schema. */
export const scenarioErrorMap: z.core.$ZodErrorMap = (issue) => {
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      const want = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return `required field is missing; expected ${want}`;
      return `expected ${want}, got ${describeInput(input)}`;
    }
    case 'invalid_value':
      return enumMessage(issue.values, input);
    case 'too_small': {
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = Number(issue.minimum);
        return `expected at least ${n} item${n === 1 ? '' : 's'}${Array.isArray(input) ? `, got ${input.length}` : ''}`;
      }
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `expected at least ${String(issue.minimum)} characters`;
      return `expected a number ${bound(issue, true)}, got ${describeInput(input)}`;
    }
    case 'too_big': {
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = Number(issue.maximum);
        return `expected at most ${n} item${n === 1 ? '' : 's'}${Array.isArray(input) ? `, got ${input.length}` : ''}`;
      }
      if (issue.origin === 'string') return `expected at most ${String(issue.maximum)} characters`;
      return `expected a number ${bound(issue, false)}, got ${describeInput(input)}`;
    }
    case 'invalid_format':
      return `expected text matching ${issue.pattern ?? issue.format}, got ${describeInput(input)}`;
    case 'invalid_key': {
      const inner = issue.issues[0]?.message;
      return `invalid name ${describeInput(input)}${inner ? `: ${inner}` : ''}`;
    }
    case 'invalid_union': {
      const raw = issue as { note?: string; discriminator?: string; options?: unknown[] };
      if (raw.note === 'No matching discriminator' && raw.discriminator && raw.options) {
        const got = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[raw.discriminator] : undefined;
        return enumMessage(raw.options, got);
      }
      return `got ${describeInput(input)}, which matches none of the allowed forms`;
    }
    case 'unrecognized_keys':
      return issue.keys.slice(0, MAX_ERRORS).map((k) => `unknown field ${quoteText(k)}`).join('\n');
    default:
      return undefined;
  }
};
