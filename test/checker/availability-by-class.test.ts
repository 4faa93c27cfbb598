// availability_by_class: from the `class` of invoke records alone; absent when no op has one.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord } from '../../src/history/types.js';

function records(withClass: boolean): HistoryRecord[] {
  const cls = (c: string) => (withClass ? { class: c } : {});
  return [
    { t: 1, type: 'invoke', op: 1, client: 'a/0', node: 'a/0', f: 'write', key: 'k', value: 1, ...cls('checkout') },
    { t: 2, type: 'ok', op: 1 },
    { t: 3, type: 'invoke', op: 2, client: 'a/0', node: 'a/0', f: 'read', key: 'k', ...cls('browse') },
    { t: 4, type: 'fail', op: 2, error: 'shed' },
    { t: 5, type: 'invoke', op: 3, client: 'a/1', node: 'a/0', f: 'read', key: 'k', ...cls('browse') },
    { t: 6, type: 'ok', op: 3, value: 1 },
    { t: 7, type: 'invoke', op: 4, client: 'a/1', node: 'a/0', f: 'cas', key: 'k', value: [5, 6], ...cls('checkout') },
    { t: 8, type: 'fail', op: 4, error: 'cas-mismatch' }, // a business refusal is served
    { t: 9, type: 'invoke', op: 5, client: 'a/1', node: 'a/0', f: 'write', key: 'k', value: 7, ...cls('browse') },
    { t: 10, type: 'info', op: 5, error: 'timeout' },
  ] as HistoryRecord[];
}

describe('availability_by_class', () => {
  it('served / invoked per class; a shed or timed-out op is not served, a business refusal is', () => {
    const m = checkHistory(records(true), { model: 'cas-register' }).metrics;
    expect(m['availability_by_class']).toEqual({ browse: 1 / 3, checkout: 1 });
  });
  it('absent when the history has no classes (never a made-up number)', () => {
    const m = checkHistory(records(false), { model: 'cas-register' }).metrics;
    expect(m['availability_by_class']).toBeUndefined();
  });
});
