// The six-step runbook as a drill: steps in order with their own durations, the alert from a
// fault, the validate step stopping the drill when the replicas disagree.
import { describe, expect, it } from 'vitest';
import { faultsOf, runYaml, scenarioYaml } from './run-helper.js';

const drill = (validate: string, extra = '') =>
  scenarioYaml({
    engine: '{ type: async, conflict: lww }',
    model: 'register',
    duration: '4m',
    keys: 500,
    backup: `  store: { region: a }\n  policies:\n    - { nodes: a, full: 30s, log: 10s }\n    - { nodes: b, full: 30s, log: 10s }\n    - { nodes: c, full: 30s, log: 10s }
runbook:
  when: { fault: partition, on: end, after: 10s }
  target: ${extra || '[a, b, c]'}
  isolate: 5s
  identify: { take: 20s, before: 5s }
  extract: 15s
  reconstruct: { method: pitr, reapply: none }
  validate: ${validate}
  resync: 5s`,
    restore: '  - { at: 60s, partition: [[a], [b], [c]], for: 60s }',
  });

describe('runbook', () => {
  it('runs the six steps in order when the alert fires, each for its time, and restores to before the fault', () => {
    // a few keys may differ: changes in flight at the restore point are not in every replica's log
    const { result, history } = runYaml(drill('{ take: 10s, max_divergent_keys: 5 }'));
    const steps = faultsOf(history, 'runbook').filter((r) => r['phase'] === 'start').map((r) => [r['step'], r.t / 1e6]);
    expect(steps).toEqual([
      ['isolate', 130],
      ['identify', 135],
      ['extract', 155],
      ['reconstruct', 170],
      ['validate', expect.any(Number)],
      ['resync', expect.any(Number)],
    ]);
    const restored = faultsOf(history, 'restored');
    expect(restored.map((r) => r['point_us'])).toEqual([55e6, 55e6, 55e6]); // 5 s before the partition
    const m = result.metrics as unknown as { restore: { runbook_ms: number; runbook_divergent_keys: number } };
    expect(m.restore.runbook_divergent_keys).toBeLessThanOrEqual(5);
    // isolate + identify + extract + the restore + validate + resync
    expect(m.restore.runbook_ms).toBeGreaterThan((5 + 20 + 15 + 10 + 5) * 1000);
  });

  it('stops at validate when the replicas disagree: no resync, no total', () => {
    // restoring one region only leaves it apart from the two others on the keys not written since
    const { result, history } = runYaml(drill('{ take: 10s, max_divergent_keys: 5 }', 'b'));
    const verdict = faultsOf(history, 'runbook').find((r) => r['phase'] === 'verdict');
    expect(verdict?.['passed']).toBe(false);
    expect(faultsOf(history, 'runbook').some((r) => r['step'] === 'resync' && r['phase'] === 'skipped')).toBe(true);
    expect((result.metrics as unknown as { restore: { runbook_ms: number | null } }).restore.runbook_ms).toBeNull();
  });
});
