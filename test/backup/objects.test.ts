// planRestore composes full snapshots, incrementals and log segments into the state at a point;
// checked against a direct fold of the change stream (stateAt), which is the definition.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stateAt, sortedEntries, stateBytes, type Change } from '../../src/backup/changes.js';
import { planRestore, retain, type BackupObject, type BackupKind } from '../../src/backup/objects.js';

/** Cuts backups from a change stream the way the service does: full at every F, logs every L. */
function cut(changes: Change[], full_us: number, log_us: number, end_us: number, failedLogs = new Set<number>()): BackupObject[] {
  const out: BackupObject[] = [];
  let id = 1;
  let shipped = 0;
  const obj = (kind: BackupKind, from: number, to: number, cs: Change[]): BackupObject => ({
    id: id++, node: 'n', kind, from_us: from, to_us: to, to_clock_us: to, bytes: cs.length, stored_at_us: to, changes: cs,
  });
  for (let t = 1; t <= end_us; t++) {
    if (t % full_us === 0) out.push(obj('full', 0, t, sortedEntries(stateAt(changes, t))));
    if (t % log_us === 0) {
      if (failedLogs.has(t)) continue; // a failed upload: the next segment covers its changes too
      out.push(obj('log', shipped, t, changes.filter((c) => c.t > shipped && c.t <= t)));
      shipped = t;
    }
  }
  return out;
}

const changeArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 5 }), key: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.integer() }), { maxLength: 80 });
const stream = (xs: Array<{ dt: number; key: string; value: number }>): Change[] => {
  let t = 0;
  return xs.map((x) => ({ t: (t += x.dt), clock_us: t, key: x.key, value: x.value }));
};

describe('planRestore', () => {
  it('pitr to any point reached by the logs = the state at that point', () => {
    fc.assert(
      fc.property(changeArb, fc.integer({ min: 10, max: 200 }), (xs, point) => {
        const cs = stream(xs);
        const objs = cut(cs, 50, 7, 210);
        const plan = planRestore(objs, 'pitr', point, 1000);
        if (point < 50) {
          expect(plan).toBeUndefined();
          return;
        }
        expect(plan?.point_us).toBe(point);
        expect(Object.fromEntries(plan?.state ?? [])).toEqual(Object.fromEntries(stateAt(cs, point)));
      }),
    );
  });

  it('snapshot method stops at the newest full snapshot', () => {
    const cs = stream(Array.from({ length: 60 }, (_, i) => ({ dt: 3, key: `k${i % 5}`, value: i })));
    const plan = planRestore(cut(cs, 50, 7, 180), 'snapshot', 175, 1000);
    expect(plan?.point_us).toBe(150);
    expect(plan?.replayed).toBe(0);
    expect(Object.fromEntries(plan?.state ?? [])).toEqual(Object.fromEntries(stateAt(cs, 150)));
  });

  it('a failed segment is bridged by the next one; a missing one stops the point before the gap', () => {
    const cs = stream(Array.from({ length: 60 }, (_, i) => ({ dt: 3, key: `k${i % 5}`, value: i })));
    const bridged = planRestore(cut(cs, 50, 7, 180, new Set([56])), 'logs', 100, 1000);
    expect(bridged?.point_us).toBe(100);
    const objs = cut(cs, 50, 7, 180).filter((o) => !(o.kind === 'log' && o.to_us === 63));
    const gap = planRestore(objs, 'logs', 99, 1000); // from the full snapshot at 50
    expect(gap?.point_us).toBe(56); // 50 + the segment (49, 56]; (56, 63] is missing
  });

  it('objects not yet stored are not read', () => {
    const cs = stream([{ dt: 60, key: 'a', value: 1 }]);
    const objs = cut(cs, 50, 7, 100).map((o) => ({ ...o, stored_at_us: o.to_us + 5 }));
    expect(planRestore(objs, 'snapshot', 1000, 52)).toBeUndefined();
    expect(planRestore(objs, 'snapshot', 1000, 55)?.point_us).toBe(50);
  });
});

describe('retain', () => {
  it('keeps the newest full snapshot before the horizon and what continues it', () => {
    const cs = stream(Array.from({ length: 60 }, (_, i) => ({ dt: 3, key: `k${i % 5}`, value: i })));
    const objs = cut(cs, 50, 7, 180);
    const kept = retain(objs, 60, 180); // horizon 120
    expect(kept.filter((o) => o.kind === 'full').map((o) => o.to_us)).toEqual([100, 150]);
    expect(Math.min(...kept.filter((o) => o.kind === 'log').map((o) => o.from_us))).toBeGreaterThanOrEqual(98);
    // a restore inside the window still works
    expect(planRestore(kept, 'pitr', 125, 1000)?.point_us).toBe(125);
  });

  it('keeps everything without a retention', () => {
    const objs = cut(stream([{ dt: 1, key: 'a', value: 1 }]), 50, 7, 100);
    expect(retain(objs, undefined, 100)).toHaveLength(objs.length);
  });
});

describe('sizes', () => {
  it('a snapshot is as big as its entries', () => {
    const s = stateAt(stream([{ dt: 1, key: 'abc', value: 12345 }]), 10);
    expect(stateBytes(s)).toBe(24 + 3 + 5);
  });
});
