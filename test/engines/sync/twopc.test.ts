import { describe, expect, it } from 'vitest';
import { nodeId } from '../../../src/sim/ids.js';
import { MS } from '../../../src/sim/time.js';
import { finalOf, replyOf, run, settle, syncHarness } from './util.js';

const msgTypes = (h: ReturnType<typeof syncHarness>) => h.inFlight.map((p) => `${p.msg.type}>${p.to}`);

describe('sync engine: two-phase commit message sequences', () => {
  it('happy path: prepare on every copy, commit everywhere, then ok', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 7 });
    // the coordinator locked its own copy in the same step and asks the others
    expect(msgTypes(h)).toEqual(['prepare>b/0', 'prepare>c/0']);
    h.deliverAll((p) => p.msg.type === 'prepare');
    expect(msgTypes(h)).toEqual(['vote>a/0', 'vote>a/0']);
    h.deliver();
    expect(replyOf(h, 1)).toBeUndefined();
    h.deliver();
    // all yes: the decision is logged and commits go out; no reply yet
    expect(msgTypes(h)).toEqual(['commit>b/0', 'commit>c/0']);
    expect(h.states.get(nodeId('a/0'))?.d.decisions.get('a/0#1')?.outcome).toBe('commit');
    expect(replyOf(h, 1)).toBeUndefined();
    h.deliverAll((p) => p.msg.type === 'commit');
    h.deliver();
    expect(replyOf(h, 1)).toBeUndefined(); // one commit-ack still missing
    h.deliver();
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: 7 });
    expect(h.applies.map((a) => a.node).sort()).toEqual(['a/0', 'b/0', 'c/0']);
    for (const n of ['a/0', 'b/0', 'c/0']) expect(finalOf(h, n)).toEqual([{ key: 'k', value: 7 }]);
    for (const s of h.states.values()) expect(s.locks.size).toBe(0);
    expect(h.invariants).toEqual([]);
  });

  it('a read waits while its copy is prepared, then sees the commit; it fails after lock_timeout', () => {
    const h = syncHarness(['a/0', 'b/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.deliver(); // prepare at b: b is now locked (in doubt)
    h.request('b/0', { op: 2, f: 'read', key: 'k' });
    expect(replyOf(h, 2)).toBeUndefined();
    settle(h);
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: 1 });
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: 1 });

    h.request('a/0', { op: 3, f: 'write', key: 'k', value: 2 });
    h.deliver(); // prepare at b; the vote back is lost
    h.drop(() => true);
    h.request('b/0', { op: 4, f: 'read', key: 'k' });
    h.advance(199 * MS);
    expect(replyOf(h, 4)).toBeUndefined();
    h.advance(2 * MS);
    expect(replyOf(h, 4)).toEqual({ type: 'fail', error: 'lock-timeout' });
    h.advance(400 * MS); // prepare_timeout at the coordinator
    expect(replyOf(h, 3)).toEqual({ type: 'fail', error: 'prepare-timeout' });
    settle(h);
    expect(h.states.get(nodeId('b/0'))?.locks.size).toBe(0);
    h.request('b/0', { op: 5, f: 'read', key: 'k' });
    expect(replyOf(h, 5)).toEqual({ type: 'ok', value: 1 });
  });

  it('conflicting coordinators: wait-die aborts the younger, the older commits, no deadlock', () => {
    const h = syncHarness(['a/0', 'b/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 10 }); // a/0#1: older (same clock, smaller id)
    h.request('b/0', { op: 2, f: 'write', key: 'k', value: 20 }); // b/0#1: younger
    // each holds its own copy; the prepares cross
    h.deliver((p) => p.to === nodeId('b/0')); // older asks younger: waits, no vote
    expect(h.inFlight.filter((p) => p.to === nodeId('a/0'))).toHaveLength(1);
    h.deliver((p) => p.to === nodeId('a/0')); // younger asks older: dies at once
    const vote = h.inFlight.find((p) => p.msg.type === 'vote');
    expect(vote?.msg).toMatchObject({ yes: false, error: 'lock-conflict' });
    settle(h);
    expect(replyOf(h, 2)).toEqual({ type: 'fail', error: 'lock-conflict' });
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: 10 });
    expect(finalOf(h, 'a/0')).toEqual(finalOf(h, 'b/0'));
    expect(finalOf(h, 'b/0')).toEqual([{ key: 'k', value: 10 }]);
    expect(h.invariants).toEqual([]);
  });

  it('cas evaluates against the newest prepared copy and fails cleanly on mismatch', () => {
    const h = syncHarness(['a/0', 'b/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    settle(h);
    h.request('b/0', { op: 2, f: 'cas', key: 'k', value: [1, 2] });
    settle(h);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: [1, 2] });
    h.request('a/0', { op: 3, f: 'cas', key: 'k', value: [1, 3] });
    settle(h);
    expect(replyOf(h, 3)).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(finalOf(h, 'a/0')).toEqual([{ key: 'k', value: 2 }]);
    for (const s of h.states.values()) expect(s.locks.size).toBe(0);
  });

  it('coordinator crash after prepare: participants stay locked (in doubt) until it restarts', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 5 });
    h.deliverAll((p) => p.msg.type === 'prepare'); // b and c vote yes ...
    h.crash('a/0'); // ... and the coordinator dies before it hears them
    h.drop(() => true);
    // a write and a read of the key elsewhere are blocked by the in-doubt locks
    h.request('c/0', { op: 2, f: 'write', key: 'k', value: 6 });
    h.request('b/0', { op: 3, f: 'read', key: 'k' });
    run(h, 2000 * MS);
    expect(replyOf(h, 2)?.type).toBe('fail');
    expect(replyOf(h, 3)).toEqual({ type: 'fail', error: 'lock-timeout' });
    // b and c asked each other and the coordinator: nobody knows, so they keep the lock
    expect(h.states.get(nodeId('b/0'))?.locks.get('k')).toBe('a/0#1');
    expect(h.states.get(nodeId('c/0'))?.locks.get('k')).toBe('a/0#1');
    expect(h.trace.some((e) => e.effect.type === 'send' && e.effect.msg.type === 'decision-req')).toBe(true);

    h.restart('a/0');
    run(h, 2000 * MS);
    // no commit record: presumed abort; the locks are gone and writes work again
    expect(h.states.get(nodeId('b/0'))?.locks.size).toBe(0);
    expect(h.states.get(nodeId('c/0'))?.locks.size).toBe(0);
    const m = h.engine.metrics?.(h.states.get(nodeId('b/0'))!);
    expect(m?.in_doubt_blocked_ms).toBeGreaterThanOrEqual(2000);
    h.request('c/0', { op: 4, f: 'write', key: 'k', value: 8 });
    run(h, 50 * MS);
    expect(replyOf(h, 4)).toEqual({ type: 'ok', value: 8 });
    for (const n of ['a/0', 'b/0', 'c/0']) expect(finalOf(h, n)).toEqual([{ key: 'k', value: 8 }]);
    expect(h.invariants).toEqual([]);
  });

  it('coordinator crash after the commit decision: the restarted coordinator finishes the commit', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 5 });
    h.deliverAll((p) => p.msg.type === 'prepare');
    h.deliverAll((p) => p.msg.type === 'vote'); // decision logged, commits sent ...
    h.crash('a/0'); // ... and lost with the coordinator
    h.drop(() => true);
    run(h, 1500 * MS);
    expect(h.states.get(nodeId('b/0'))?.locks.get('k')).toBe('a/0#1');
    h.restart('a/0');
    run(h, 1000 * MS);
    for (const n of ['a/0', 'b/0', 'c/0']) expect(finalOf(h, n)).toEqual([{ key: 'k', value: 5 }]);
    expect(h.invariants).toEqual([]);
  });

  it('cooperative termination: an in-doubt copy learns the commit from a peer that got it', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0']);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 5 });
    h.deliverAll((p) => p.msg.type === 'prepare');
    h.deliverAll((p) => p.msg.type === 'vote');
    h.deliver((p) => p.msg.type === 'commit' && p.to === nodeId('c/0'));
    h.crash('a/0'); // b never gets its commit
    h.drop(() => true);
    run(h, 1500 * MS);
    expect(h.states.get(nodeId('b/0'))?.locks.size).toBe(0);
    expect(finalOf(h, 'b/0')).toEqual([{ key: 'k', value: 5 }]);
    expect(h.invariants).toEqual([]);
  });

  it('counter, set and inventory operations commit through the same transactions', () => {
    const c = syncHarness(['a/0', 'b/0'], {}, 'counter');
    c.request('a/0', { op: 1, f: 'add', key: 'n', value: 3 });
    c.request('b/0', { op: 2, f: 'add', key: 'm', value: 4 });
    settle(c);
    c.request('b/0', { op: 3, f: 'add', key: 'n', value: 2 });
    settle(c);
    c.request('a/0', { op: 4, f: 'read', key: 'n' });
    expect(replyOf(c, 4)).toEqual({ type: 'ok', value: 5 });

    const inv = syncHarness(['a/0', 'b/0'], {}, 'inventory');
    inv.request('a/0', { op: 1, f: 'reserve', key: 'sku', value: { qty: 60, order: 'o1' } });
    settle(inv);
    inv.request('b/0', { op: 2, f: 'reserve', key: 'sku', value: { qty: 60, order: 'o2' } });
    inv.request('b/0', { op: 3, f: 'reserve', key: 'sku', value: { qty: 10, order: 'o1' } });
    settle(inv);
    expect(replyOf(inv, 1)).toEqual({ type: 'ok', value: { remaining: 40, stock_before: 100, version: 'initial' } });
    expect(replyOf(inv, 2)).toEqual({ type: 'fail', error: 'out-of-stock' });
    expect(finalOf(inv, 'b/0')).toEqual([{ key: 'sku', value: 40 }]);
  });
});
