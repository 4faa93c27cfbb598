/**
 * `--seed`, the same in every command: shown as a string option (so the help of each command
 * reads alike and a bad value is quoted as typed), parsed here into a non-negative integer.
 */
import { InputError } from './io.js';

/** The yargs option of `--seed`. */
export const SEED_OPTION = { type: 'string', describe: 'override the scenario seed (a non-negative integer)' } as const;

/** The seed given, or undefined; a value that is not a non-negative integer is bad input. */
export function parseSeed(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const seed = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(seed)) throw new InputError(`--seed: expected a non-negative integer, got "${text}"`);
  return seed;
}
