// A run cut short by a limit judged only part of its traffic, so none of its expectations is
// met, even one its partial counts would satisfy: an early stop is never a pass.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

const QUICKSTART = join(import.meta.dirname, '..', '..', 'scenarios', 'quickstart.yaml');

describe('a run that did not complete', () => {
  it('meets no expectation, and each says the run stopped early', () => {
    const l = loadScenario(QUICKSTART);
    if (!l.ok) throw new Error('quickstart does not load');
    const full = runScenario(l.scenario);
    if (!full.ok) throw new Error(full.error);
    expect(full.result.stop.complete).toBe(true);
    expect(full.result.passed).toBe(true);
    const cut = runScenario({ ...l.scenario, limits: { ...l.scenario.limits, max_events: 2000 } });
    if (!cut.ok) throw new Error(cut.error);
    expect(cut.result.stop.complete).toBe(false);
    expect(cut.result.expect.length).toBe(full.result.expect.length);
    expect(cut.result.expect.every((e) => !e.met)).toBe(true);
    expect(cut.result.expect[0]?.why).toMatch(/did not complete/);
    expect(cut.result.passed).toBe(false);
  });
});
