// The heavy built-in scenarios (test/suite/heavy.ts): each one meets its expect block and gives
// the same history hash twice, like every other built-in scenario, in a file of its own so the
// long run proceeds in parallel with the rest of the suite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

describe('heavy built-in scenarios', () => {
  it.each([...HEAVY_SCENARIOS])(
    '%s meets its expect block and is deterministic',
    (f) => {
      const l = loadScenario(join(dir, f));
      if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      const first = runScenario(l.scenario);
      if (!first.ok) throw new Error(first.error);
      const unmet = first.result.expect.filter((e) => !e.met).map((e) => `${e.name} ${e.want} (got ${e.got})`);
      expect(unmet).toEqual([]);
      expect(first.result.stop.complete).toBe(true);
      const second = runScenario(l.scenario, { check: false });
      if (!second.ok) throw new Error(second.error);
      expect(second.result.history_sha256).toBe(first.result.history_sha256);
    },
    900_000,
  );
});
