/**
 * Circuit breakers, one per client and region (`client.breaker`): closed while requests
 * succeed; open after `failures` consecutive failures (timeouts or fails), when requests to
 * the region fail at once without being sent; half-open `open_for` later, when one trial
 * request goes through: success closes the breaker, failure opens it again. The pattern of
 * Nygard's "Release It!" and Hystrix, as pure state transitions.
 */
export type BreakerState =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number }
  | { kind: 'half_open'; trial: boolean };

export interface BreakerSpec {
  failures: number;
  open_for_us: number;
}

export const CLOSED: BreakerState = { kind: 'closed', failures: 0 };

/** Whether a request may be sent now, and the state after deciding (a half-open breaker lets one trial through). */
export function admit(s: BreakerState, now: number): { ok: boolean; next: BreakerState } {
  switch (s.kind) {
    case 'closed':
      return { ok: true, next: s };
    case 'open':
      return now >= s.until ? { ok: true, next: { kind: 'half_open', trial: true } } : { ok: false, next: s };
    case 'half_open':
      return s.trial ? { ok: false, next: s } : { ok: true, next: { kind: 'half_open', trial: true } };
    default: {
      const never: never = s;
      throw new Error(`unknown breaker state ${JSON.stringify(never)}`);
    }
  }
}

/** The state after a request's outcome. */
export function record(s: BreakerState, spec: BreakerSpec, success: boolean, now: number): BreakerState {
  if (success) return CLOSED;
  switch (s.kind) {
    case 'closed':
      return s.failures + 1 >= spec.failures ? { kind: 'open', until: now + spec.open_for_us } : { kind: 'closed', failures: s.failures + 1 };
    case 'open':
      return s; // a late failure of a request sent before it opened
    case 'half_open':
      return { kind: 'open', until: now + spec.open_for_us };
    default: {
      const never: never = s;
      throw new Error(`unknown breaker state ${JSON.stringify(never)}`);
    }
  }
}
