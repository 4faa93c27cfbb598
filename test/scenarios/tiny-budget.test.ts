/**
 * "Unknown is never zero" across every built-in scenario (issue 13): the linearizability
 * search given a tiny work budget (as a slow machine's time budget once did) must turn its
 * count into null with the reason, never into 0 or a smaller number, and every `expect` on
 * it must be unmet and say why. Each (non-heavy) scenario is simulated once; its kept history
 * is checked again the way the run checks it (checkOptionsOf) with the tiny budget.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { ANOMALY_NAMES } from '../../src/checker/types.js';
import { checkOptionsOf, runScenario } from '../../src/run/run.js';
import { expectValue } from '../../src/run/expect-values.js';
import { evaluateExpectations } from '../../src/scenario/expect.js';
import { loadScenario } from '../../src/scenario/load.js';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';
import { SCENARIO_DIR } from './met-and-deterministic.js';

const TINY = { max_states: 1 };
const HEAVY = new Set(HEAVY_SCENARIOS);
const files = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml') && !HEAVY.has(f))
  .sort();

function load(file: string) {
  const l = loadScenario(join(SCENARIO_DIR, file));
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return l.scenario;
}

describe('built-in scenarios with a tiny linearizability budget', () => {
  it.each(files)('%s: no count becomes 0 or smaller; it becomes null (unknown) and expects on it are unmet', (file) => {
    const s = load(file);
    const normal = runScenario(s, { keepHistory: true });
    if (!normal.ok) throw new Error(normal.error);
    const tiny = checkHistory(normal.history ?? [], checkOptionsOf(s, TINY));

    for (const name of ANOMALY_NAMES) {
      const before = normal.result.anomalies[name];
      const after = tiny.anomalies[name];
      // the same count, or no count at all (unknown, with a reason): never another number
      if (after.count !== before.count) {
        expect({ name, count: after.count, unknown: after.unknown }).toEqual({ name, count: null, unknown: true });
        expect(after.note, name).toBeTruthy();
      }
    }
    const lin = tiny.anomalies.non_linearizable;
    const needed = normal.result.anomalies.non_linearizable.work?.states ?? 0;
    if (normal.result.anomalies.non_linearizable.applicable && needed > TINY.max_states) {
      // a scenario whose search needs more than one state: the search stops, and says so
      // (a three-op history whose violation is found at the first state keeps its count)
      expect({ count: lin.count, unknown: lin.unknown }).toEqual({ count: null, unknown: true });
      expect(lin.note).toMatch(/state budget of 1 states ran out/);
    }

    const judged = evaluateExpectations(s.expect, (name) => expectValue(tiny.anomalies, normal.result.metrics, name));
    for (const e of judged) {
      const a = (tiny.anomalies as Record<string, { count: number | null } | undefined>)[e.name];
      if (a && a.count === null) {
        expect({ name: e.name, got: e.got, met: e.met }).toEqual({ name: e.name, got: null, met: false });
        expect(e.why).toMatch(/^(unknown|not applicable): /);
      }
    }
  });

  it('runScenario takes the bound: an expect on non_linearizable is unmet, says why, and the run does not pass', () => {
    // quorum-lwt-only's keys need a search (CAS ops), so the tiny budget runs out; the sync
    // scenarios' distinct-value keys are decided without one (lin/zones.ts) and keep their 0
    const s = load('quorum-lwt-only.yaml');
    expect(s.expect.some((e) => e.name === 'non_linearizable')).toBe(true);
    const out = runScenario(s, { linBudget: TINY });
    if (!out.ok) throw new Error(out.error);
    const e = out.result.expect.find((x) => x.name === 'non_linearizable');
    expect(e).toMatchObject({ got: null, met: false });
    expect(e?.why).toMatch(/^unknown: .*state budget of 1 states ran out/);
    expect(out.result.passed).toBe(false);
    expect(out.result.anomalies.non_linearizable.work).toMatchObject({ max_states: 1 });
  });
});
