import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord } from '../../src/history/types.js';
import { MAX_WITNESSES } from '../../src/checker/explain.js';
import { history, s } from './builders.js';

const inv = (records: HistoryRecord[]) => checkHistory(records, { model: 'register' }).anomalies.invariant;

function oneWrite(): { records: HistoryRecord[]; w: number } {
  const h = history();
  const w = h.write('a/0', 'k', 300, s(1), s(1.1));
  h.apply(s(1.05), 'a/0', 'k', 300, w);
  h.final('k', { 'a/0': 300 });
  return { records: h.records(), w };
}

/** `extra` inserted after the record at `after` (an index into records). */
const insert = (records: HistoryRecord[], after: number, extra: HistoryRecord): HistoryRecord[] => [
  ...records.slice(0, after + 1),
  extra,
  ...records.slice(after + 1),
];

describe('replies beyond "invoke then exactly one of ok, fail or info"', () => {
  it('no extra reply: invariant applicable and 0', () => {
    const r = inv(oneWrite().records);
    expect(r.applicable).toBe(true);
    expect(r.count).toBe(0);
  });

  it('ok then fail for one op: one invariant naming the op and both replies', () => {
    const { records, w } = oneWrite();
    const okAt = records.findIndex((r) => r.type === 'ok');
    const r = inv(insert(records, okAt, { t: s(1.2), type: 'fail', op: w, error: 'conflict' }));
    expect(r.count).toBe(1);
    const x = r.witnesses[0];
    expect(x?.ops).toEqual([w]);
    expect(x?.key).toBe('k');
    expect(x?.details?.['first']).toMatchObject({ reply: 'ok', value: 300, t: s(1.1) });
    expect(x?.details?.['second']).toMatchObject({ reply: 'fail', error: 'conflict', t: s(1.2) });
    expect(x?.explanation).toContain('contradictory');
    expect(x?.explanation).toContain('ok (300) at 1.100 s');
    expect(x?.explanation).toContain('fail ("conflict") at 1.200 s');
  });

  it('ok twice is counted too', () => {
    const { records, w } = oneWrite();
    const okAt = records.findIndex((r) => r.type === 'ok');
    const r = inv(insert(records, okAt, { t: s(1.2), type: 'ok', op: w, value: 300 }));
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.explanation).toContain('answered twice');
  });

  it('a completion after info only settles the unknown: not counted', () => {
    const h = history();
    const w = h.op({ client: 'a/0', f: 'write', key: 'k', value: 300, at: s(1), info: s(2) });
    h.final('k', { 'a/0': 300 });
    const records = h.records();
    const infoAt = records.findIndex((r) => r.type === 'info');
    expect(inv(insert(records, infoAt, { t: s(3), type: 'ok', op: w, value: 300 })).count).toBe(0);
  });

  it('a completion for an op never invoked is counted, with the op id', () => {
    const { records } = oneWrite();
    const r = inv(insert(records, 1, { t: s(1.5), type: 'ok', op: 99, value: 7 }));
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([99]);
    expect(r.witnesses[0]?.explanation).toContain('never invoked');
  });

  it("the simulator's extra_reply record: an invariant naming the op, the node and both replies", () => {
    const { records, w } = oneWrite();
    const okAt = records.findIndex((r) => r.type === 'ok');
    const r = inv(
      insert(records, okAt, { t: s(1.3), type: 'extra_reply', op: w, node: 'b/0', reply: 'fail', error: 'aborted', first: 'ok' }),
    );
    expect(r.count).toBe(1);
    const x = r.witnesses[0];
    expect(x?.ops).toEqual([w]);
    expect(x?.nodes).toEqual(['a/0', 'b/0']);
    expect(x?.details?.['first']).toMatchObject({ reply: 'ok', value: 300 });
    expect(x?.details?.['second']).toMatchObject({ reply: 'fail', error: 'aborted', node: 'b/0' });
    expect(x?.explanation).toContain('from b/0');
  });

  it('an extra reply whose first reply never reached the client says so', () => {
    const h = history();
    const w = h.op({ client: 'a/0', f: 'write', key: 'k', value: 300, at: s(1), info: s(2) });
    h.final('k', { 'a/0': 300 });
    const records = [...h.records()];
    records.splice(1, 0, { t: s(1.5), type: 'extra_reply', op: w, node: 'a/0', reply: 'ok', value: 300, first: 'ok' });
    const r = inv(records);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.explanation).toContain('never received');
  });

  it('a black-box history (no engine records) with a double reply: applicable, counted', () => {
    const h = history();
    const w = h.write('a/0', 'k', 300, s(1), s(1.1));
    const records = h.records();
    const r = inv([...records, { t: s(1.2), type: 'ok', op: w, value: 300 }]);
    expect(r.applicable).toBe(true);
    expect(r.count).toBe(1);
    // and without it, still not applicable (nothing of the engine to judge)
    expect(inv(records).applicable).toBe(false);
  });

  it('every extra reply counts; witnesses stop at MAX_WITNESSES, earliest first', () => {
    const h = history();
    const n = MAX_WITNESSES + 5;
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(h.write('a/0', `k${i}`, i + 1, s(1 + i), s(1.1 + i)));
    const extra: HistoryRecord[] = ids.map((op, i) => ({ t: s(1.2 + i), type: 'extra_reply', op, node: 'a/0', reply: 'ok', first: 'ok' }));
    const records = [...h.records(), ...extra].sort((a, b) => a.t - b.t);
    const r = inv(records);
    expect(r.count).toBe(n);
    expect(r.witnesses).toHaveLength(MAX_WITNESSES);
    expect(r.witnesses[0]?.ops).toEqual([ids[0]]);
  });
});
