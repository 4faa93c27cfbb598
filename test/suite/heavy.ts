/**
 * Built-in scenarios too slow to run inside every other test (partition-2h takes about 17 s);
 * test/scenarios/heavy.test.ts runs them on their own. The one list of them, used by the `replsim test` run inside the
 * vitest suite and by test/scenarios/builtin.test.ts.
 * Remove an entry here once the scenario runs in seconds.
 */
export const HEAVY_SCENARIOS: readonly string[] = ['partition-2h.yaml'];
