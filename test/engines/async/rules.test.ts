import { describe, expect, it } from 'vitest';
import { asyncHarness, NODES3, readAt } from './fixtures.js';
import { initialShare } from '../../../src/engines/async/rules/bounded.js';

const TOKYO_BEHIND = { clockOffset_us: { 'ap-northeast/0': -5_000_000 } };

describe('async: conflict rules, interaction', () => {
  it('hybrid timestamps: a node whose clock is behind still writes after what it has seen', () => {
    const { h } = asyncHarness({ timestamps: 'hybrid' }, 'register', TOKYO_BEHIND);
    h.advance(1_000_000);
    h.request('us-east/0', { op: 1, f: 'write', key: 'balance', value: 300 });
    h.deliverAll();
    h.advance(1_000_000);
    h.request('ap-northeast/0', { op: 2, f: 'write', key: 'balance', value: 500 });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 'balance')).toBe(500);
    const v = h.applies.find((a) => a.op === 2 && a.node === 'us-east/0')!.version;
    // HLC wall part is us-east's 1 s; logical 1 on receiving it, 2 on the write; rank 2 (ap-northeast/0).
    expect(v).toMatch(/^1000000\.2@2#/);
  });

  it('physical timestamps, same script: the later write is lost', () => {
    const { h } = asyncHarness({ timestamps: 'physical' }, 'register', TOKYO_BEHIND);
    h.advance(1_000_000);
    h.request('us-east/0', { op: 1, f: 'write', key: 'balance', value: 300 });
    h.deliverAll();
    h.advance(1_000_000);
    h.request('ap-northeast/0', { op: 2, f: 'write', key: 'balance', value: 500 });
    // Acknowledged although it is older than what the replica holds.
    expect(h.replies.at(-1)!.result).toEqual({ type: 'ok', value: 500 });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 'balance')).toBe(300);
  });

  it('version vectors: concurrent writes become siblings; a write after reading them replaces both', () => {
    const { h } = asyncHarness({ conflict: 'version-vector' });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 300 });
    h.request('ap-northeast/0', { op: 2, f: 'write', key: 'k', value: 500 });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 'k')).toEqual([300, 500]);
    // cas against one sibling does not match a key holding two.
    h.request('eu-west/0', { op: 3, f: 'cas', key: 'k', value: [300, 7] });
    expect(h.replies.at(-1)!.result).toEqual({ type: 'fail', error: 'cas-mismatch' });
    h.request('eu-west/0', { op: 4, f: 'write', key: 'k', value: 600 });
    // Concurrent with op 4: us-east has not seen it.
    h.request('us-east/0', { op: 5, f: 'write', key: 'k', value: 700 });
    h.deliverAll();
    // 600 superseded both siblings eu-west had seen; 700 superseded only what us-east had seen.
    for (const n of NODES3) expect(readAt(h, n, 'k')).toEqual([600, 700]);
  });

  it('crdt with register: mv behaves as the multi-value register', () => {
    const { h } = asyncHarness({ conflict: 'crdt', register: 'mv' });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.request('eu-west/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.deliverAll();
    expect(readAt(h, 'ap-northeast/0', 'k')).toEqual([1, 2]);
  });

  it('counter: LWW loses a concurrent increment, version vectors too, the PN-counter keeps both', () => {
    const finals: Record<string, unknown> = {};
    for (const conflict of ['lww', 'version-vector', 'crdt'] as const) {
      const { h } = asyncHarness({ conflict }, 'counter');
      h.request('us-east/0', { op: 1, f: 'add', key: 'c', value: 5 });
      h.request('eu-west/0', { op: 2, f: 'add', key: 'c', value: 3 });
      expect(h.replies.map((r) => r.result)).toEqual([
        { type: 'ok', value: 5 },
        { type: 'ok', value: 3 },
      ]);
      h.deliverAll();
      const vals = NODES3.map((n) => readAt(h, n, 'c'));
      expect(new Set(vals).size).toBe(1);
      finals[conflict] = vals[0];
    }
    expect(finals).toEqual({ lww: 3, 'version-vector': 5, crdt: 8 });
  });

  it('set: the OR-set keeps an add concurrent with a remove; version-vector union resurrects a removal', () => {
    const { h } = asyncHarness({ conflict: 'crdt' }, 'set');
    h.request('us-east/0', { op: 1, f: 'add', key: 's', value: 4 });
    h.deliverAll();
    h.request('eu-west/0', { op: 2, f: 'remove', key: 's', value: 4 });
    h.request('ap-northeast/0', { op: 3, f: 'add', key: 's', value: 4 }); // concurrent re-add
    h.request('us-east/0', { op: 4, f: 'add', key: 's', value: 9 });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 's')).toEqual([4, 9]);
    h.request('us-east/0', { op: 5, f: 'remove', key: 's', value: 4 });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 's')).toEqual([9]);

    const vv = asyncHarness({ conflict: 'version-vector' }, 'set').h;
    vv.request('us-east/0', { op: 1, f: 'add', key: 's', value: 4 });
    vv.deliverAll();
    vv.request('eu-west/0', { op: 2, f: 'remove', key: 's', value: 4 });
    vv.request('ap-northeast/0', { op: 3, f: 'add', key: 's', value: 5 });
    vv.deliverAll();
    // Siblings [] and [4, 5] resolve by union: the removed 4 is back.
    for (const n of NODES3) expect(readAt(vv, n, 's')).toEqual([4, 5]);
  });

  it('OR-set: a remove that arrives before the add it removed keeps the element out', () => {
    const { h } = asyncHarness({ conflict: 'crdt' }, 'set');
    h.request('us-east/0', { op: 1, f: 'add', key: 's', value: 4 });
    h.deliverAll((p) => p.to === 'eu-west/0');
    h.request('eu-west/0', { op: 2, f: 'remove', key: 's', value: 4 });
    h.deliverAll((p) => p.from === 'eu-west/0' && p.to === 'ap-northeast/0');
    expect(readAt(h, 'ap-northeast/0', 's')).toEqual([]);
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 's')).toEqual([]);
  });

  it('inventory under LWW: two regions sell the same stock, the orders are idempotent per replica', () => {
    const { h } = asyncHarness({ conflict: 'lww' }, 'inventory');
    h.request('us-east/0', { op: 1, f: 'reserve', key: 'sku', value: { qty: 80, order: 'o1' } });
    h.request('eu-west/0', { op: 2, f: 'reserve', key: 'sku', value: { qty: 80, order: 'o2' } });
    // Both decisions saw the same stock version (the initial one): lost_update rule (a).
    expect(h.replies.map((r) => r.result)).toEqual([
      { type: 'ok', value: { remaining: 20, stock_before: 100, version: 'initial' } },
      { type: 'ok', value: { remaining: 20, stock_before: 100, version: 'initial' } },
    ]);
    // A retry of o1 at the same replica is acknowledged and not applied again.
    h.request('us-east/0', { op: 3, f: 'reserve', key: 'sku', value: { qty: 80, order: 'o1' } });
    expect(h.replies.at(-1)!.result).toEqual({ type: 'ok', value: { remaining: 20, repeat: true } });
    expect(h.applies.filter((a) => a.node === 'us-east/0')).toHaveLength(1);
    h.deliverAll();
    // 160 sold of 100, yet every replica shows 20 left.
    for (const n of NODES3) expect(readAt(h, n, 'sku')).toBe(20);
  });

  it('inventory as an escrow bounded counter: never sells more than the stock, even partitioned', () => {
    const { h } = asyncHarness({ conflict: 'crdt' }, 'inventory');
    expect([0, 1, 2].map((r) => initialShare(r, 3))).toEqual([34, 33, 33]);
    let op = 0;
    const oks: number[] = [];
    for (const n of NODES3) {
      for (let i = 0; i < 40; i++) {
        h.request(n, { op: ++op, f: 'reserve', key: 'sku', value: { qty: 1, order: `o${op}` } });
        if (h.replies.at(-1)!.result.type === 'ok') oks.push(op);
      }
    }
    // No message delivered: each node sold exactly its share.
    expect(oks.length).toBe(100);
    expect(h.replies.filter((r) => r.result.type === 'fail').map((r) => r.result)).toEqual(
      Array(20).fill({ type: 'fail', error: 'out-of-stock' }),
    );
    h.deliverAll((p) => p.msg.type !== 'rights-req');
    for (const n of NODES3) expect(readAt(h, n, 'sku')).toBe(0);
  });

  it('escrow: a node out of rights asks the richest peer, who transfers some through the queue', () => {
    const { h } = asyncHarness({ conflict: 'crdt' }, 'inventory');
    h.request('us-east/0', { op: 1, f: 'reserve', key: 'sku', value: { qty: 34, order: 'a' } });
    h.deliverAll();
    h.request('us-east/0', { op: 2, f: 'reserve', key: 'sku', value: { qty: 10, order: 'b' } });
    expect(h.replies.at(-1)!.result).toEqual({ type: 'fail', error: 'out-of-stock' });
    // Asks eu-west/0 (33 rights, first of the richest in topology order) for 10.
    expect(h.inFlight.map((p) => [p.to, p.msg])).toEqual([['eu-west/0', { type: 'rights-req', key: 'sku', want: 10 }]]);
    h.deliverAll();
    h.request('us-east/0', { op: 3, f: 'reserve', key: 'sku', value: { qty: 10, order: 'b' } });
    // The decision spent us-east/0's rights from its 34th unit on: a version no other node's decision can share.
    expect(h.replies.at(-1)!.result).toEqual({ type: 'ok', value: { remaining: 56, stock_before: 66, version: 'rights:us-east/0:34' } });
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 'sku')).toBe(56);
  });

  it('cas is evaluated at the local replica, so two regions can both succeed from the same value', () => {
    const { h } = asyncHarness();
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.deliverAll();
    h.request('us-east/0', { op: 2, f: 'cas', key: 'k', value: [1, 2] });
    h.request('ap-northeast/0', { op: 3, f: 'cas', key: 'k', value: [1, 3] });
    expect(h.replies.slice(1).map((r) => r.result.type)).toEqual(['ok', 'ok']);
    h.request('eu-west/0', { op: 4, f: 'cas', key: 'k', value: [5, 6] });
    expect(h.replies.at(-1)!.result).toEqual({ type: 'fail', error: 'cas-mismatch' });
  });
});
