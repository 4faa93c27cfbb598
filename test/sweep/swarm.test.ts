// Swarm draws: a pure function of the seed; every draw is within the section's bounds and
// validates as a scenario; the workload's operations do not depend on the draw; and the
// `swarm:` section is checked with positions like any other section.
import fc from 'fast-check';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { planSweep, scenarioOf } from '../../src/sweep/plan.js';
import { drawSwarm } from '../../src/sweep/swarm.js';
import { swarmSchema } from '../../src/sweep/swarm-schema.js';
import { parseDuration } from '../../src/sim/time.js';
import { runScenario } from '../../src/run/run.js';

const root = join(import.meta.dirname, '..', '..');
const file = join(root, 'scenarios', 'swarm-raft.yaml');
const source = readFileSync(file, 'utf8');
const world = { regions: [{ name: 'a', nodes: 3 }, { name: 'b', nodes: 2 }, { name: 'c', nodes: 1 }], duration_us: 12_000_000 };
const spec = swarmSchema.parse({ faults: { min: 1, max: 4, max_for: '6s' }, vary: { engine: ['raft:lease', 'raft:read-index'], 'network.inter_region.latency': '5ms..150ms/5ms' } });
const us = (t: unknown) => {
  const d = parseDuration(String(t));
  if (!d.ok) throw new Error(String(t));
  return d.value;
};

describe('drawSwarm', () => {
  it('is a pure function of the seed, and draws within the bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const d = drawSwarm(spec, world, seed);
        expect(drawSwarm(spec, world, seed)).toEqual(d);
        expect(d.kinds.length).toBeGreaterThan(0);
        expect(d.faults.length).toBeGreaterThanOrEqual(1);
        expect(d.faults.length).toBeLessThanOrEqual(4);
        let last = -1;
        for (const f of d.faults) {
          const at = us(f.at);
          expect(at).toBeGreaterThanOrEqual(last);
          expect(at).toBeLessThan(world.duration_us);
          last = at;
          if (f.for !== undefined) expect(us(f.for)).toBeLessThanOrEqual(6_000_000);
        }
        expect(['raft:lease', 'raft:read-index']).toContain(d.settings.engine);
        const lat = us(d.settings['network.inter_region.latency']);
        expect(lat >= 5000 && lat <= 150_000 && lat % 5000 === 0).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('different seeds draw different plans (not one plan for all)', () => {
    const plans = new Set(Array.from({ length: 50 }, (_, s) => JSON.stringify(drawSwarm(spec, world, s))));
    expect(plans.size).toBeGreaterThan(40);
  });

  it('every draw of a built-in swarm scenario validates, and leaves the workload untouched', () => {
    const plan = planSweep({ file, source, seeds: { first: 1, last: 40 }, varies: [], swarm: true });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    for (let i = 0; i < 40; i++) {
      const s = scenarioOf(plan.value, i);
      expect(s.scenario.ok, JSON.stringify(s.draw)).toBe(true);
    }
    // one seed run with its draw and without: the same client operations were issued
    const s = scenarioOf(plan.value, 2);
    const plain = loadScenario(file, { seed: s.seed });
    expect(s.scenario.ok && plain.ok).toBe(true);
    if (!s.scenario.ok || !plain.ok) return;
    expect(s.scenario.value.faults.length).toBeGreaterThan(0);
    const a = runScenario(s.scenario.value);
    const b = runScenario(plain.scenario);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.result.ops.total).toBe(b.result.ops.total);
  }, 120_000);

  it('a bad swarm section is an error at its position', () => {
    const bad = source.replace('min: 1, max: 4', 'min: 5, max: 4').replace('5ms..150ms/5ms', '150ms..5ms');
    const r = parseScenario(bad, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`);
    expect(msgs.some((m) => /swarm\.faults\.min: faults\.min must not exceed faults\.max/.test(m))).toBe(true);
    expect(msgs.some((m) => /swarm\.vary\.network\.inter_region\.latency: .*ends before it starts/.test(m))).toBe(true);
    const noSection = planSweep({ file: 'q.yaml', source: readFileSync(join(root, 'scenarios', 'quickstart.yaml'), 'utf8'), seeds: { first: 1, last: 1 }, varies: [], swarm: true });
    expect(noSection.ok === false && noSection.error).toMatch(/--swarm: q\.yaml has no swarm: section/);
  });
});
