import { describe, expect, it } from 'vitest';
import { progressLine, renderScenarioLines, renderSuite } from '../../src/suite/render.js';
import type { ScenarioReport } from '../../src/suite/suite.js';

const base: ScenarioReport = { file: 'scenarios/x.yaml', name: 'x', status: 'pass', time_ms: 1530, failures: [], errors: [], expect: [], golden: 'match', drift: [], notes: [] };

describe('test command output', () => {
  it('one line per passing scenario with its time; failures indented below', () => {
    expect(renderScenarioLines(base, { color: false })).toEqual(['✓ scenarios/x.yaml  1.5s']);
    expect(renderScenarioLines({ ...base, notes: ['no golden outcome; run --update'] }, { color: false })).toEqual([
      '✓ scenarios/x.yaml  1.5s  (no golden outcome; run --update)',
    ]);
    expect(renderScenarioLines({ ...base, status: 'fail', failures: ['lost_update: want >= 1, got 0'] }, { color: false })).toEqual([
      '✗ scenarios/x.yaml  1.5s',
      '    lost_update: want >= 1, got 0',
    ]);
    expect(renderScenarioLines({ ...base, status: 'error', time_ms: null, errors: ['x.yaml:1:1 bad'] }, { color: false })).toEqual([
      '! scenarios/x.yaml',
      '    x.yaml:1:1 bad',
    ]);
    expect(renderScenarioLines({ ...base, golden: 'written' }, { color: false })[0]).toBe('✓ scenarios/x.yaml  1.5s  (golden outcome written)');
    expect(
      renderScenarioLines({ ...base, status: 'fail', golden: 'drift', drift: ['lost_update 1 → 0'], failures: ['outcome changed from x: lost_update 1 → 0'] }, { color: false }),
    ).toEqual([
      '✗ scenarios/x.yaml  1.5s',
      '    outcome changed from x: lost_update 1 → 0',
      '    (an intended change? record it: replsim test --update scenarios/x.yaml)',
    ]);
  });

  it('a summary with counts, workers and time', () => {
    const text = renderSuite(
      { scenarios: [base, { ...base, status: 'fail' }], excluded: ['scenarios/big.yaml'], workers: 2, summary: { total: 2, passed: 1, failed: 1, errors: 0 } },
      { color: false, total_ms: 41_250 },
    );
    expect(text.split('\n').slice(-2)).toEqual(['2 scenarios: 1 passed, 1 failed, 1 excluded (2 workers in 41.3s)', '']);
    const sharded = renderSuite(
      { scenarios: [base], excluded: [], workers: 1, shard: { index: 2, count: 4, of_files: 9 }, summary: { total: 1, passed: 1, failed: 0, errors: 0 } },
      { color: false },
    );
    expect(sharded.trim().split('\n').at(-1)).toBe('shard 2/4 of 9 · 1 scenario: 1 passed (1 worker)');
  });

  it('the progress bar fits the width given', () => {
    expect(progressLine(3, 12, 'scenarios/x.yaml')).toBe('[#####...............] 3/12 scenarios/x.yaml');
    const long = progressLine(1, 2, `scenarios/${'y'.repeat(200)}.yaml`, 60);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('.yaml')).toBe(true);
  });
});
