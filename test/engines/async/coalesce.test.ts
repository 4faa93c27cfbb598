import { describe, expect, it } from 'vitest';
import { asyncHarness, readAt } from './fixtures.js';
import { enqueue, newQueue, unacked } from '../../../src/engines/async/queue.js';
import { copiesOf, issue } from '../../../src/engines/async/ledger.js';
import { lwwRule } from '../../../src/engines/async/rules/lww.js';
import { nodeId } from '../../../src/sim/ids.js';
import type { AsyncMsg } from '../../../src/engines/async/types.js';

type Changes = Extract<AsyncMsg, { type: 'changes' }>;
const toEu = (p: { to: string }): boolean => p.to === 'eu-west/0';
const euBatches = (inFlight: ReadonlyArray<{ to: string; msg: AsyncMsg }>): Array<Array<[number, string]>> =>
  inFlight.filter(toEu).map((p) => (p.msg as Changes).keys.map((key, j) => [(p.msg as Changes).first + j, key]));

describe('async change queues: coalescing (coalesce: true)', () => {
  it('a parked queue keeps one entry per key; the heal ships only the newest change of each', () => {
    // batch 1: the send window is 8 changes; eu-west is unreachable, so writes 9.. park unsent.
    const { h, engine } = asyncHarness({ coalesce: true, batch: 1 });
    for (let op = 1; op <= 20; op++) {
      h.request('us-east/0', { op, f: 'write', key: `k${op % 3}`, value: op });
      h.drop(toEu);
      h.deliverAll();
    }
    const m = engine.metrics!(h.states.get('us-east/0' as never)!);
    // seqs 1..8 went out (and were lost); ops 9..20 share three parked entries, one per key.
    expect(m['max_queue_depth_to_eu-west']).toBe(11);
    expect(m.changes_coalesced).toBe(9);
    for (let i = 0; i < 6; i++) {
      h.advance(300_000);
      h.deliverAll();
    }
    for (const [key, v] of [['k0', 18], ['k1', 19], ['k2', 20]] as const) expect(readAt(h, 'eu-west/0', key)).toBe(v);
    // eu-west never saw the superseded writes 9..17: its last applies are the newest values.
    const euK2 = h.applies.filter((a) => a.node === 'eu-west/0' && a.key === 'k2').map((a) => a.value);
    expect(euK2).toEqual([2, 5, 8, 20]);
  });

  it('never replaces an entry that was already sent (the receiver dedups by seq)', () => {
    const { h } = asyncHarness({ coalesce: true, batch: 10 });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 1 });
    // seq 1 is in flight to eu-west; a newer write of the same key must get seq 2.
    h.request('us-east/0', { op: 2, f: 'write', key: 'k', value: 2 });
    expect(euBatches(h.inFlight)).toEqual([[[1, 'k']], [[2, 'k']]]);
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'k')).toBe(2);
  });

  it('without coalescing every write is its own entry', () => {
    const { h, engine } = asyncHarness({ batch: 1 });
    for (let op = 1; op <= 20; op++) {
      h.request('us-east/0', { op, f: 'write', key: `k${op % 3}`, value: op });
      h.drop(toEu);
      h.deliverAll();
    }
    const m = engine.metrics!(h.states.get('us-east/0' as never)!);
    expect(m['max_queue_depth_to_eu-west']).toBe(20);
    expect(m.changes_coalesced).toBeUndefined();
  });

  it('LWW: only a greater timestamp supersedes (a clock that stepped back queues a second entry)', () => {
    const rule = lwwRule('register');
    const ch = (wall_us: number, logical: number, op: number) => ({ kind: 'lww' as const, w: op, ts: { wall_us, logical, rank: 0, seq: op }, op });
    expect(rule.supersedes!(ch(20, 0, 2), ch(10, 0, 1))).toBe(true);
    expect(rule.supersedes!(ch(10, 0, 2), ch(20, 0, 1))).toBe(false);
    const q = newQueue(nodeId('eu-west/0'), 1, 0, [], 0, true);
    const never = (): boolean => false;
    expect(enqueue(q, 'k', ch(20, 0, 1), issue(q.ledger, false, ch(20, 0, 1), 'k'), never)).toBe(0);
    expect(enqueue(q, 'k', ch(10, 0, 2), issue(q.ledger, false, ch(10, 0, 2), 'k'), never)).toBe(0);
    expect(unacked(q).map((e) => e.seq)).toEqual([1, 2]);
    // A superseded change whose copies are all replaced no longer waits for anyone.
    const p3 = issue(q.ledger, false, ch(30, 0, 3), 'k');
    expect(enqueue(q, 'k', ch(30, 0, 3), p3, rule.supersedes as never)).toBe(1);
    expect(unacked(q).map((e) => e.seq)).toEqual([1, 2]);
    expect(unacked(q)[1]!.change).toEqual(ch(30, 0, 3));
    expect(copiesOf(q.ledger, p3)).toBe(1);
  });

  it('counters: a PN-counter total supersedes an earlier total from the same node', () => {
    const { h, engine } = asyncHarness({ conflict: 'crdt', coalesce: true, batch: 1 }, 'counter');
    for (let op = 1; op <= 14; op++) {
      h.request('us-east/0', { op, f: 'add', key: 'c', value: op % 2 === 0 ? 2 : -1 });
      h.drop(toEu);
      h.deliverAll();
    }
    // eight sent and lost, the six after them folded into one parked entry
    expect(engine.metrics!(h.states.get('us-east/0' as never)!)['max_queue_depth_to_eu-west']).toBe(9);
    for (let i = 0; i < 6; i++) {
      h.advance(300_000);
      h.deliverAll();
    }
    expect(readAt(h, 'eu-west/0', 'c')).toBe(7);
    expect(readAt(h, 'ap-northeast/0', 'c')).toBe(7);
  });
});
