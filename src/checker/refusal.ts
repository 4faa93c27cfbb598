/**
 * Business refusals: a `fail` whose error is the data's answer, not a refusal to serve.
 * `cas-mismatch` (the register did not hold the expected value) and `out-of-stock` (not enough
 * stock for the reservation) are what the engines reply when they worked and the request's
 * precondition did not hold. The op did not happen (every family still reads it as `fail`),
 * but the system was up and answered: availability, RTO and the report's charts count it as
 * served, like an `ok`.
 */

/** Error texts that are answers about the data. */
export const REFUSAL_ERRORS: readonly string[] = ['cas-mismatch', 'out-of-stock'];

/** Whether a `fail` with this error is a business refusal (served), not unavailability. */
export function isRefusal(error: string | undefined): boolean {
  return error !== undefined && REFUSAL_ERRORS.includes(error);
}
