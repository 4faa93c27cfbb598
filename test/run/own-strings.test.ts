// runScenario works on a copy of the scenario with every string internalized
// (src/run/own-strings.ts): equal data, the caller's object untouched, and a scenario cloned
// as a worker thread receives it runs to the same history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run.js';
import { internalized, withOwnStrings } from '../../src/run/own-strings.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { tinyScenario } from '../suite/fixtures.js';

function scenario(): Scenario {
  const l = parseScenario(tinyScenario('own-strings'), 'own-strings.yaml');
  if (!l.ok) throw new Error('tiny scenario did not load');
  return l.scenario;
}

describe('own strings', () => {
  it('gives back equal text for any string, array indexes and "__proto__" included', () => {
    fc.assert(fc.property(fc.string(), (t) => internalized(t) === t));
    for (const t of ['0', '42', '__proto__', '', 'register']) expect(internalized(t)).toBe(t);
  });

  it('copies any JSON value to an equal one with the same key order, the input untouched', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const before = JSON.stringify(v);
        const own = withOwnStrings(v);
        expect(JSON.stringify(own)).toBe(before);
        expect(JSON.stringify(v)).toBe(before);
      }),
    );
    const tricky = JSON.parse('{"__proto__": {"a": 1}, "2": "x", "b": ["y"]}') as unknown;
    const own = withOwnStrings(tricky) as Record<string, unknown>;
    expect(Object.getPrototypeOf(own)).toBe(Object.prototype);
    expect(Object.keys(own)).toEqual(['2', '__proto__', 'b']);
  });

  it('a scenario is copied, equal, and a structured clone of it (as a worker receives it) runs to the same history', () => {
    const s = scenario();
    const before = JSON.stringify(s);
    const own = withOwnStrings(s);
    expect(own).not.toBe(s);
    expect(JSON.stringify(own)).toBe(before);
    const a = runScenario(s, { check: false });
    const b = runScenario(structuredClone(s), { check: false });
    if (!a.ok || !b.ok) throw new Error('run failed');
    expect(b.result.history_sha256).toBe(a.result.history_sha256);
    expect(JSON.stringify(s)).toBe(before);
  });
});
