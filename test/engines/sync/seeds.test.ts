/**
 * Seed loop: 200 seeded runs with random faults (crashes, partitions, one-way cuts, slow
 * links, clock jumps; operator removals for `pause`) per policy. `pause` and `witness`
 * promise no anomaly at all; `split-brain` runs show that the loop does catch anomalies.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/index.js';
import { foundOrUnknown } from '../../anomalies.js';
import { chaosScenario, type Policy } from './chaos.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';

const SEEDS = 200;
const IGNORED = new Set(['read_your_writes', 'monotonic_read']); // sessions are not promised

function anomaliesOf(policy: Policy, seed: number, model: WorkloadModel = 'register', lossy = false): string[] {
  const out = runScenario(chaosScenario(policy, seed, model, lossy));
  if (!out.ok) return [`seed ${seed}: ${out.error}`];
  const r = out.result;
  // found or unknown (an applicable family with no verdict is not a zero)
  const found = foundOrUnknown(r.anomalies, IGNORED).map((f) => `seed ${seed}: ${f}`);
  if (!r.stop.complete) found.push(`seed ${seed}: stopped: ${r.stop.reason}`);
  return found;
}

describe('sync engine seed loop', () => {
  for (const policy of ['pause', 'witness'] as const) {
    it(`${policy}: ${SEEDS} seeded runs with random faults show no anomaly`, () => {
      const bad: string[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) bad.push(...anomaliesOf(policy, seed));
      expect(bad).toEqual([]);
    });
  }

  for (const model of ['counter', 'set', 'inventory'] as const) {
    it(`${model}: 20 seeded chaos runs each under pause and witness show no anomaly`, () => {
      const bad: string[] = [];
      for (const policy of ['pause', 'witness'] as const) {
        for (let seed = 1; seed <= 20; seed++) bad.push(...anomaliesOf(policy, seed, model).map((b) => `${policy} ${b}`));
      }
      expect(bad).toEqual([]);
    });
  }

  it('pause and witness over lossy, duplicating, reordering links: 50 seeded runs each, no anomaly', () => {
    const bad: string[] = [];
    for (const policy of ['pause', 'witness'] as const) {
      for (let seed = 1; seed <= 50; seed++) bad.push(...anomaliesOf(policy, seed, 'register', true).map((b) => `${policy} ${b}`));
    }
    expect(bad).toEqual([]);
  });

  it('split-brain: the same loop does find the anomalies it promises (and no divergence)', () => {
    const found: string[] = [];
    for (let seed = 1; seed <= 30; seed++) found.push(...anomaliesOf('split-brain', seed));
    expect(found.some((f) => f.includes('stale_read'))).toBe(true);
    expect(found.some((f) => f.includes('lost_update'))).toBe(true);
    expect(found.filter((f) => /divergence|invariant|stopped/.test(f))).toEqual([]);
  });
});
