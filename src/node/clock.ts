/**
 * A node's own clock: true time plus an offset plus drift. Engines read only this (through
 * ctx.now()), so clock skew shows up exactly where real systems see it: in timestamps and leases.
 *   local(t) = t + offset + drift_ppm * (t - anchor) / 1e6
 * A clock fault re-anchors: the drift accumulated so far is folded into the offset.
 */
export interface Clock {
  offset_us: number;
  drift_ppm: number;
  anchor_us: number;
}

export function makeClock(offset_us: number, drift_ppm: number): Clock {
  return { offset_us, drift_ppm, anchor_us: 0 };
}

export function localTime(c: Clock, true_us: number): number {
  return Math.round(true_us + c.offset_us + (c.drift_ppm * (true_us - c.anchor_us)) / 1e6);
}

/** Steps the clock so that local = true + offset from now on (drift continues). */
export function setOffset(c: Clock, now_us: number, offset_us: number): void {
  c.offset_us = offset_us;
  c.anchor_us = now_us;
}

/** Changes the drift rate from now on, keeping the current reading continuous. */
export function setDrift(c: Clock, now_us: number, drift_ppm: number): void {
  c.offset_us = localTime(c, now_us) - now_us;
  c.anchor_us = now_us;
  c.drift_ppm = drift_ppm;
}
