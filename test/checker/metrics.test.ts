import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { percentiles } from '../../src/checker/metrics.js';
import { history, s } from './builders.js';

/** A partition from 5 s to 9 s with traffic on both sides; every number below is worked out by hand. */
function partitionRun() {
  const h = history();
  const op1 = h.write('us-east/0', 'k', 1, s(1), s(1.002));
  const op2 = h.write('eu-west/0', 'k', 2, s(2), s(2.01));
  h.read('ap-northeast/0', 'k', 2, s(3), s(3.0005));
  h.op({ client: 'eu-west/1', f: 'read', key: 'k', at: s(4), fail: s(4.1) });
  const op5 = h.op({ client: 'us-east/0', f: 'write', key: 'k', value: 3, at: s(6), info: s(8) });
  const op6 = h.write('eu-west/0', 'j', 4, s(7), s(7.3));
  h.fault(s(5), 'partition', { id: 1, groups: [['us-east'], ['eu-west', 'ap-northeast']] });
  h.fault(s(9), 'end', { id: 1 });
  h.apply(s(1.001), 'us-east/0', 'k', 1, op1);
  h.apply(s(1.052), 'eu-west/0', 'k', 1, op1); // lag 50 ms
  h.apply(s(1.102), 'ap-northeast/0', 'k', 1, op1); // lag 100 ms
  h.apply(s(2.005), 'eu-west/0', 'k', 2, op2);
  h.apply(s(2.04), 'us-east/0', 'k', 2, op2); // lag 30 ms
  h.apply(s(2.06), 'ap-northeast/0', 'k', 2, op2); // lag 50 ms
  h.apply(s(7.1), 'eu-west/0', 'j', 4, op6);
  h.apply(s(9.5), 'us-east/0', 'j', 4, op6); // lag 2200 ms, 500 ms after the heal
  h.apply(s(6.5), 'us-east/0', 'k', 3, op5); // unacknowledged: no lag
  h.apply(s(9.6), 'ap-northeast/0', 'k', 3, op5);
  h.apply(s(9.8), 'eu-west/0', 'k', 3, op5); // last apply: 800 ms after the heal
  h.final('k', { 'us-east/0': 3, 'eu-west/0': 3, 'ap-northeast/0': 3 });
  h.final('j', { 'us-east/0': 4, 'eu-west/0': 4 });
  return h;
}

describe('metrics', () => {
  const m = checkHistory(partitionRun().records(), { model: 'register' }).metrics;

  it('availability overall, by region and during faults', () => {
    expect(m.availability).toBeCloseTo(4 / 6, 12);
    expect(m.availability_by_region).toEqual({ 'ap-northeast': 1, 'eu-west': 2 / 3, 'us-east': 1 / 2 });
    expect(m.availability_during_faults).toBe(0.5); // ops 5 (info) and 6 (ok)
  });

  it('latency of ok ops, nearest-rank percentiles in ms', () => {
    expect(m.latency_ms.read).toEqual({ p50: 0.5, p99: 0.5, max: 0.5 });
    expect(m.latency_ms.write).toEqual({ p50: 10, p99: 300, max: 300 });
  });

  it('replication lag from ack to apply at each other node', () => {
    expect(m.replication_lag_ms).toEqual({ p50: 50, p99: 2200, max: 2200 });
  });

  it('convergence from the end of the partition to the last apply, per key too', () => {
    expect(m.convergence_ms).toBe(800);
    expect(m['convergence_by_key_ms']).toEqual([
      { key: 'k', ms: 800 },
      { key: 'j', ms: 500 },
    ]);
  });

  it('rpo 0 when nothing acknowledged was lost; rto from the partition to the next acknowledged write', () => {
    expect(m.rpo_ms).toBe(0);
    expect(m.rto_ms).toBe(2300);
  });

  it('rpo spans the lost acknowledged writes', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.001));
    h.write('ap-northeast/0', 'k', 500, s(3), s(3.001)); // lost
    h.write('ap-northeast/0', 'j', 7, s(4), s(4.25)); // lost with the crashed node
    h.final('k', { 'us-east/0': 300 });
    const r = checkHistory(h.records(), { model: 'register' });
    expect(r.anomalies.lost_update.count).toBe(2);
    expect(r.metrics.rpo_ms).toBe(1250);
  });

  it('without faults or final records: the fault metrics are null, not zero', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    const r = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(r.availability).toBe(1);
    expect(r.availability_during_faults).toBeNull();
    expect(r.convergence_ms).toBeNull();
    expect(r.rpo_ms).toBeNull();
    expect(r.rto_ms).toBeNull();
    expect(r.replication_lag_ms).toEqual({ p50: null, p99: null, max: null });
  });

  it('a cas mismatch or out-of-stock is an answer, not unavailability', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    h.op({ client: 'a/0', f: 'cas', key: 'k', value: [7, 2], at: s(2), fail: s(2.1) });
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 3, at: s(3), fail: s(3.1) });
    const recs = h.records().map((r) =>
      r.type === 'fail' ? { ...r, error: r.op === 2 ? 'cas-mismatch' : 'timeout' } : r,
    );
    const m2 = checkHistory(recs, { model: 'cas-register' }).metrics;
    expect(m2.availability).toBeCloseTo(2 / 3, 12);
    expect(m2.availability_by_region).toEqual({ a: 2 / 3 });
  });

  it('an empty history has no availability', () => {
    expect(checkHistory([], { model: 'register' }).metrics.availability).toBeNull();
  });

  it('convergence is null while replicas still disagree', () => {
    const h = partitionRun();
    h.final('x', { 'us-east/0': 1, 'eu-west/0': 2 });
    expect(checkHistory(h.records(), { model: 'register' }).metrics.convergence_ms).toBeNull();
  });

  it('writes invoked after the heal are new traffic, not convergence', () => {
    const h = partitionRun();
    const late = h.write('us-east/0', 'j', 5, s(10), s(10.001));
    h.apply(s(10.0005), 'us-east/0', 'j', 5, late);
    h.apply(s(12), 'eu-west/0', 'j', 5, late);
    h.final('j', { 'us-east/0': 5, 'eu-west/0': 5 }, s(101));
    expect(checkHistory(h.records(), { model: 'register' }).metrics.convergence_ms).toBe(800);
  });

  it('a crash window closes at the restart of the same node', () => {
    const h = history();
    h.fault(s(5), 'crash', { node: 'us-east/0' });
    h.fault(s(7), 'restart', { node: 'us-east/0' });
    h.op({ client: 'us-east/0', f: 'write', key: 'k', value: 1, at: s(6), fail: s(6.1) });
    h.write('us-east/1', 'k', 2, s(6.5), s(6.6));
    h.write('us-east/0', 'k', 3, s(8), s(8.1)); // after the restart: outside the window
    const r = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(r.availability_during_faults).toBe(0.5);
    expect(r.rto_ms).toBe(1600);
  });

  it('overlapping and separate fault windows count each op once', () => {
    const h = history();
    h.fault(s(1), 'slow', { id: 1, between: ['a', 'b'] });
    h.fault(s(2), 'crash', { id: 2, target: 'a/0' });
    h.fault(s(3), 'end', { id: 1 });
    h.fault(s(4), 'end', { id: 2 });
    h.fault(s(6), 'isolate', { id: 3, target: 'b' });
    h.fault(s(7), 'end', { id: 3 });
    h.write('b/0', 'k', 1, s(0.5), s(0.6)); // before
    h.write('b/0', 'k', 2, s(1.5), s(1.6)); // slow only
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 3, at: s(2.5), info: s(4.5) }); // both
    h.write('b/0', 'k', 4, s(5), s(5.1)); // between
    h.op({ client: 'b/0', f: 'write', key: 'k', value: 5, at: s(6.5), fail: s(6.6) }); // isolate
    h.write('a/0', 'k', 6, s(8), s(8.5)); // after
    const r = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(r.availability_during_faults).toBeCloseTo(1 / 3, 12);
    // crash at 2 s: next ack of a write invoked after it is at 5.1 s; isolate at 6 s: at 8.5 s
    expect(r.rto_ms).toBe(3100);
  });

  it('heal closes every network fault', () => {
    const h = history();
    h.fault(s(1), 'partition', { groups: [['a'], ['b']] });
    h.fault(s(2), 'isolate', { target: 'c' });
    h.fault(s(4), 'heal');
    h.apply(s(4.25), 'a/0', 'k', 1);
    h.final('k', { 'a/0': 1 });
    expect(checkHistory(h.records(), { model: 'register' }).metrics.convergence_ms).toBe(250);
  });
});

describe('percentiles', () => {
  it('nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(xs)).toEqual({ p50: 50, p99: 99, max: 100 });
    expect(percentiles([7])).toEqual({ p50: 7, p99: 7, max: 7 });
    expect(percentiles([])).toEqual({ p50: null, p99: null, max: null });
  });
});
