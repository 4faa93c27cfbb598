// The checker's restore metrics, from hand-written histories: writes lost by a restore (the
// restore named as the cause), writes reapplied twice, RPO and RTO per method.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord } from '../../src/history/types.js';
import type { RestoreMetrics } from '../../src/checker/restore.js';

const S = 1_000_000;

/** Op 1 written at b/0 and applied there at 2 s (and at `alsoAt` when given); b/0 restored at 5 s to 1 s. */
function history(o: { alsoAt?: string; reapplied?: boolean; later?: boolean } = {}): HistoryRecord[] {
  const h: HistoryRecord[] = [
    { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0'] },
    { t: 2 * S, type: 'invoke', op: 1, client: 'b/0', node: 'b/0', f: 'write', key: 'k', value: 1 },
    { t: 2 * S, type: 'apply', node: 'b/0', key: 'k', value: 1, op: 1 },
    { t: 2 * S + 10, type: 'ok', op: 1 },
  ];
  if (o.alsoAt) h.push({ t: 3 * S, type: 'apply', node: o.alsoAt, key: 'k', value: 1, op: 1 });
  h.push(
    { t: 4 * S, type: 'fault', fault: 'backup', node: 'b/0', kind: 'full', status: 'stored', bytes: 100, from_us: 0, to_us: S, clock_us: S },
    { t: 5 * S, type: 'fault', fault: 'restore', id: 0, target: 'b/0', method: 'pitr', reapply: o.reapplied ? 'all' : 'none' },
    { t: 6 * S, type: 'fault', fault: 'restored', id: 0, node: 'b/0', method: 'pitr', started_us: 5 * S, bytes: 100, objects: 1, replayed: 0, status: 'ok', point_us: S },
  );
  if (o.reapplied) {
    h.push(
      { t: 6 * S, type: 'invoke', op: 2, client: 'b/operator', node: 'b/0', f: 'write', key: 'k', value: 1 },
      { t: 6 * S, type: 'apply', node: 'b/0', key: 'k', value: 1, op: 2 },
      { t: 6 * S, type: 'ok', op: 2 },
      { t: 6 * S, type: 'fault', fault: 'reapplied', id: 0, node: 'b/0', op: 1, as: 2 },
    );
  }
  h.push({ t: 6 * S, type: 'fault', fault: 'end', of: 'restore', id: 0 });
  if (o.later) {
    h.push(
      { t: 7 * S, type: 'invoke', op: 3, client: 'b/0', node: 'b/0', f: 'write', key: 'k', value: 3 },
      { t: 7 * S + 500_000, type: 'ok', op: 3 },
    );
  }
  return h;
}

const check = (h: HistoryRecord[]) => checkHistory(h, { model: 'register' }).metrics as unknown as RestoreMetrics;

describe('restore metrics', () => {
  it('a write applied only at the restored node, rolled back and not reapplied, is lost by the restore', () => {
    const m = check(history());
    expect(m.restore.lost_writes).toBe(1);
    expect(m.restore.witnesses[0]?.ops).toEqual([1]);
    expect(m.restore.witnesses[0]?.details?.['cause']).toBe('restore');
    expect(m.rpo_ms_by_method['pitr']).toBe(4000);
  });

  it('is not lost when another node holds it', () => {
    expect(check(history({ alsoAt: 'a/0' })).restore.lost_writes).toBe(0);
  });

  it('is not lost when reapplied; reapplying what another node held counts twice', () => {
    const only = check(history({ reapplied: true }));
    expect(only.restore.lost_writes).toBe(0);
    expect(only.restore.reapplied_twice).toBe(0);
    const twice = check(history({ reapplied: true, alsoAt: 'a/0' }));
    expect(twice.restore.reapplied_twice).toBe(1);
    expect(twice.restore.twice[0]?.ops).toEqual([1, 2]);
  });

  it('a write reapplied twice is an invariant anomaly (idempotency keys); none without it', () => {
    const bad = checkHistory(history({ reapplied: true, alsoAt: 'a/0' }), { model: 'register' });
    expect(bad.anomalies.invariant.count).toBe(1);
    expect(bad.anomalies.invariant.witnesses[0]?.details?.['rule']).toBe('reapplied twice');
    expect(checkHistory(history({ reapplied: true }), { model: 'register' }).anomalies.invariant.count).toBe(0);
  });

  it('a write whose other copy was rolled back by a restore of that node too is lost', () => {
    // a/0 applied op 1 at 3 s, and a/0 is restored to 1 s as well: no copy survives
    const h = history({ alsoAt: 'a/0' });
    const end = h.findIndex((r) => r.type === 'fault' && r.fault === 'end');
    h.splice(end, 0, { t: 6 * S, type: 'fault', fault: 'restored', id: 0, node: 'a/0', method: 'pitr', started_us: 5 * S, bytes: 1, objects: 1, replayed: 0, status: 'ok', point_us: S });
    expect(check(h).restore.lost_writes).toBe(1);
  });

  it('RTO runs to the first client write acknowledged at the node after the restore, not the operator\'s', () => {
    expect(check(history({ reapplied: true })).restore.rto_ms).toBeNull(); // unknown, never zero
    expect(check(history({ reapplied: true, later: true })).rto_ms_by_method['pitr']).toBe(2500);
  });

  it('histories without backup records get no restore metrics', () => {
    const h = history().filter((r) => r.type !== 'fault');
    expect(checkHistory(h, { model: 'register' }).metrics).not.toHaveProperty('restore');
  });
});
