import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const stale = (h: ReturnType<typeof history>, opts: CheckOptions = { model: 'register' }) =>
  checkHistory(h.records(), opts).anomalies.stale_read;

describe('stale_read, register', () => {
  it('a read of 300 long after 500 overwrote it is stale; the witness names both writes and times', () => {
    const h = history();
    const w300 = h.write('us-east/0', 'balance', 300, s(1), s(1.001));
    const w500 = h.write('us-east/1', 'balance', 500, s(3), s(3.2));
    const r = h.read('ap-northeast/0', 'balance', 300, s(20), s(20.001));
    const rep = stale(h);
    expect(rep.applicable).toBe(true);
    expect(rep.count).toBe(1);
    const w = rep.witnesses[0];
    expect(w?.ops).toEqual([r, w500, w300]);
    expect(w?.nodes?.[0]).toBe('ap-northeast/0');
    expect(w?.explanation).toContain(`read op ${r} of balance at ap-northeast/0 returned 300 at 20.001 s`);
    expect(w?.explanation).toContain(`write op ${w500} (value 500) was acknowledged at 3.200 s`);
  });

  it('imported single-register histories (empty key) read naturally', () => {
    const h = history();
    h.write('1', '', 3, s(1), s(1.1));
    h.write('2', '', 4, s(2), s(2.1));
    h.read('3', '', 3, s(3), s(3.1));
    const w = stale(h).witnesses[0];
    expect(w?.explanation).toMatch(/^read op 3 at 3 returned 3 at 3\.100 s/);
  });

  it('a read concurrent with the overwrite is not stale', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.001));
    h.write('us-east/1', 'k', 500, s(3), s(3.2));
    h.read('ap-northeast/0', 'k', 300, s(3.1), s(3.3));
    expect(stale(h).count).toBe(0);
  });

  it('a read of a value whose write overlapped the overwrite is not stale', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(3.5));
    h.write('us-east/1', 'k', 500, s(3), s(3.2));
    h.read('ap-northeast/0', 'k', 300, s(10), s(10.1));
    expect(stale(h).count).toBe(0);
  });

  it('reading the initial value after an acknowledged write is stale', () => {
    const h = history();
    const w = h.write('us-east/0', 'k', 1, s(1), s(1.1));
    const r = h.read('eu-west/0', 'k', null, s(2), s(2.1));
    const rep = stale(h);
    expect(rep.count).toBe(1);
    expect(rep.witnesses[0]?.ops).toEqual([r, w]);
    expect(rep.witnesses[0]?.explanation).toContain('initial value');
  });

  it('an ok read carrying no value tells nothing', () => {
    const h = history();
    h.write('us-east/0', 'k', 1, s(1), s(1.1));
    h.op({ client: 'eu-west/0', f: 'read', key: 'k', at: s(2), ok: s(2.1) });
    expect(stale(h).count).toBe(0);
    const hs = history();
    hs.add('us-east/0', 'S', 1, s(1), s(1.1));
    hs.op({ client: 'eu-west/0', f: 'read', key: 'S', at: s(2), ok: s(2.1) });
    expect(stale(hs, { model: 'set' }).count).toBe(0);
  });

  it('with nilRead any, a nil read matches anything', () => {
    const h = history();
    h.write('us-east/0', 'k', 1, s(1), s(1.1));
    h.read('eu-west/0', 'k', null, s(2), s(2.1));
    expect(stale(h, { model: 'register', nilRead: 'any' }).count).toBe(0);
  });

  it('siblings: stale only if none of them is fresh', () => {
    const h = history();
    h.write('a/0', 'k', 100, s(1), s(1.1));
    h.write('b/0', 'k', 300, s(1), s(1.1));
    h.write('a/0', 'k', 500, s(2), s(2.1));
    h.read('c/0', 'k', [300, 500], s(3), s(3.1)); // 500 is fresh
    const r2 = h.read('c/0', 'k', [100, 300], s(4), s(4.1)); // both overwritten by 500
    const rep = stale(h);
    expect(rep.count).toBe(1);
    expect(rep.witnesses[0]?.ops[0]).toBe(r2);
    expect(rep.witnesses[0]?.explanation).toContain('[100, 300]');
  });

  it('a value from a write of unknown outcome is never stale', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 9, at: s(0.5), info: s(2.5) });
    h.write('b/0', 'k', 5, s(3), s(3.1));
    h.read('c/0', 'k', 9, s(4), s(4.1));
    expect(stale(h).count).toBe(0);
  });

  it('a failed write never counts as an overwrite', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    h.op({ client: 'b/0', f: 'write', key: 'k', value: 2, at: s(2), fail: s(2.1) });
    h.read('c/0', 'k', 1, s(4), s(4.1));
    expect(stale(h).count).toBe(0);
  });

  it('multi-register and inventory are not applicable', () => {
    const h = history();
    expect(stale(h, { model: 'multi-register' }).applicable).toBe(false);
    expect(stale(h, { model: 'inventory' }).count).toBeNull();
  });
});

describe('stale_read, counter', () => {
  const opts: CheckOptions = { model: 'counter' };
  it('a read below the acknowledged total is stale', () => {
    const h = history();
    h.add('a/0', 'c', 1, s(1), s(1.1));
    const a2 = h.add('a/0', 'c', 1, s(2), s(2.1));
    const r = h.read('b/0', 'c', 1, s(3), s(3.1));
    h.read('b/0', 'c', 2, s(4), s(4.1));
    const rep = stale(h, opts);
    expect(rep.count).toBe(1);
    expect(rep.witnesses[0]?.ops).toEqual([r, a2]);
    expect(rep.witnesses[0]?.explanation).toContain('at least 2');
  });
  it('a read concurrent with an add is not stale', () => {
    const h = history();
    h.add('a/0', 'c', 1, s(1), s(1.1));
    h.add('a/0', 'c', 1, s(2), s(2.5));
    h.read('b/0', 'c', 1, s(2.2), s(2.3));
    expect(stale(h, opts).count).toBe(0);
  });
  it('keys with negative deltas are not judged', () => {
    const h = history();
    h.add('a/0', 'c', 5, s(1), s(1.1));
    h.add('a/0', 'c', -5, s(2), s(2.1));
    h.read('b/0', 'c', 0, s(3), s(3.1));
    const rep = stale(h, opts);
    expect(rep.count).toBe(0);
    expect(rep.note).toContain('negative');
  });
});

describe('stale_read, set', () => {
  const opts: CheckOptions = { model: 'set' };
  it('a read missing an element added and acknowledged before it began', () => {
    const h = history();
    const a = h.add('a/0', 'S', 5, s(1), s(1.1));
    const r = h.read('b/0', 'S', [], s(2), s(2.1));
    const rep = stale(h, opts);
    expect(rep.count).toBe(1);
    expect(rep.witnesses[0]?.ops).toEqual([r, a]);
    expect(rep.witnesses[0]?.explanation).toContain('without 5');
  });
  it('not stale when a remove of the element may have come first', () => {
    const h = history();
    h.add('a/0', 'S', 5, s(1), s(1.1));
    h.op({ client: 'c/0', f: 'remove', key: 'S', value: 5, at: s(2.05), ok: s(2.3) });
    h.read('b/0', 'S', [], s(2), s(2.1));
    expect(stale(h, opts).count).toBe(0);
  });
});
