import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const reg: CheckOptions = { model: 'register' };
const lost = (h: ReturnType<typeof history>, opts: CheckOptions = reg) =>
  checkHistory(h.records(), opts).anomalies.lost_update;

describe('lost_update, register', () => {
  it('foundation scenario: ap-northeast 5 s behind, its later write of 500 loses to 300 under LWW', () => {
    const h = history();
    const w300 = h.write('us-east/0', 'balance', 300, s(1), s(1.001));
    const w500 = h.write('ap-northeast/0', 'balance', 500, s(3), s(3.001));
    h.apply(s(1.0005), 'us-east/0', 'balance', 300, w300);
    h.apply(s(1.075), 'ap-northeast/0', 'balance', 300, w300);
    h.apply(s(3.0005), 'ap-northeast/0', 'balance', 500, w500);
    // 500 carries a timestamp 5 s in the past, so us-east keeps 300 and ap-northeast reverts
    h.apply(s(3.1), 'ap-northeast/0', 'balance', 300, w300);
    h.final('balance', { 'us-east/0': 300, 'ap-northeast/0': 300 });
    const r = lost(h);
    expect(r.applicable).toBe(true);
    expect(r.count).toBe(1);
    const w = r.witnesses[0];
    expect(w?.ops[0]).toBe(w500);
    expect(w?.ops).toContain(w300);
    expect(w?.key).toBe('balance');
    expect(w?.explanation).toContain('500');
    expect(w?.explanation).toContain('300');
    expect(w?.explanation).toContain('3.001 s');
    expect(w?.explanation).toContain('1.001 s');
  });

  it('a write overwritten by a concurrent write is not lost', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.5));
    h.write('eu-west/0', 'k', 500, s(1.2), s(1.3));
    h.final('k', { 'us-east/0': 300, 'eu-west/0': 300 });
    expect(lost(h).count).toBe(0);
  });

  it('a write overwritten by a later write is not lost', () => {
    const h = history();
    h.write('us-east/0', 'k', 500, s(1), s(1.1));
    h.write('eu-west/0', 'k', 300, s(2), s(2.1));
    h.final('k', { 'us-east/0': 300, 'eu-west/0': 300 });
    expect(lost(h).count).toBe(0);
  });

  it('a write among the final siblings is not lost', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.1));
    h.write('eu-west/0', 'k', 500, s(2), s(2.1));
    h.final('k', { 'us-east/0': [300, 500], 'eu-west/0': [300, 500] });
    expect(lost(h).count).toBe(0);
  });

  it('a value surviving from a write of unknown outcome is a legitimate overwrite', () => {
    const h = history();
    h.op({ client: 'eu-west/0', f: 'write', key: 'k', value: 9, at: s(0.5), info: s(2.5) });
    h.write('us-east/0', 'k', 500, s(3), s(3.1));
    h.final('k', { 'us-east/0': 9 });
    expect(lost(h).count).toBe(0);
  });

  it('data gone with a crashed node: the live replica applied the key but has no value', () => {
    const h = history();
    const w = h.write('us-east/0', 'k', 7, s(1), s(1.001));
    h.apply(s(1.0005), 'us-east/0', 'k', 7, w);
    h.apply(s(1.0006), 'us-east/1', 'k', 7, w);
    h.final('other', { 'us-east/1': 1 });
    const r = lost(h);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([w]);
    expect(r.witnesses[0]?.explanation).toContain('initial value');
    expect(r.witnesses[0]?.details?.['lost_at']).toEqual(['us-east/1']);
  });

  it('a key no live replica holds loses its acknowledged writes', () => {
    const h = history();
    const w = h.write('us-east/0', 'k', 7, s(1), s(1.001));
    h.final('other', { 'eu-west/0': 1 });
    const r = lost(h);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops[0]).toBe(w);
    expect(r.witnesses[0]?.explanation).toContain('no live replica holds k');
  });

  it('diverged replicas: judged per live replica, counted once', () => {
    const h = history();
    h.write('us-east/0', 'k', 300, s(1), s(1.1));
    const w500 = h.write('eu-west/0', 'k', 500, s(2), s(2.1));
    h.final('k', { 'us-east/0': 300, 'eu-west/0': 500 });
    const r = lost(h);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops[0]).toBe(w500);
    expect(r.witnesses[0]?.details?.['lost_at']).toEqual(['us-east/0']);
    expect(r.witnesses[0]?.explanation).toContain('replicas disagree');
  });

  it('cas writes its new value', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    h.op({ client: 'b/0', f: 'cas', key: 'k', value: [1, 2], at: s(2), ok: s(2.1) });
    h.final('k', { 'a/0': 2 });
    expect(lost(h, { model: 'cas-register' }).count).toBe(0);
  });

  it('black-box histories (no final records) are not applicable, never zero', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    const r = lost(h);
    expect(r.applicable).toBe(false);
    expect(r.count).toBeNull();
    expect(r.note).toMatch(/final/);
  });

  it('caps witnesses at 20 but counts all', () => {
    const h = history();
    for (let i = 0; i < 25; i++) h.write('a/0', 'k', i + 1, s(1 + i), s(1.1 + i));
    h.final('k', { 'a/0': null });
    const r = lost(h);
    expect(r.count).toBe(25);
    expect(r.witnesses).toHaveLength(20);
  });
});

describe('lost_update, counter', () => {
  const opts: CheckOptions = { model: 'counter' };
  it('counts the minimal number of acknowledged increments missing from the final total', () => {
    const h = history();
    h.add('a/0', 'c', 1, s(1), s(1.1));
    h.add('a/0', 'c', 5, s(2), s(2.1));
    h.add('b/0', 'c', 1, s(3), s(3.1));
    h.add('b/0', 'c', 2, s(4)); // open: may or may not apply
    h.final('c', { 'a/0': 1, 'b/0': 7 });
    const r = lost(h, opts);
    expect(r.count).toBe(2); // deficit 6 at a/0: 5 + 1
    expect(r.witnesses[0]?.nodes).toEqual(['a/0']);
    expect(r.witnesses[0]?.details).toMatchObject({ final: 1, expected_at_least: 7, deficit: 6 });
    expect(r.witnesses[0]?.explanation).toContain('at least 7');
  });
  it('a total at or above the acknowledged sum loses nothing', () => {
    const h = history();
    h.add('a/0', 'c', 1, s(1), s(1.1));
    h.add('a/0', 'c', 1, s(2), s(2.1));
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(3), info: s(4) });
    h.final('c', { 'a/0': 3 });
    expect(lost(h, opts).count).toBe(0);
  });
});

describe('lost_update, set', () => {
  const opts: CheckOptions = { model: 'set' };
  it('an acknowledged add absent from the final set', () => {
    const h = history();
    h.add('a/0', 'S', 1, s(1), s(1.1));
    const a2 = h.add('b/0', 'S', 2, s(2), s(2.1));
    h.final('S', { 'a/0': [1], 'b/0': [1] });
    const r = lost(h, opts);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([a2]);
    expect(r.witnesses[0]?.explanation).toContain('add op 2 (value 2)');
  });
  it('an add followed by a remove of its element is not lost', () => {
    const h = history();
    h.add('a/0', 'S', 1, s(1), s(1.1));
    h.add('b/0', 'S', 2, s(2), s(2.1));
    h.op({ client: 'a/0', f: 'remove', key: 'S', value: 2, at: s(3), info: s(4) });
    h.final('S', { 'a/0': [1] });
    expect(lost(h, opts).count).toBe(0);
  });
  it('a remove acknowledged before the add began does not excuse it', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'remove', key: 'S', value: 2, at: s(1), ok: s(1.1) });
    h.add('b/0', 'S', 2, s(2), s(2.1));
    h.final('S', { 'a/0': [] });
    expect(lost(h, opts).count).toBe(1);
  });
});

describe('lost_update, inventory', () => {
  const opts: CheckOptions = { model: 'inventory', initialStock: 10 };
  it('two acknowledged reservations based on the same stock version', () => {
    const h = history();
    const r1 = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1), result: { version: 3, remaining: 9 } });
    const r2 = h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o2' }, at: s(1.05), ok: s(1.2), result: { version: 3, remaining: 9 } });
    h.final('sku', { 'a/0': 8, 'b/0': 8 });
    const r = lost(h, opts);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([r2, r1]);
    expect(r.witnesses[0]?.explanation).toContain('stock version 3');
  });
  it('reservations on distinct versions, final stock consistent: nothing lost', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1), result: { version: 3 } });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 2, order: 'o2' }, at: s(2), ok: s(2.1), result: { version: 4 } });
    h.final('sku', { 'a/0': 7, 'b/0': { stock: 7 } });
    expect(lost(h, opts).count).toBe(0);
  });
  it('stock_before without a version: overlapping reservations that saw the same stock collide', () => {
    const h = history();
    const r1 = h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1), result: { remaining: 9, stock_before: 10 } });
    const r2 = h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 2, order: 'o2' }, at: s(1.05), ok: s(1.2), result: { remaining: 8, stock_before: 10 } });
    // later, after both ended, the stock is back at 10 (a restock): equal stock, not the same decision
    h.op({ client: 'a/0', f: 'restock', key: 'sku', value: 3, at: s(2), ok: s(2.1), result: 3 });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o3' }, at: s(3), ok: s(3.1), result: { remaining: 9, stock_before: 10 } });
    h.final('sku', { 'a/0': 9, 'b/0': 9 });
    const r = lost(h, opts);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([r2, r1]);
    expect(r.witnesses[0]?.explanation).toContain('stock before = 10');
  });
  it('one order acknowledged twice, or a repeat reply, is not two reservations on one version', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1), ok: s(1.1), result: { remaining: 9, stock_before: 10, version: 'v0' } });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(1.05), ok: s(1.2), result: { remaining: 9, stock_before: 10, version: 'v0' } });
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o1' }, at: s(2), ok: s(2.1), result: { remaining: 9, repeat: true } });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 1, order: 'o2' }, at: s(3), ok: s(3.1), result: { remaining: 8, stock_before: 9, version: 'v1' } });
    h.final('sku', { 'a/0': 8, 'b/0': 8 });
    const r = lost(h, opts);
    expect(r.applicable).toBe(true);
    expect(r.count).toBe(0);
  });
  it('final stock above what acknowledged reservations allow', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'reserve', key: 'sku', value: { qty: 2, order: 'o1' }, at: s(1), ok: s(1.1) });
    h.op({ client: 'b/0', f: 'reserve', key: 'sku', value: { qty: 3, order: 'o2' }, at: s(2), ok: s(2.1) });
    h.op({ client: 'b/0', f: 'restock', key: 'sku', value: 1, at: s(3), info: s(4) });
    h.final('sku', { 'a/0': 8 }); // at most 10 + 1 - 5 = 6
    const r = lost(h, opts);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.details).toMatchObject({ final_stock: 8, at_most: 6, excess: 2 });
  });
});

describe('lost_update, kv', () => {
  it('put is a write; keys with appends are left to linearizability', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'put', key: 'x', value: 'v1', at: s(1), ok: s(1.1) });
    const p2 = h.op({ client: 'b/0', f: 'put', key: 'x', value: 'v2', at: s(2), ok: s(2.1) });
    h.op({ client: 'a/0', f: 'put', key: 'y', value: 'w1', at: s(1), ok: s(1.1) });
    h.op({ client: 'b/0', f: 'append', key: 'y', value: 'w2', at: s(2), ok: s(2.1) });
    h.final('x', { 'a/0': 'v1' });
    h.final('y', { 'a/0': 'w1' });
    const r = lost(h, { model: 'kv' });
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops[0]).toBe(p2);
    expect(r.witnesses[0]?.explanation).toContain('"v1"');
  });
});

describe('lost_update when every replica is down at the end', () => {
  // A simulator history (with `apply` records) has a `final` for every live node, so none at
  // all means every node was down: the acknowledged writes are lost, not of unknown fate.
  it('a white-box history with applies and no finals counts every acknowledged write as lost', () => {
    const h = history();
    const w1 = h.write('us-east/0', 'a', 1, s(1), s(1.001));
    const w2 = h.write('us-east/0', 'b', 2, s(2), s(2.001));
    h.apply(s(1.0005), 'us-east/0', 'a', 1, w1);
    h.apply(s(2.0005), 'us-east/0', 'b', 2, w2);
    const r = lost(h);
    expect(r.applicable).toBe(true);
    expect(r.count).toBe(2);
    expect(r.witnesses.map((w) => w.ops[0]).sort()).toEqual([w1, w2].sort());
  });

  it('a black-box history (no applies, no finals) still leaves the final state unknown', () => {
    const h = history();
    h.write('us-east/0', 'a', 1, s(1), s(1.001));
    const r = lost(h);
    expect(r.applicable).toBe(false);
    expect(r.count).toBeNull();
  });
});
