import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import type { HistoryRecord } from '../../src/history/types.js';
import { history, s } from './builders.js';

const END = s(100);
const check = (records: HistoryRecord[], opts: CheckOptions = { model: 'register' }) => checkHistory(records, opts);

/** Three nodes replicate every key; a/0 writes 300, b/0 holds it, c/0 is live but reports nothing. */
function missingReplica(withPlacement: boolean): { records: HistoryRecord[]; w: number } {
  const h = history();
  const w = h.write('a/0', 'balance', 300, s(1), s(1.1));
  h.apply(s(1.05), 'a/0', 'balance', 300, w);
  h.apply(s(1.2), 'b/0', 'balance', 300, w);
  h.final('balance', { 'a/0': 300, 'b/0': 300 }, END);
  h.final('other', { 'a/0': 1, 'b/0': 1, 'c/0': 1 }, END);
  const records = h.records();
  if (!withPlacement) return { records, w };
  return {
    records: [
      { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0', 'c/0'] },
      ...records.filter((r) => r.type !== 'final'),
      { t: END, type: 'live', nodes: ['a/0', 'b/0', 'c/0'] },
      ...records.filter((r) => r.type === 'final'),
    ],
    w,
  };
}

describe('replica sets from replicas/live records', () => {
  it('a live replica with no final for a key another holds is absent: divergence, witness names it', () => {
    const { records, w } = missingReplica(true);
    const d = check(records).anomalies.divergence;
    expect(d.applicable).toBe(true);
    expect(d.count).toBe(1);
    const x = d.witnesses[0];
    expect(x?.key).toBe('balance');
    expect(x?.ops).toEqual([w]);
    expect(x?.nodes).toContain('c/0');
    expect(x?.details?.['absent']).toEqual(['c/0']);
    expect(x?.explanation).toContain('300 at a/0 and b/0');
    expect(x?.explanation).toContain('absent (no final record) at c/0');
  });

  it('without replicas/live records the same history reports no divergence (as before)', () => {
    const { records } = missingReplica(false);
    const d = check(records).anomalies.divergence;
    expect(d.applicable).toBe(true);
    expect(d.count).toBe(0);
  });

  it('a node listed live with no final record at all is seen (it came back empty)', () => {
    const { records } = missingReplica(true);
    // c/0 reports nothing for any key: only the live record says it was up
    const d = check(records.filter((r) => !(r.type === 'final' && r.key === 'other'))).anomalies.divergence;
    expect(d.count).toBe(1);
    expect(d.witnesses[0]?.details?.['absent']).toEqual(['c/0']);
  });

  it('a replica down at the end (not live) is not absent', () => {
    const { records } = missingReplica(true);
    const down = records
      .filter((r) => !(r.type === 'final' && r.node === 'c/0'))
      .map((r) => (r.type === 'live' ? { ...r, nodes: ['a/0', 'b/0'] } : r));
    expect(check(down).anomalies.divergence.count).toBe(0);
  });

  it('a per-key record overrides `*`: a live node outside the key\'s replica set is not absent', () => {
    const { records } = missingReplica(true);
    const placed: HistoryRecord[] = [
      records[0] as HistoryRecord,
      { t: 0, type: 'replicas', key: 'balance', nodes: ['a/0', 'b/0'] },
      ...records.slice(1),
    ];
    expect(check(placed).anomalies.divergence.count).toBe(0);
  });

  it('absent equals the initial state: no divergence when the others hold nothing either', () => {
    const h = history();
    h.read('a/0', 'k', null, s(1), s(1.1));
    const records: HistoryRecord[] = [
      { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0'] },
      ...h.records(),
      { t: END, type: 'live', nodes: ['a/0', 'b/0'] },
    ];
    const d = check(records).anomalies.divergence;
    expect(d.applicable).toBe(true);
    expect(d.count).toBe(0);
  });

  it('counter: a replica without the key diverges from one holding a total', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 5, at: s(1), ok: s(1.1) });
    h.final('c', { 'a/0': 5 }, END);
    const records: HistoryRecord[] = [
      { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0'] },
      ...h.records().filter((r) => r.type !== 'final'),
      { t: END, type: 'live', nodes: ['a/0', 'b/0'] },
      ...h.records().filter((r) => r.type === 'final'),
    ];
    const r = check(records, { model: 'counter' });
    expect(r.anomalies.divergence.count).toBe(1);
    expect(r.anomalies.divergence.witnesses[0]?.details?.['absent']).toEqual(['b/0']);
  });
});
