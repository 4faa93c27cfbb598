/**
 * Decimal text of an integer, as `String(n)` writes it, but fast for integers past 2^31.
 * Simulated times are microseconds, so an hour is already 3.6e9: a heap number, whose
 * `String()` goes through the general double-to-text path (~120 ns, measured) instead of the
 * small-integer one. Split into two small integers it costs ~40 ns. History lines and `apply`
 * versions write one or two such times each, for millions of records per long run.
 */
const ZEROS = ['', '0', '00', '000', '0000', '00000'];
const SPLIT_FROM = 1e9;
const SPLIT_BELOW = 2 ** 53;

export function intText(n: number): string {
  if (n < SPLIT_FROM || n >= SPLIT_BELOW || !Number.isInteger(n)) return `${n}`;
  const hi = Math.floor(n / 1e6);
  const lo = `${n - hi * 1e6}`;
  return `${hi}${ZEROS[6 - lo.length] as string}${lo}`;
}
