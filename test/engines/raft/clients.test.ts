/**
 * Client-facing behaviour: forwarding to the leader, replies only after commit and apply,
 * minorities never acknowledging, crash/restart durability, the three read modes, prevote,
 * check_quorum and leadership transfer to the preferred region.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../../src/sim/ids.js';
import {
  awaitLeader,
  group,
  isolate,
  isType,
  leaders,
  NODES3,
  raftHarness,
  run,
} from './fixtures.js';

const okValues = (h: ReturnType<typeof raftHarness>['h'], op: number) =>
  h.replies.filter((r) => r.op === op).map((r) => r.result);

describe('raft: client requests', () => {
  it('a follower forwards a write to the leader; the follower replies once the entry is committed and applied', () => {
    const { h } = raftHarness();
    const leader = awaitLeader(h);
    run(h, 300_000);
    const follower = NODES3.find((n) => n !== leader)!;
    h.request(follower, { op: 1, f: 'write', key: 'x', value: 5 });
    expect(h.inFlight.filter(isType('forward')).map((p) => p.to)).toEqual([leader]);
    h.deliver(isType('forward'));
    expect(h.replies).toEqual([]); // appended, not committed
    run(h, 50_000);
    expect(h.replies.map((r) => [r.node, r.op, r.result])).toEqual([[follower, 1, { type: 'ok', value: 5 }]]);
    expect(h.applies.filter((a) => a.node === leader).map((a) => [a.key, a.value, a.op])).toEqual([['x', 5, 1]]);
    run(h, 300_000); // the next heartbeat carries the commit index to everyone
    for (const n of NODES3) expect(group(h, n).machine.values.get('x')).toBe(5);
  });

  it('a request to a partitioned minority is never acknowledged, and the majority keeps serving', () => {
    const { h } = raftHarness();
    const leader = awaitLeader(h);
    run(h, 300_000);
    const minority = leader; // the worst case: the old leader itself
    const cut = isolate(minority);
    h.request(minority, { op: 1, f: 'write', key: 'x', value: 1 });
    run(h, 5_000_000, cut);
    expect(okValues(h, 1)).toEqual([]);
    const majority = NODES3.find((n) => n !== minority)!;
    h.request(majority, { op: 2, f: 'write', key: 'x', value: 2 });
    run(h, 1_000_000, cut);
    expect(okValues(h, 2)).toEqual([{ type: 'ok', value: 2 }]);
    // after healing, the minority's unacknowledged write is gone: the new leader overwrote the
    // old leader's uncommitted entry, and its origin stopped retrying after 3 election timeouts
    run(h, 3_000_000);
    for (const n of NODES3) expect(group(h, n).machine.values.get('x')).toBe(2);
  });

  it('a request waiting for a leader is retried after the election and applied once', () => {
    const { h } = raftHarness({}, {}, 'counter');
    h.request('eu-west/0', { op: 1, f: 'add', key: 'c', value: 3 }); // no leader yet
    awaitLeader(h);
    run(h, 3_000_000);
    expect(okValues(h, 1)).toEqual([{ type: 'ok', value: 3 }]);
    for (const n of NODES3) expect(group(h, n).machine.values.get('c')).toBe(3);
  });

  it('cas and inventory decide at apply time and fail only when definitely not applied', () => {
    const { h } = raftHarness({}, {}, 'register');
    const leader = awaitLeader(h);
    h.request(leader, { op: 1, f: 'write', key: 'r', value: 1 });
    h.request(leader, { op: 2, f: 'cas', key: 'r', value: [1, 2] });
    h.request(leader, { op: 3, f: 'cas', key: 'r', value: [1, 3] });
    run(h, 200_000);
    expect(okValues(h, 2)).toEqual([{ type: 'ok', value: [1, 2] }]);
    expect(okValues(h, 3)).toEqual([{ type: 'fail', error: 'cas-mismatch' }]);
    const inv = raftHarness({}, {}, 'inventory').h;
    const l2 = awaitLeader(inv);
    inv.request(l2, { op: 1, f: 'reserve', key: 'sku', value: { qty: 60, order: 'o1' } });
    inv.request(l2, { op: 2, f: 'reserve', key: 'sku', value: { qty: 60, order: 'o2' } });
    inv.request(l2, { op: 3, f: 'reserve', key: 'sku', value: { qty: 60, order: 'o1' } }); // idempotent retry
    run(inv, 200_000);
    expect(okValues(inv, 1)).toEqual([{ type: 'ok', value: { remaining: 40, stock_before: 100, version: 'initial' } }]);
    expect(okValues(inv, 2)).toEqual([{ type: 'fail', error: 'out-of-stock' }]);
    expect(okValues(inv, 3)).toEqual([{ type: 'ok', value: { remaining: 40, repeat: true } }]);
  });

  it('term, vote and log survive a crash; the state machine is rebuilt from the log up to the persisted commit', () => {
    const { h, engine } = raftHarness({}, {}, 'set');
    const leader = awaitLeader(h);
    for (let i = 1; i <= 5; i++) h.request(leader, { op: i, f: 'add', key: 's', value: i });
    run(h, 500_000);
    const victim = NODES3.find((n) => n !== leader)!;
    const before = group(h, victim);
    const snapshot = { term: before.term, vote: before.vote, log: before.log.length, commit: before.commit };
    h.crash(victim);
    h.restart(victim);
    const after = group(h, victim);
    expect({ term: after.term, vote: after.vote, log: after.log.length, commit: after.commit }).toEqual(snapshot);
    expect(after.machine.values.get('s')).toEqual([1, 2, 3, 4, 5]);
    expect(after.role).toBe('follower');
    expect(engine.finalState(h.states.get(victim as NodeId)!)).toEqual([{ key: 's', value: [1, 2, 3, 4, 5] }]);
  });
});

describe('raft: reads', () => {
  it('read-index: the leader confirms leadership with a quorum round before answering', () => {
    const { h } = raftHarness({ reads: 'read-index' });
    const leader = awaitLeader(h);
    run(h, 300_000);
    h.request(leader, { op: 1, f: 'read', key: 'x' });
    expect(h.replies).toEqual([]);
    expect(h.inFlight.filter(isType('app')).length).toBe(2); // the confirmation round
    h.deliverAll();
    expect(okValues(h, 1)).toEqual([{ type: 'ok', value: null }]);
    // a leader cut off from its quorum cannot confirm, so it never answers
    const cut = isolate(leader);
    h.request(leader, { op: 2, f: 'read', key: 'x' });
    run(h, 3_000_000, cut);
    expect(okValues(h, 2)).toEqual([]);
  });

  it('lease: the leaseholder answers from its own state with no message while its lease holds', () => {
    const { h } = raftHarness({ reads: 'lease' });
    const leader = awaitLeader(h);
    run(h, 300_000);
    const sent = h.inFlight.length;
    h.request(leader, { op: 1, f: 'read', key: 'x' });
    expect(okValues(h, 1)).toEqual([{ type: 'ok', value: null }]);
    expect(h.inFlight.length).toBe(sent);
  });

  it('lease: a leaseholder whose clock jumps back beyond the margin serves a stale read; read-index does not', () => {
    for (const reads of ['lease', 'read-index'] as const) {
      const offsets: Record<string, number> = {};
      const { h } = raftHarness({ reads, lease_us: 900_000 as never, check_quorum: false }, { clockOffset_us: offsets });
      const old = awaitLeader(h);
      h.request(old, { op: 1, f: 'write', key: 'x', value: 1 });
      run(h, 500_000);
      const cut = isolate(old);
      offsets[old] = -5_000_000; // the old leaseholder's clock steps 5 s back: its lease looks fresh
      const next = awaitLeader(h, cut);
      h.request(next, { op: 2, f: 'write', key: 'x', value: 2 });
      run(h, 200_000, cut);
      expect(okValues(h, 2)).toEqual([{ type: 'ok', value: 2 }]);
      h.request(old, { op: 3, f: 'read', key: 'x' });
      run(h, 100_000, cut);
      if (reads === 'lease') expect(okValues(h, 3)).toEqual([{ type: 'ok', value: 1 }]); // stale
      else expect(okValues(h, 3)).toEqual([]); // cannot confirm: no answer, the client times out
    }
  });

  it('lease: a clock step within the margin (one tick beyond the lease) is harmless', () => {
    const offsets: Record<string, number> = {};
    const { h } = raftHarness({ reads: 'lease', lease_us: 900_000 as never, check_quorum: false }, { clockOffset_us: offsets });
    const old = awaitLeader(h);
    h.request(old, { op: 1, f: 'write', key: 'x', value: 1 });
    run(h, 500_000);
    const cut = isolate(old);
    offsets[old] = -90_000; // 90 ms back: less than the 100 ms tick of margin
    const next = awaitLeader(h, cut);
    h.request(next, { op: 2, f: 'write', key: 'x', value: 2 });
    run(h, 200_000, cut);
    expect(okValues(h, 2)).toEqual([{ type: 'ok', value: 2 }]);
    h.request(old, { op: 3, f: 'read', key: 'x' });
    run(h, 100_000, cut);
    expect(okValues(h, 3)).toEqual([]); // its lease has run out by its own clock: no stale answer
  });

  it('lease: with correct clocks no new leader is elected while the old lease may still be valid', () => {
    const { h } = raftHarness({ reads: 'lease', lease_us: 2_000_000 as never, check_quorum: false });
    const old = awaitLeader(h);
    run(h, 300_000);
    const g = group(h, old);
    const cutAt = h.time_us;
    const next = awaitLeader(h, isolate(old));
    // the old leader's lease ended at leaseStart + 2 s on its (correct) clock
    expect(h.time_us).toBeGreaterThanOrEqual((g.leaseStart ?? cutAt) + 2_000_000);
    expect(next).not.toBe(old);
  });

  it('follower: any replica answers from its own state, which may lag', () => {
    const { h } = raftHarness({ reads: 'follower' });
    const leader = awaitLeader(h);
    run(h, 300_000);
    const follower = NODES3.find((n) => n !== leader)!;
    h.request(leader, { op: 1, f: 'write', key: 'x', value: 7 });
    h.deliverAll(); // replicated and committed on the leader; followers learn the commit at the next heartbeat
    expect(okValues(h, 1)).toEqual([{ type: 'ok', value: 7 }]);
    h.request(follower, { op: 2, f: 'read', key: 'x' });
    expect(okValues(h, 2)).toEqual([{ type: 'ok', value: null }]); // stale
    run(h, 200_000);
    h.request(follower, { op: 3, f: 'read', key: 'x' });
    expect(okValues(h, 3)).toEqual([{ type: 'ok', value: 7 }]);
  });
});

describe('raft: prevote, check_quorum, transfer', () => {
  it('prevote: a node rejoining after isolation does not depose the leader; without prevote it does', () => {
    for (const prevote of [true, false]) {
      const { h } = raftHarness({ prevote, check_quorum: false });
      const leader = awaitLeader(h);
      run(h, 300_000);
      const loner = NODES3.find((n) => n !== leader)!;
      const term = group(h, leader).term;
      run(h, 5_000_000, isolate(loner));
      run(h, 2_000_000);
      const deposed = group(h, leader).term !== term;
      expect(deposed).toBe(!prevote);
      expect(h.invariants).toEqual([]);
    }
  });

  it('check_quorum: an isolated leader steps down within two election timeouts', () => {
    const { h } = raftHarness({ check_quorum: true });
    const leader = awaitLeader(h);
    run(h, 300_000);
    run(h, 2_100_000, isolate(leader));
    expect(group(h, leader).role).toBe('follower');
  });

  it('leaders: REGION moves leadership to a caught-up replica in that region', () => {
    const { h } = raftHarness({ placement: { kind: 'leaders', region: 'ap-northeast' } });
    awaitLeader(h);
    run(h, 3_000_000);
    expect(leaders(h)).toEqual(['ap-northeast/0']);
    // after it is cut off and heals, leadership comes back
    run(h, 5_000_000, isolate('ap-northeast/0'));
    expect(leaders(h).filter((n) => n !== 'ap-northeast/0').length).toBe(1);
    run(h, 5_000_000);
    expect(leaders(h)).toEqual(['ap-northeast/0']);
    expect(h.invariants).toEqual([]);
  });
});

describe('raft: election trace (etcd testdata style)', () => {
  it('pre-vote round, vote round, then the new leader appends its no-op to everyone', () => {
    const { h } = raftHarness();
    // run until the first pre-vote is sent, without delivering anything yet
    while (!h.inFlight.some(isType('vote'))) h.advance(10_000);
    const line = (p: { from: string; to: string; msg: { type: string } & Record<string, unknown> }, c: string): string => {
      const who = (n: string) => (n === c ? 'C' : 'F');
      const m = p.msg;
      const extra = m.type === 'vote' || m.type === 'vote-resp' ? ` pre=${m.pre} term=${m.term}` : ` term=${m.term}`;
      return `${who(p.from)}->${who(p.to)} ${m.type}${extra}${m.type === 'vote-resp' ? ` granted=${m.granted}` : ''}${m.type === 'app' ? ` entries=${(m.entries as unknown[]).length}` : ''}`;
    };
    const c = h.inFlight.find(isType('vote'))!.from;
    const seen: string[] = [];
    for (let i = 0; i < 12 && h.inFlight.length > 0; i++) {
      const p = h.deliver()!;
      seen.push(line(p as never, c));
    }
    expect(seen).toEqual([
      'C->F vote pre=true term=1',
      'C->F vote pre=true term=1',
      'F->C vote-resp pre=true term=1 granted=true',
      'F->C vote-resp pre=true term=1 granted=true',
      'C->F vote pre=false term=1',
      'C->F vote pre=false term=1',
      'F->C vote-resp pre=false term=1 granted=true', // a majority: C leads, appends its no-op
      'F->C vote-resp pre=false term=1 granted=true', // (sent before the appends arrived)
      'C->F app term=1 entries=1',
      'C->F app term=1 entries=1',
      'F->C app-resp term=1',
      'F->C app-resp term=1',
    ]);
    expect(leaders(h)).toEqual([c]);
    expect(group(h, c).commit).toBe(1); // the no-op of term 1, on a majority
  });
});
