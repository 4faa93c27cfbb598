// The read_from scenarios compared with each other: identical traffic, so the differences in
// staleness, latency and availability are the read path's alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../../src/index.js';
import type { HistoryRecord, InvokeRecord } from '../../../src/history/types.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'scenarios');

function run(file: string) {
  const loaded = loadScenario(join(dir, file));
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded)}`);
  const out = runScenario(loaded.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(`${file}: ${out.error}`);
  return { result: out.result, history: out.history ?? [] };
}

const invokes = (h: HistoryRecord[]) => h.filter((r): r is InvokeRecord => r.type === 'invoke');
const traffic = (h: HistoryRecord[]) => invokes(h).map((r) => [r.t, r.client, r.f, r.key, r.value ?? null]);
const stale = (r: ReturnType<typeof run>['result']) => r.anomalies.stale_read.count ?? NaN;

/** The outcome type of every op, by op id. */
function outcomes(h: HistoryRecord[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const r of h) if (r.type === 'ok' || r.type === 'fail' || r.type === 'info') m.set(r.op, r.type);
  return m;
}

const SEC = 1_000_000;
const PART_FROM = 30 * SEC;
const PART_TO = 45 * SEC;

describe('async read_from scenarios', () => {
  const local = run('async-read-local.yaml');
  const quorum = run('async-read-quorum.yaml');

  it('local and quorum runs see the same traffic', () => {
    expect(traffic(quorum.history)).toEqual(traffic(local.history));
    expect(invokes(local.history).filter((r) => r.f === 'read').length).toBeGreaterThan(3000);
  });

  it('quorum reads cut stale reads by more than three quarters, but not to zero (W=1, R=2, N=3)', () => {
    expect(stale(local.result)).toBeGreaterThan(300);
    expect(stale(quorum.result)).toBeLessThan(stale(local.result) / 4);
    expect(stale(quorum.result)).toBeGreaterThan(0);
  });

  it('a quorum read costs about a round trip to the nearest other region (70 ms from us-east and eu-west)', () => {
    const l = local.result.metrics.latency_ms;
    const q = quorum.result.metrics.latency_ms;
    expect(q.read.p50! - l.read.p50!).toBeGreaterThan(65);
    expect(q.read.p50! - l.read.p50!).toBeLessThan(90);
    // ap-northeast's nearest peer is 150 ms away and back
    expect(q.read.p99!).toBeGreaterThan(145);
    expect(q.write.p99!).toBeCloseTo(l.write.p99!, 0);
  });

  it('in a partition the minority cannot complete a quorum read; its writes and the majority are unaffected', () => {
    const qp = run('async-read-quorum-partition.yaml');
    const lp = run('async-read-local-partition.yaml');
    expect(traffic(qp.history)).toEqual(traffic(local.history));
    const out = outcomes(qp.history);
    // A read issued at ap-northeast while it is cut off (and the request landed there) never completes.
    const cutReads = invokes(qp.history).filter((r) => r.node.startsWith('ap-northeast/') && r.f === 'read' && r.t > PART_FROM + 1000 && r.t < PART_TO - 200_000);
    expect(cutReads.length).toBeGreaterThan(100);
    expect(cutReads.every((r) => out.get(r.op) === 'info')).toBe(true);
    const infos = invokes(qp.history).filter((r) => out.get(r.op) === 'info');
    expect(infos.every((r) => r.node.startsWith('ap-northeast/') && r.f === 'read')).toBe(true);
    const byRegion = qp.result.metrics.availability_by_region;
    expect(byRegion['ap-northeast']).toBeLessThan(0.9);
    expect(byRegion['us-east']).toBe(1);
    expect(byRegion['eu-west']).toBe(1);
    // Local reads stay available through the same partition, and are staler still.
    expect(lp.result.metrics.availability_by_region['ap-northeast']).toBe(1);
    expect(stale(lp.result)).toBeGreaterThan(stale(qp.result));
    expect(stale(qp.result)).toBeGreaterThan(stale(quorum.result));
  });

  it('leader reads with home ownership: nothing stale, every key linearizable, a round trip for most ops', () => {
    const leader = run('async-read-leader.yaml');
    expect(traffic(leader.history)).toEqual(traffic(local.history));
    expect(stale(leader.result)).toBe(0);
    expect(leader.result.anomalies.non_linearizable.count).toBe(0);
    expect(local.result.anomalies.non_linearizable.count).toBeGreaterThan(0);
    expect(leader.result.metrics.latency_ms.read.p50!).toBeGreaterThan(60);
  });
});
