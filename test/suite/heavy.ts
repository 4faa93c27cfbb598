/**
 * Built-in scenarios too slow for every `npm test` for now (partition-2h takes minutes while
 * its checker is being optimised). The one list of them for the `replsim test` run inside the
 * vitest suite; test/scenarios/builtin.test.ts keeps its own HEAVY set with the same entries.
 * Remove an entry here once the scenario runs in seconds.
 */
export const HEAVY_SCENARIOS: readonly string[] = ['partition-2h.yaml'];
