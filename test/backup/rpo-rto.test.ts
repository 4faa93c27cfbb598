// Acceptance (issue 16): RPO and RTO of restores, measured by the checker from the history, against
// what the backup method promises and against an independent transfer-time model.
import { describe, expect, it } from 'vitest';
import type { RestoreMetrics } from '../../src/checker/restore.js';
import { faultsOf, runYaml, scenarioYaml } from './run-helper.js';

const lww = '{ type: async, conflict: lww }';
const metricsOf = (r: { metrics: unknown }) => r.metrics as unknown as RestoreMetrics;

describe('RPO by method', () => {
  it('snapshot only: RPO is at least the time since the last snapshot', () => {
    const { result, history } = runYaml(
      scenarioYaml({
        engine: lww,
        model: 'register',
        backup: '  store: { region: a }\n  policies:\n    - { nodes: b, full: 40s }',
        restore: '  - { at: 150s, restore: { target: b/0, method: snapshot } }',
      }),
    );
    const lastFull = Math.max(...faultsOf(history, 'backup').filter((b) => b['kind'] === 'full' && b['status'] === 'stored' && b.t <= 150e6).map((b) => b['to_us'] as number));
    const m = metricsOf(result);
    expect(lastFull).toBe(120e6);
    expect(m.rpo_ms_by_method['snapshot']).toBeGreaterThanOrEqual((150e6 - lastFull) / 1000);
  });

  it('log shipping: RPO is at most the shipping interval plus an upload', () => {
    const { result, history } = runYaml(
      scenarioYaml({
        engine: lww,
        model: 'register',
        backup: '  store: { region: a, bandwidth_mb_per_s: 0.05 }\n  policies:\n    - { nodes: b, full: 40s, log: 10s }',
        restore: '  - { at: 155s, restore: { target: b/0, method: logs } }',
      }),
    );
    const uploads = faultsOf(history, 'backup').filter((b) => b['kind'] === 'log' && b['status'] === 'stored');
    const longestUpload = Math.max(...uploads.map((b) => b.t - (b['to_us'] as number)));
    const rpo = metricsOf(result).rpo_ms_by_method['logs'] as number;
    expect(rpo).toBeGreaterThan(0);
    expect(rpo).toBeLessThanOrEqual((10e6 + longestUpload) / 1000);
  });
});

describe('RTO grows linearly with data size at fixed bandwidth', () => {
  // The independent model: a request round trip (store latency + the network both ways) and the
  // bytes at the bandwidth; RTO adds only the wait for the first client write after.
  const BANDWIDTH_B_PER_S = 20_000;
  const model_ms = (bytes: number) => (20_000 + 2 * 10_000 + (bytes / BANDWIDTH_B_PER_S) * 1e6) / 1000;

  it('three sizes, each within 10% of the model', () => {
    const points = [300, 600, 1200].map((keys) => {
      const { result, history } = runYaml(
        scenarioYaml({
          engine: lww,
          model: 'register',
          keys,
          rate: '100/s',
          duration: '95s',
          regions: '  a: { nodes: 1 }\n  b: { nodes: 1 }',
          backup: `  store: { region: a, latency: 20ms, bandwidth_mb_per_s: ${BANDWIDTH_B_PER_S / 1e6} }\n  policies:\n    - { nodes: b, full: 60s }`,
          restore: '  - { at: 90s, restore: { target: b/0, method: snapshot } }',
        }).replace('inter_region: { latency: 10ms, jitter: 1ms }', 'inter_region: { latency: 10ms, jitter: 0us, distribution: constant }'),
      );
      const [done] = faultsOf(history, 'restored');
      return { bytes: done?.['bytes'] as number, rto: metricsOf(result).restore.rto_ms as number };
    });
    for (const p of points) expect(Math.abs(p.rto - model_ms(p.bytes)) / model_ms(p.bytes)).toBeLessThanOrEqual(0.1);
    // and the sizes really differ (else linearity would be untested)
    expect((points[2]?.bytes ?? 0) / (points[0]?.bytes ?? 1)).toBeGreaterThan(3);
  });
});

describe('writes lost by a restore', () => {
  // b is cut off from 100 s: its writes then exist only at b; restoring b to before the cut
  // discards them unless they are reapplied.
  const yaml = (reapply: string) =>
    scenarioYaml({
      engine: lww,
      model: 'register',
      backup: '  store: { region: b }\n  policies:\n    - { nodes: b, full: 30s, log: 10s }',
      restore: `  - { at: 100s, isolate: b, for: 50s }\n  - { at: 140s, restore: { target: b/0, method: pitr, to: 95s, reapply: ${reapply} } }`,
    });

  it('appear, with the restore as the cause, when the rolled-back writes are dropped', () => {
    const m = metricsOf(runYaml(yaml('none')).result).restore;
    expect(m.lost_writes).toBeGreaterThan(0);
    const w = m.witnesses[0];
    expect(w?.details?.['cause']).toBe('restore');
    expect(w?.explanation).toMatch(/rolled it back/);
  });

  it('do not appear when every rolled-back write is reapplied', () => {
    const m = metricsOf(runYaml(yaml('all')).result).restore;
    expect(m.rolled_back).toBeGreaterThan(0);
    expect(m.lost_writes).toBe(0);
    expect(m.reapplied).toBeGreaterThan(0);
  });
});
