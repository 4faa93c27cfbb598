// Every built-in scenario: valid, meets its own `expect` block, and gives the same history hash
// when run twice. Heavy scenarios (listed in HEAVY) are covered by heavy.test.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';

const HEAVY = new Set(HEAVY_SCENARIOS);
const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !HEAVY.has(f))
  .sort();

describe('built-in scenarios', () => {
  it('there are built-in scenarios, quickstart among them', () => {
    expect(files).toContain('quickstart.yaml');
  });

  it.each(files)('%s meets its expect block and is deterministic', (f) => {
    const l = loadScenario(join(dir, f));
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
  });
});
