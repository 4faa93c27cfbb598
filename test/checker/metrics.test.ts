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

  it('rpo 0 when nothing acknowledged was lost; rto per region, from the partition to that region\'s next served write', () => {
    expect(m.rpo_ms).toBe(0);
    expect(m['rpo_exact']).toBe(true);
    // us-east's write at 6 s ended info and it wrote nothing after: at least until the
    // history's last client event (8 s). eu-west's ack at 7.3 s is not us-east's recovery.
    expect(m.rto_ms_by_region).toEqual({ 'ap-northeast': null, 'eu-west': null, 'us-east': 3000 });
    expect(m.rto_ms).toBe(3000);
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
    // crash at 2 s: a's next served write is acknowledged at 8.5 s (b's at 5.1 s is not a's);
    // isolate at 6 s: b writes nothing after its failure, so at least until the last event (8.5 s)
    expect(r.rto_ms_by_region).toEqual({ a: 6500, b: 2500 });
    expect(r.rto_ms).toBe(6500);
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

describe('RTO per region (issue 13.12)', () => {
  /** Region a's clients fail for 30 s (isolated), b's writes keep succeeding; faults 5 s → 35 s. */
  function regionDown() {
    const h = history();
    h.fault(s(5), 'isolate', { id: 1, target: 'a' });
    h.fault(s(35), 'end', { id: 1 });
    h.write('a/0', 'k', 1, s(1), s(1.01));
    for (let i = 0; i < 30; i++) {
      h.op({ client: 'a/0', f: 'write', key: 'k', value: 10 + i, at: s(5.5 + i), fail: s(5.6 + i) });
      h.write('b/0', 'j', 100 + i, s(5.1 + i), s(5.2 + i));
    }
    h.write('a/0', 'k', 99, s(35.5), s(35.6));
    return h;
  }

  it("a region down 30 s has an RTO of 30 s, whatever another region's next write did", () => {
    const m = checkHistory(regionDown().records(), { model: 'register' }).metrics;
    expect(m.rto_ms_by_region).toEqual({ a: 30600, b: null });
    expect(m.rto_ms).toBe(30600); // was 200: b's write acknowledged at 5.2 s
  });

  it('no failed write during an outage: null (not applicable), by region and overall', () => {
    const h = history();
    h.fault(s(5), 'isolate', { id: 1, target: 'a' });
    h.fault(s(6), 'end', { id: 1 });
    h.write('a/0', 'k', 1, s(5.5), s(5.6));
    h.write('b/0', 'k', 2, s(5.5), s(5.6));
    const m = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(m.rto_ms_by_region).toEqual({ a: null, b: null });
    expect(m.rto_ms).toBeNull();
  });

  it('a write served before the outage reached the region is not its recovery', () => {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['a'], ['b']] });
    h.fault(s(20), 'end', { id: 1 });
    h.write('a/0', 'k', 1, s(5.1), s(5.2)); // still served
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 2, at: s(6), info: s(8) });
    h.write('a/0', 'k', 3, s(12), s(12.5));
    const m = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(m.rto_ms_by_region).toEqual({ a: 7500 });
  });
});

describe('business refusals are served (issue 13.12)', () => {
  /** An inventory run with a partition in which one reservation is refused out-of-stock and the rest succeed. */
  function refusedDuringPartition(error: string) {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['a'], ['b']] });
    h.fault(s(10), 'end', { id: 1 });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 1 }, at: s(1), ok: s(1.04), result: { stock_before: 2 } });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 2 }, at: s(6), ok: s(6.04), result: { stock_before: 1 } });
    const refused = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 3 }, at: s(7), fail: s(7.041) });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 4 }, at: s(8), fail: s(8.01) });
    h.op({ client: 'b/0', f: 'restock', key: 'sku', value: 5, at: s(9), ok: s(9.01) });
    return h.records().map((r) => (r.type === 'fail' ? { ...r, error: r.op === refused ? error : 'out-of-stock' } : r));
  }

  it('an out-of-stock answer is neither unavailability nor an outage to recover from', () => {
    const m = checkHistory(refusedDuringPartition('out-of-stock'), { model: 'inventory', initialStock: 2 }).metrics;
    expect(m.availability).toBe(1);
    expect(m.availability_during_faults).toBe(1);
    expect(m.rto_ms).toBeNull(); // was 41: the refusal counted as a failed write
    expect(m.rto_ms_by_region).toEqual({ a: null, b: null });
  });

  it('a timeout in its place is an outage: RTO from the fault to the next served write of that region', () => {
    const m = checkHistory(refusedDuringPartition('timeout'), { model: 'inventory', initialStock: 2 }).metrics;
    expect(m.availability).toBe(4 / 5);
    // the failed op was invoked at 7 s; a's next served write (the refusal at 8 s) came back at 8.01 s
    expect(m.rto_ms_by_region).toEqual({ a: 3010, b: null });
  });
});

describe('RPO whenever acknowledged writes are lost (issue 13.12)', () => {
  it('counter: a deficit no op can be named for is bounded by the span of the key\'s acknowledged increments', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(1), ok: s(1.01) });
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(2), ok: s(2.01) });
    h.op({ client: 'b/0', f: 'add', key: 'c', value: 1, at: s(3), ok: s(3.5) });
    h.op({ client: 'b/0', f: 'add', key: 'd', value: 1, at: s(0.5), ok: s(0.6) }); // reflected: not a candidate
    h.final('c', { 'a/0': 2, 'b/0': 2 });
    h.final('d', { 'a/0': 1, 'b/0': 1 });
    const r = checkHistory(h.records(), { model: 'counter' });
    expect(r.anomalies.lost_update.count).toBe(1);
    expect(r.metrics.rpo_ms).toBe(2500); // was null ("n/a" beside the lost update)
    expect(r.metrics['rpo_exact']).toBe(false);
  });

  it('counter: nothing lost is an rpo of 0, exact', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(1), ok: s(1.01) });
    h.final('c', { 'a/0': 1 });
    const m = checkHistory(h.records(), { model: 'counter' }).metrics;
    expect(m.rpo_ms).toBe(0);
    expect(m['rpo_exact']).toBe(true);
  });

  it('inventory: two reservations on one stock version bound rpo by the pair', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 1 }, at: s(1), ok: s(1.1), result: { stock_before: 5 } });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 2 }, at: s(1.05), ok: s(1.3), result: { stock_before: 5 } });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 3 }, at: s(4), ok: s(4.1), result: { stock_before: 3 } });
    h.final('sku', { 'a/0': 2, 'b/0': 2 });
    const r = checkHistory(h.records(), { model: 'inventory', initialStock: 5 });
    expect(r.anomalies.lost_update.count).toBe(1);
    expect(r.metrics.rpo_ms).toBe(300); // was null
    expect(r.metrics['rpo_exact']).toBe(false);
    // a final stock one too high: the reservation not reflected may be any of the three
    h.final('sku', { 'c/0': 3 });
    expect(checkHistory(h.records(), { model: 'inventory', initialStock: 5 }).metrics.rpo_ms).toBe(3100);
  });

  it('register losses stay exact when mixed with nothing unpinned', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.001));
    h.write('ap-northeast/0', 'k', 500, s(3), s(3.001));
    h.final('k', { 'us-east/0': 300 });
    const m = checkHistory(h.records(), { model: 'register' }).metrics;
    expect(m.rpo_ms).toBe(1);
    expect(m['rpo_exact']).toBe(true);
  });
});
