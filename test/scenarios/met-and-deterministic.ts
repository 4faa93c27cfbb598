// The check every built-in scenario passes (builtin.test.ts, heavy.test.ts): it loads, has and
// meets its expect block, runs to completion, and a second run gives the same history hash.
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

export const SCENARIO_DIR = join(import.meta.dirname, '..', '..', 'scenarios');

export function expectMetAndDeterministic(file: string): void {
  const l = loadScenario(join(SCENARIO_DIR, file));
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  expect(l.scenario.expect.length).toBeGreaterThan(0);
  const first = runScenario(l.scenario);
  if (!first.ok) throw new Error(first.error);
  const unmet = first.result.expect.filter((e) => !e.met).map((e) => `${e.name} ${e.want} (got ${e.got})`);
  expect(unmet).toEqual([]);
  expect(first.result.stop.complete).toBe(true);
  const second = runScenario(l.scenario, { check: false });
  if (!second.ok) throw new Error(second.error);
  expect(second.result.history_sha256).toBe(first.result.history_sha256);
}
