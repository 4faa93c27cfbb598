/**
 * The built-in raft scenarios, run through the library API: every expectation in each file's
 * `expect` block must be met (each file's description says what it teaches).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../../src/index.js';

const files = readdirSync('scenarios')
  .filter((f) => f.startsWith('raft-') && f.endsWith('.yaml'))
  .sort();

describe('raft built-in scenarios', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(`${file}: every expectation is met`, () => {
      const loaded = loadScenario(`scenarios/${file}`);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      expect(loaded.scenario.engine.type).toBe('raft');
      expect(loaded.scenario.expect.length).toBeGreaterThan(0);
      const run = runScenario(loaded.scenario);
      if (!run.ok) throw new Error(run.error);
      expect(run.result.stop.complete).toBe(true);
      const unmet = run.result.expect.filter((x) => !x.met);
      expect(unmet, JSON.stringify(unmet)).toEqual([]);
      expect(run.result.anomalies.invariant.count).toBe(0);
    });
  }
});
