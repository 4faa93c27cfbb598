import { describe, expect, it } from 'vitest';
import { nodeId } from '../../../src/sim/ids.js';
import { MS, SEC } from '../../../src/sim/time.js';
import { admin, cutBetween, finalOf, replyOf, run, syncHarness } from './util.js';

const N3 = ['a/0', 'b/0', 'c/0'];

describe('sync engine: a copy unreachable, under each on_failure policy', () => {
  it('pause: commits fail while a copy is down, continue once the operator removes it, and the copy catches up by queue drain', () => {
    const h = syncHarness(N3, { on_failure: 'pause' });
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    run(h, 50 * MS);
    h.crash('c/0');
    h.request('a/0', { op: 2, f: 'write', key: 'k', value: 2 });
    run(h, 1 * SEC);
    expect(replyOf(h, 2)).toEqual({ type: 'fail', error: 'prepare-timeout' });
    // reads stay local and keep working: nothing committed without c, so nothing is stale
    h.request('b/0', { op: 3, f: 'read', key: 'k' });
    expect(replyOf(h, 3)).toEqual({ type: 'ok', value: 1 });

    admin(h, 'remove', 'c/0');
    h.request('a/0', { op: 4, f: 'write', key: 'k', value: 4 });
    h.request('b/0', { op: 5, f: 'write', key: 'j', value: 5 });
    run(h, 100 * MS);
    expect(replyOf(h, 4)).toEqual({ type: 'ok', value: 4 });
    expect(replyOf(h, 5)).toEqual({ type: 'ok', value: 5 });

    h.restart('c/0');
    run(h, 300 * MS);
    // removed by the operator: the restarted copy stays out and refuses clients
    h.request('c/0', { op: 6, f: 'read', key: 'k' });
    expect(replyOf(h, 6)).toEqual({ type: 'fail', error: 'copy-removed' });
    admin(h, 'rejoin', 'c/0');
    run(h, 300 * MS);
    h.request('c/0', { op: 7, f: 'read', key: 'k' });
    expect(replyOf(h, 7)).toEqual({ type: 'ok', value: 4 });
    const sponsorKeys = [...h.states.values()].reduce((n, s) => n + s.d.counters.keys_copied, 0);
    expect(sponsorKeys).toBe(2); // queue drain: only the two keys written while c was out
    h.request('c/0', { op: 8, f: 'write', key: 'k', value: 8 });
    run(h, 100 * MS);
    expect(replyOf(h, 8)).toEqual({ type: 'ok', value: 8 });
    for (const n of N3) expect(finalOf(h, n)).toEqual([{ key: 'j', value: 5 }, { key: 'k', value: 8 }]);
    expect(h.invariants).toEqual([]);
  });

  it('pause with remove_after: an unreachable copy is removed automatically and rejoins by itself', () => {
    const h = syncHarness(N3, { on_failure: 'pause', remove_after_us: (2 * SEC) as never });
    h.crash('c/0');
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    run(h, 1 * SEC);
    expect(replyOf(h, 1)?.type).toBe('fail');
    run(h, 1.5 * SEC);
    h.request('a/0', { op: 2, f: 'write', key: 'k', value: 2 });
    run(h, 50 * MS);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: 2 });
    h.restart('c/0');
    run(h, 500 * MS);
    const c = h.states.get(nodeId('c/0'))!;
    expect(c.recovery).toBeNull();
    expect(finalOf(h, 'c/0')).toEqual([{ key: 'k', value: 2 }]);
    expect(c.d.counters.max_rejoin_ms).toBeGreaterThan(0);
    expect(h.invariants).toEqual([]);
  });

  it('online-copy: the recovering copy gets every key, not just the changed ones', () => {
    const h = syncHarness(N3, { on_failure: 'pause', recovery: 'online-copy' });
    for (let i = 0; i < 25; i++) h.request('a/0', { op: 100 + i, f: 'write', key: `k${i}`, value: i });
    run(h, 100 * MS);
    h.crash('c/0');
    admin(h, 'remove', 'c/0');
    h.request('b/0', { op: 1, f: 'write', key: 'k3', value: 33 });
    run(h, 50 * MS);
    h.restart('c/0');
    admin(h, 'rejoin', 'c/0');
    run(h, 500 * MS);
    const copied = [...h.states.values()].reduce((n, s) => n + s.d.counters.keys_copied, 0);
    expect(copied).toBe(25);
    expect(finalOf(h, 'c/0')).toEqual(finalOf(h, 'a/0'));
    expect(finalOf(h, 'c/0')).toContainEqual({ key: 'k3', value: 33 });
    expect(h.invariants).toEqual([]);
  });

  it('split-brain: both sides keep writing; after heal the side with the first region wins, the other rolls back', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0'], { on_failure: 'split-brain' });
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    run(h, 50 * MS);
    const cut = cutBetween(['a'], ['b', 'c']);
    run(h, 1 * SEC, cut); // each side removes the other
    h.request('a/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.request('b/0', { op: 3, f: 'write', key: 'k', value: 3 });
    h.request('c/0', { op: 4, f: 'write', key: 'only-bc', value: 4 });
    run(h, 100 * MS, cut);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: 2 });
    expect(replyOf(h, 3)).toEqual({ type: 'ok', value: 3 });
    expect(replyOf(h, 4)).toEqual({ type: 'ok', value: 4 });
    // a stale read on the other side: a acknowledged 2, b/c still say 3
    h.request('c/0', { op: 5, f: 'read', key: 'k' });
    expect(replyOf(h, 5)).toEqual({ type: 'ok', value: 3 });
    run(h, 1 * SEC); // heal
    // side {a} has the first region: b and c roll back their split writes (acknowledged, now lost)
    for (const n of ['a/0', 'b/0', 'c/0']) expect(finalOf(h, n)).toEqual([{ key: 'k', value: 2 }]);
    h.request('b/0', { op: 6, f: 'write', key: 'k', value: 6 });
    run(h, 100 * MS);
    expect(replyOf(h, 6)).toEqual({ type: 'ok', value: 6 });
    for (const s of h.states.values()) expect(s.d.out.size).toBe(0);
    expect(h.invariants).toEqual([]);
  });

  it('pause without removal under a partition: no side commits, no split brain', () => {
    const h = syncHarness(N3, { on_failure: 'pause' });
    const cut = cutBetween(['a'], ['b', 'c']);
    run(h, 500 * MS, cut);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.request('b/0', { op: 2, f: 'write', key: 'k', value: 2 });
    run(h, 1 * SEC, cut);
    expect(replyOf(h, 1)?.type).toBe('fail');
    expect(replyOf(h, 2)?.type).toBe('fail');
    run(h, 500 * MS);
    h.request('b/0', { op: 3, f: 'write', key: 'k', value: 3 });
    run(h, 100 * MS);
    expect(replyOf(h, 3)).toEqual({ type: 'ok', value: 3 });
  });

  it('witness: the side that reaches the witness removes the other and keeps writing; the other pauses', () => {
    const h = syncHarness(['a/0', 'b/0', 'w/0'], { on_failure: 'witness', witness: 'w' });
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    run(h, 50 * MS);
    const cut = cutBetween(['a'], ['b', 'w']);
    run(h, 1 * SEC, cut);
    h.request('a/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.request('a/0', { op: 3, f: 'read', key: 'k' });
    h.request('b/0', { op: 4, f: 'write', key: 'k', value: 4 });
    h.request('b/0', { op: 5, f: 'read', key: 'k' });
    run(h, 1 * SEC, cut);
    expect(replyOf(h, 2)?.type).toBe('fail');
    expect(replyOf(h, 3)).toEqual({ type: 'fail', error: 'no-read-lease' }); // a would be stale
    expect(replyOf(h, 4)).toEqual({ type: 'ok', value: 4 });
    expect(replyOf(h, 5)).toEqual({ type: 'ok', value: 4 });
    expect(h.states.get(nodeId('w/0'))?.d.arbiterScope).toEqual(['b/0']);
    run(h, 1 * SEC); // heal: a is behind and recovers from b
    for (const n of ['a/0', 'b/0']) expect(finalOf(h, n)).toEqual([{ key: 'k', value: 4 }]);
    expect(finalOf(h, 'w/0')).toEqual([]);
    expect(h.states.get(nodeId('w/0'))?.d.arbiterScope).toEqual(['a/0', 'b/0']);
    h.request('a/0', { op: 6, f: 'write', key: 'k', value: 6 });
    run(h, 100 * MS);
    expect(replyOf(h, 6)).toEqual({ type: 'ok', value: 6 });
    expect(h.invariants).toEqual([]);
  });

  it('witness: a symmetric cut with the witness on neither side pauses everyone (no split brain)', () => {
    const h = syncHarness(['a/0', 'b/0', 'w/0'], { on_failure: 'witness', witness: 'w' });
    const cut = cutBetween(['a'], ['b'], ['w']);
    run(h, 1500 * MS, cut);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.request('b/0', { op: 2, f: 'write', key: 'k', value: 2 });
    run(h, 1 * SEC, cut);
    expect(replyOf(h, 1)?.type).toBe('fail');
    expect(replyOf(h, 2)?.type).toBe('fail');
    expect(h.states.get(nodeId('w/0'))?.d.arbiterScope).toEqual(['a/0', 'b/0']);
  });

  it('witness: memberships are numbered; a copy cut off follows the newer one when it is back, then rejoins', () => {
    const h = syncHarness(['a/0', 'b/0', 'c/0', 'w/0'], { on_failure: 'witness', witness: 'w' });
    run(h, 100 * MS);
    const cut = cutBetween(['a', 'b', 'w'], ['c']);
    run(h, 1500 * MS, cut);
    const w = h.states.get(nodeId('w/0'))!;
    expect(w.d.arbiterScope).toEqual(['a/0', 'b/0']);
    expect(w.d.epoch).toBe(1);
    expect(h.states.get(nodeId('a/0'))?.d.epoch).toBe(1);
    expect(h.states.get(nodeId('c/0'))?.d.epoch).toBe(0);
    h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.request('c/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.request('c/0', { op: 3, f: 'read', key: 'k' });
    run(h, 1500 * MS, cut);
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: 1 });
    expect(replyOf(h, 2)?.type).toBe('fail');
    expect(replyOf(h, 3)).toEqual({ type: 'fail', error: 'no-read-lease' });
    // a prepare from the old membership is refused by a copy on the new one
    h.request('c/0', { op: 4, f: 'write', key: 'k', value: 4 });
    const prep = h.inFlight.find((p) => p.msg.type === 'prepare' && p.to === nodeId('a/0'));
    expect(prep?.msg).toMatchObject({ epoch: 0 });
    h.deliver((p) => p === prep);
    expect(h.inFlight.find((p) => p.msg.type === 'vote' && p.to === nodeId('c/0'))?.msg).toMatchObject({ yes: false });
    run(h, 1500 * MS); // heal: c hears epoch 1, fetches it, finds itself out, recovers, rejoins
    expect(w.d.arbiterScope).toEqual(['a/0', 'b/0', 'c/0']);
    expect(w.d.epoch).toBe(2);
    for (const n of ['a/0', 'b/0', 'c/0']) {
      expect(h.states.get(nodeId(n))?.d.epoch).toBe(2);
      expect(finalOf(h, n)).toEqual([{ key: 'k', value: 1 }]);
    }
    expect(h.invariants).toEqual([]);
  });
});
