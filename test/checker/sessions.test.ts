import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const check = (h: ReturnType<typeof history>, opts: CheckOptions) => checkHistory(h.records(), opts).anomalies;
const sticky: CheckOptions = { model: 'register', sessions: 'sticky' };

/** client c/0 writes 500 after 300 was written elsewhere, then reads 300 */
function rywHistory() {
  const h = history();
  const w300 = h.write('a/0', 'k', 300, s(1), s(1.001));
  const w500 = h.write('c/0', 'k', 500, s(3), s(3.001));
  const r = h.read('c/0', 'k', 300, s(4), s(4.002));
  return { h, w300, w500, r };
}

describe('read_your_writes', () => {
  it('sticky sessions: a client not seeing its own acknowledged write is counted', () => {
    const { h, w500, r } = rywHistory();
    const a = check(h, sticky).read_your_writes;
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops.slice(0, 2)).toEqual([r, w500]);
    expect(a.witnesses[0]?.explanation).toContain("client c/0's read op 3 of k");
    expect(a.witnesses[0]?.explanation).toContain('returned 300 at 4.002 s');
    expect(a.witnesses[0]?.explanation).toContain('write op 2 (value 500) was acknowledged at 3.001 s');
  });

  it('no sticky sessions: not applicable (count null, never 0), the read reported as would violate', () => {
    const { h, r } = rywHistory();
    const a = check(h, { model: 'register', sessions: 'none' }).read_your_writes;
    expect(a.applicable).toBe(false);
    expect(a.count).toBeNull();
    expect(a.note).toMatch(/sessions are not sticky/);
    expect(a.would_violate).toBe(1);
    expect(a.witnesses[0]?.ops[0]).toBe(r);
    expect(a.witnesses[0]?.explanation).toMatch(/^would violate read-your-writes/);
  });

  it('another client reading the old value is no session violation', () => {
    const h = history();
    h.write('a/0', 'k', 300, s(1), s(1.001));
    h.write('c/0', 'k', 500, s(3), s(3.001));
    h.read('d/0', 'k', 300, s(4), s(4.002));
    expect(check(h, sticky).read_your_writes.count).toBe(0);
  });

  it('a read concurrent with the own write is no violation', () => {
    const h = history();
    h.write('a/0', 'k', 300, s(1), s(1.001));
    h.write('c/0', 'k', 500, s(3), s(3.5));
    h.read('c/0', 'k', 300, s(3.2), s(3.3));
    expect(check(h, sticky).read_your_writes.count).toBe(0);
  });

  it('counter: a read below the client\'s own acknowledged adds', () => {
    const h = history();
    h.add('c/0', 'n', 2, s(1), s(1.1));
    const r = h.read('c/0', 'n', 1, s(2), s(2.1));
    const a = check(h, { model: 'counter', sessions: 'sticky' }).read_your_writes;
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops[0]).toBe(r);
  });

  it('set: a read missing the client\'s own added element', () => {
    const h = history();
    const add = h.add('c/0', 'S', 7, s(1), s(1.1));
    const r = h.read('c/0', 'S', [], s(2), s(2.1));
    h.read('c/0', 'S', [7], s(3), s(3.1));
    const a = check(h, { model: 'set', sessions: 'sticky' }).read_your_writes;
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([r, add]);
  });

  it('inventory: not applicable', () => {
    const a = check(history(), { model: 'inventory', sessions: 'sticky' }).read_your_writes;
    expect(a.applicable).toBe(false);
    expect(a.count).toBeNull();
  });
});

describe('monotonic_read', () => {
  it('a later read returning an older value than an earlier read', () => {
    const h = history();
    h.write('a/0', 'k', 300, s(1), s(1.1));
    h.write('b/0', 'k', 500, s(2), s(2.1));
    const r1 = h.read('c/0', 'k', 500, s(3), s(3.1));
    const r2 = h.read('c/0', 'k', 300, s(4), s(4.1));
    const a = check(h, sticky).monotonic_read;
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([r2, r1]);
    expect(a.witnesses[0]?.explanation).toContain('older than 500');
  });

  it('values of concurrent writes may be read in either order', () => {
    const h = history();
    h.write('a/0', 'k', 300, s(1), s(2.5));
    h.write('b/0', 'k', 500, s(2), s(2.1));
    h.read('c/0', 'k', 500, s(3), s(3.1));
    h.read('c/0', 'k', 300, s(4), s(4.1));
    expect(check(h, sticky).monotonic_read.count).toBe(0);
  });

  it('overlapping reads of one client are not ordered', () => {
    const h = history();
    h.write('a/0', 'k', 300, s(1), s(1.1));
    h.write('b/0', 'k', 500, s(2), s(2.1));
    h.read('c/0', 'k', 500, s(3), s(3.5));
    h.read('c/0', 'k', 300, s(3.2), s(3.3));
    expect(check(h, sticky).monotonic_read.count).toBe(0);
  });

  it('counter: a later read below an earlier one', () => {
    const h = history();
    h.add('a/0', 'n', 1, s(1), s(1.1));
    h.add('a/0', 'n', 1, s(2), s(2.1));
    h.read('c/0', 'n', 2, s(3), s(3.1));
    h.read('c/0', 'n', 1, s(4), s(4.1));
    expect(check(h, { model: 'counter', sessions: 'sticky' }).monotonic_read.count).toBe(1);
    // sessions unset (as for imported histories): not applicable, with the would-be violation beside
    expect(check(h, { model: 'counter' }).monotonic_read).toMatchObject({ applicable: false, count: null, would_violate: 1 });
  });

  it('set: an element seen earlier vanishes without a remove', () => {
    const h = history();
    h.add('a/0', 'S', 1, s(1), s(1.1));
    h.read('c/0', 'S', [1], s(2), s(2.1));
    h.read('c/0', 'S', [], s(3), s(3.1));
    expect(check(h, { model: 'set', sessions: 'sticky' }).monotonic_read.count).toBe(1);
    h.op({ client: 'b/0', f: 'remove', key: 'S', value: 1, at: s(2.5), ok: s(2.6) });
    expect(check(h, { model: 'set', sessions: 'sticky' }).monotonic_read.count).toBe(0);
  });
});
