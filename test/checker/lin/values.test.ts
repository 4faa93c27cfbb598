/**
 * Values at the edges of JSON numbers (issue 20 point 7). Decisions, documented in
 * docs/checker.md: `-0` and `0` are one register value (JSON and IEEE equality; the
 * importers keep `-0` as read); Infinity is refused by the importers as bad input, and the
 * library API, which takes any records, shows it as `Infinity`, never as null ("no value").
 * A witness interval never prints an end before its start.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../src/checker/index.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const writeThenRead = (written: number, read: number, readT = 3): HistoryRecord[] => [
  { t: 1, type: 'invoke', op: 1, client: 'a', node: 'a', f: 'write', key: 'k', value: written },
  { t: 2, type: 'ok', op: 1 },
  { t: readT, type: 'invoke', op: 2, client: 'b', node: 'b', f: 'read', key: 'k' },
  { t: readT + 1, type: 'ok', op: 2, value: read },
];
const found = (records: HistoryRecord[]) => {
  const r = checkHistory(records, { model: 'register', initial: null });
  expect(r.anomalies.non_linearizable.applicable).toBe(true);
  expect(r.anomalies.non_linearizable.count).not.toBeNull();
  return r;
};

describe('register values', () => {
  it('-0 and 0 are the same value: write 0, read -0 (and back) is valid', () => {
    expect(found(writeThenRead(0, -0)).linearizable).toBe(true);
    expect(found(writeThenRead(-0, 0)).linearizable).toBe(true);
    expect(found(writeThenRead(-0, 0)).anomalies.stale_read.count).toBe(0);
  });
  it('-0 is still a value no write wrote when 1 was written', () => {
    expect(found(writeThenRead(1, -0)).linearizable).toBe(false);
  });
  it('Infinity reads back as Infinity in witnesses, not as null', () => {
    const r = found([
      ...writeThenRead(Infinity, Infinity),
      { t: 5, type: 'invoke', op: 3, client: 'c', node: 'c', f: 'read', key: 'k' },
      { t: 6, type: 'ok', op: 3, value: 5 },
    ]);
    expect(r.linearizable).toBe(false);
    const text = r.anomalies.non_linearizable.witnesses[0]!.explanation;
    expect(text).toContain('would have seen Infinity');
    expect(text).not.toContain('null');
  });
  it('a witness interval never ends before it starts (API records with times out of order)', () => {
    const records: HistoryRecord[] = [
      { t: 10, type: 'invoke', op: 1, client: 'a', node: 'a', f: 'write', key: 'k', value: 1 },
      { t: 20, type: 'ok', op: 1 },
      { t: 30, type: 'invoke', op: 2, client: 'b', node: 'b', f: 'read', key: 'k' },
      { t: 25, type: 'ok', op: 2, value: 7 },
    ];
    const text = found(records).anomalies.non_linearizable.witnesses[0]!.explanation;
    for (const m of text.matchAll(/([\d.]+) s–([\d.]+) s/g)) expect(Number(m[2])).toBeGreaterThanOrEqual(Number(m[1]));
    expect(text).toContain('invoked 0.000030 s, completed at 0.000025 s: times out of order');
  });
});
