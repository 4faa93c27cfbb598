import { describe, expect, it } from 'vitest';
import { createCheckSink, pairOps } from '../../src/checker/index.js';
import { nonLinearizable } from '../../src/checker/linearizable.js';
import type { HistoryRecord } from '../../src/history/types.js';
import { history, s } from './builders.js';

/** Keys b, a, c interleaved: every read returns the key's first value after a second write was acknowledged. */
function interleavedStale(readsPerKey: number): HistoryRecord[] {
  const h = history();
  const keys = ['b', 'a', 'c'];
  keys.forEach((k, i) => {
    h.write(`us-east/${i}`, k, 1, s(1), s(1.1));
    h.write(`us-east/${i}`, k, 2, s(2), s(2.1));
  });
  for (let j = 0; j < readsPerKey; j++) {
    keys.forEach((k, i) => h.read(`eu-west/${i}`, k, 1, s(10 + j + i / 10), s(10.05 + j + i / 10)));
  }
  return h.records();
}

describe('streaming check sink', () => {
  it('keeps the first 20 stale reads in invocation order across keys, as one whole-history pass does', () => {
    const records = interleavedStale(10); // 30 stale reads, keys interleaved
    const sink = createCheckSink({ model: 'register', sessions: 'sticky' });
    for (const r of records) sink.push(r);
    const rep = sink.finish().anomalies.stale_read;
    expect(rep.count).toBe(30);
    const readIds = rep.witnesses.map((w) => w.ops[0] as number);
    const invokeOrder = pairOps(records)
      .filter((o) => o.f === 'read')
      .map((o) => o.id);
    expect(readIds).toEqual(invokeOrder.slice(0, 20));
    expect(rep.witnesses.map((w) => w.key).slice(0, 3)).toEqual(['b', 'a', 'c']);
  });

  it('counts ops like pairOps: first completion decides, open ops are info, completions of unknown ids ignored', () => {
    const records: HistoryRecord[] = [
      { t: 1, type: 'invoke', op: 1, client: 'c/0', node: 'n/0', f: 'write', key: 'k', value: 1 },
      { t: 2, type: 'invoke', op: 2, client: 'c/1', node: 'n/0', f: 'read', key: 'k' },
      { t: 3, type: 'info', op: 1, error: 'timeout' },
      { t: 4, type: 'ok', op: 1, value: 1 }, // too late: op 1 already ended as info
      { t: 5, type: 'ok', op: 99 },
      { t: 6, type: 'invoke', op: 3, client: 'c/2', node: 'n/0', f: 'write', key: 'k', value: 3 },
      { t: 7, type: 'fail', op: 3, error: 'unavailable' },
    ];
    const sink = createCheckSink({ model: 'register' });
    for (const r of records) sink.push(r);
    expect(sink.summary()).toEqual({ total: 3, ok: 0, fail: 1, info: 2 });
  });

  it('the linearizability budget bounds the whole family: keys not started in time are unknown, the decided ones counted', () => {
    const h = history();
    for (let k = 0; k < 5; k++) {
      h.write('c/0', `k${k}`, 1, s(1 + k), s(1.1 + k));
      h.read('c/1', `k${k}`, 1, s(1.2 + k), s(1.3 + k));
    }
    let now = 0;
    const r = nonLinearizable(h.records(), {
      model: 'register',
      // every look at the clock is one second later: the deadline (first look + 2.5 s) lets two keys start
      budget: { time_ms: 2_500, now_ms: () => (now += 1_000) },
    });
    expect(r.verdict).toBe('unknown');
    expect(r.report.unknown).toBe(true);
    expect(r.report.note).toMatch(/^no verdict for 3 of 5 partitions \(key k2: time budget of 2500 ms ran out before this key started/);
    expect(r.report.note).toContain('2 decided');
  });

  it('keeps values and op ids exactly: floats, numbers beyond int32, ids that are not the invocation count', () => {
    const h = history();
    h.op({ id: 100, client: 'us-east/0', f: 'write', key: 'k', value: 2.5, at: s(1), ok: s(1.1), result: 2.5 });
    h.op({ id: 200, client: 'us-east/1', f: 'write', key: 'k', value: 3_000_000_000, at: s(2), ok: s(2.1), result: 3_000_000_000 });
    h.op({ id: 300, client: 'eu-west/0', f: 'read', key: 'k', at: s(5), ok: s(5.1), result: 2.5 });
    const sink = createCheckSink({ model: 'register' });
    for (const r of h.records()) sink.push(r);
    const w = sink.finish().anomalies.stale_read.witnesses[0];
    expect(w?.ops).toEqual([300, 200, 100]);
    expect(w?.explanation).toContain('returned 2.5 at 5.100 s, written by write op 100 (value 2.5)');
    expect(w?.explanation).toContain('write op 200 (value 3000000000) was acknowledged at 2.100 s');
  });

  it('ids that count up and then stop: completions and applies of the early ops still find their rows', () => {
    const records: HistoryRecord[] = [
      { t: 1, type: 'invoke', op: 1, client: 'a/0', node: 'a/0', f: 'write', key: 'k', value: 1 },
      { t: 2, type: 'invoke', op: 2, client: 'b/0', node: 'b/0', f: 'write', key: 'k', value: 2 },
      { t: 3, type: 'invoke', op: 90, client: 'a/0', node: 'a/0', f: 'read', key: 'k' },
      { t: 4, type: 'ok', op: 1, value: 1 },
      { t: 4, type: 'apply', node: 'a/0', key: 'k', value: 1, op: 1 },
      { t: 5, type: 'fail', op: 2, error: 'cas-mismatch' },
      { t: 6, type: 'apply', node: 'b/0', key: 'k', value: 1, op: 1 },
      { t: 7, type: 'ok', op: 90, value: 1 },
    ];
    const sink = createCheckSink({ model: 'register' });
    for (const r of records) sink.push(r);
    expect(sink.summary()).toEqual({ total: 3, ok: 2, fail: 1, info: 0 });
    const m = sink.finish().metrics;
    expect(m.availability).toBe(1); // the fail is the data's answer (cas-mismatch): served
    expect(m.replication_lag_ms.max).toBe(0.002);
  });

  it('more than 65,536 names (16-bit name columns widen): keys, clients and nodes keep their names', () => {
    const h = history();
    for (let k = 0; k < 66_000; k++) h.write(`c/${k % 3}`, `k${k}`, k + 1, 10 * k + 1, 10 * k + 2);
    const last = 'k65999';
    h.write('us-east/0', last, 'fresh', s(2), s(2.1));
    h.read('ap-northeast/7', last, 66_000, s(3), s(3.1));
    const sink = createCheckSink({ model: 'register' });
    for (const r of h.records()) sink.push(r);
    const stale = sink.finish().anomalies.stale_read;
    expect(stale.count).toBe(1);
    expect(stale.witnesses[0]?.key).toBe(last);
    expect(stale.witnesses[0]?.clients).toEqual(['ap-northeast/7', 'us-east/0', 'c/2']);
  });

  it('an apply recorded before the invocation of its op still counts for replication lag', () => {
    const records: HistoryRecord[] = [
      { t: 2, type: 'apply', node: 'b/0', key: 'k', value: 1, op: 7 },
      { t: 1, type: 'invoke', op: 7, client: 'c/0', node: 'b/0', f: 'write', key: 'k', value: 1 },
      { t: 3, type: 'ok', op: 7, value: 1 },
      { t: 4004, type: 'apply', node: 'c/0', key: 'k', value: 1, op: 7 },
    ];
    const sink = createCheckSink({ model: 'register' });
    for (const r of records) sink.push(r);
    expect(sink.finish().metrics.replication_lag_ms).toEqual({ p50: 4.001, p99: 4.001, max: 4.001 });
  });
});
