/**
 * The wording of the determinism guard's failure (src/suite/determinism.ts): why two runs of
 * one scenario and seed can differ, most common first. Kept in the report layer, where the
 * names of the host's clocks and random sources may be written (src/ elsewhere may not).
 */
export const NONDETERMINISM_CAUSES =
  'usual causes: Math.random() (use ctx.rng), Date.now(), new Date() or performance.now() (use ctx.now()), ' +
  'state kept in module scope that outlives a run (keep it in the state init returns), ' +
  'iteration over object keys that look like numbers (they come out in numeric order, not insertion order) or over ' +
  'a Set/Map filled from another source of nondeterminism (a Map filled in arrival order is fine: arrivals are deterministic), ' +
  'timers or promises of the host (setTimeout, await: use ctx.setTimer)';
