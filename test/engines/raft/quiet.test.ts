// Quiescent ranges (quiesce: true): an idle, fully replicated range stops heartbeating and
// ticking; per-node liveness stands in for it; a dead or cut-off leader node still gets its
// ranges re-elected, and writes and reads wake a quiet range.
import { describe, expect, it } from 'vitest';
import type { Msg } from '../../../src/engines/raft/types.js';
import type { Pending } from '../harness.js';
import { awaitLeader, group, isolate, leaders, raftHarness, run } from './fixtures.js';

/** Calls `fn` once for every message sent during `us` of time (everything delivered). */
function eachSent(h: ReturnType<typeof raftHarness>['h'], us: number, fn: (msg: Msg) => void): void {
  const seen = new Set<Pending<Msg>>();
  const end = h.time_us + us;
  while (h.time_us < end) {
    h.advance(10_000);
    for (let i = 0; i < 1000 && h.inFlight.length > 0; i++) {
      for (const p of h.inFlight) {
        if (seen.has(p)) continue;
        seen.add(p);
        fn(p.msg);
      }
      if (!h.deliver()) break;
    }
  }
}

/** Counts what was sent, by message type, during `us` of time (everything delivered). */
function sentDuring(h: ReturnType<typeof raftHarness>['h'], us: number): Record<string, number> {
  const counts: Record<string, number> = {};
  eachSent(h, us, (m) => {
    counts[m.type] = (counts[m.type] ?? 0) + 1;
  });
  return counts;
}

/** Messages sent during `us`: outer (as the network carries them) and inner (batches unpacked), by type. */
function carried(h: ReturnType<typeof raftHarness>['h'], us: number): { outer: number; inner: Record<string, number>; batches: number } {
  const inner: Record<string, number> = {};
  let outer = 0;
  let batches = 0;
  eachSent(h, us, (m) => {
    outer++;
    if (m.type === 'batch') batches++;
    for (const x of m.type === 'batch' ? m.msgs : [m]) inner[x.type] = (inner[x.type] ?? 0) + 1;
  });
  return { outer, inner, batches };
}

const quietRanges = (h: ReturnType<typeof raftHarness>['h']): number =>
  [...h.states.values()].reduce((n, s) => n + [...s.groups.values()].filter((g) => g.quiesced).length, 0);

describe('raft: quiescent ranges', () => {
  it('an idle range goes quiet on every replica and then sends nothing but one liveness message per node pair', () => {
    const { h } = raftHarness({ quiesce: true, ranges: 50 });
    for (let r = 0; r < 50; r++) awaitLeader(h, undefined, 20_000_000, r);
    run(h, 1_000_000);
    expect(quietRanges(h)).toBe(150);
    const sent = sentDuring(h, 2_000_000);
    // 3 nodes × 2 peers × one per 100 ms heartbeat for 2 s; no per-range message at all
    expect(sent).toEqual({ liveness: 120 });
    expect(h.invariants).toEqual([]);
  });

  it('must not quiesce without the setting: every range keeps heartbeating', () => {
    const { h } = raftHarness({ ranges: 50 });
    for (let r = 0; r < 50; r++) awaitLeader(h, undefined, 20_000_000, r);
    run(h, 1_000_000);
    expect(quietRanges(h)).toBe(0);
    const sent = sentDuring(h, 2_000_000);
    expect(sent.liveness).toBeUndefined();
    expect(sent.app).toBe(50 * 2 * 20);
  });

  it('coalesces: what one step sends to one peer node travels as one message (50 ranges start up in few messages)', () => {
    const { h } = raftHarness({ quiesce: true, ranges: 50 });
    const c = carried(h, 3_000_000);
    expect(c.batches).toBeGreaterThan(0);
    expect(c.inner['batch']).toBeUndefined(); // never nested
    // every range elected and replicated its no-op (votes, appends and their answers)...
    expect(c.inner['vote']).toBeGreaterThanOrEqual(50 * 2);
    expect(c.inner['app']).toBeGreaterThanOrEqual(50 * 2);
    // ...in several times fewer messages than the ranges sent (uncoalesced: outer = inner);
    // liveness (one per node pair and heartbeat, never batched when alone) left out of both
    const live = c.inner['liveness'] ?? 0;
    const inner = Object.values(c.inner).reduce((a, b) => a + b, 0) - live;
    expect((c.outer - live) * 3).toBeLessThan(inner);
    expect(leaders(h, 49)).toHaveLength(1);
    expect(h.invariants).toEqual([]);
  });

  it('must not coalesce without quiescence: one network message per range message', () => {
    const { h } = raftHarness({ quiesce: false, ranges: 50 });
    const c = carried(h, 3_000_000);
    expect(c.batches).toBe(0);
    expect(c.outer).toBe(Object.values(c.inner).reduce((a, b) => a + b, 0));
  });

  it('a quiet range whose leader node crashes elects a new leader among the others', () => {
    const { h } = raftHarness({ quiesce: true });
    const leader = awaitLeader(h);
    run(h, 1_000_000);
    expect(quietRanges(h)).toBe(3);
    const term = group(h, leader).term;
    h.crash(leader);
    // no liveness from the crashed node: within an election timeout or two its followers elect
    run(h, 4_000_000);
    const now = leaders(h);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(leader);
    expect(group(h, now[0]!).term).toBeGreaterThan(term);
    expect(h.invariants).toEqual([]);
  });

  it('must not elect while a quiet leader node is alive: a live leader keeps its quiet ranges for good', () => {
    const { h } = raftHarness({ quiesce: true });
    const leader = awaitLeader(h);
    run(h, 1_000_000);
    const term = group(h, leader).term;
    run(h, 10_000_000);
    expect(leaders(h)).toEqual([leader]);
    expect(group(h, leader).term).toBe(term);
    expect(quietRanges(h)).toBe(3);
  });

  it('a write wakes a quiet range, commits on every replica, and the range goes quiet again', () => {
    const { h } = raftHarness({ quiesce: true });
    const leader = awaitLeader(h);
    run(h, 1_000_000);
    expect(group(h, leader).quiesced).toBe(true);
    h.request(leader, { op: 1, f: 'write', key: 'k', value: 7 });
    run(h, 50_000);
    expect(h.replies.map((r) => r.result)).toEqual([{ type: 'ok', value: 7 }]);
    run(h, 1_000_000);
    expect(quietRanges(h)).toBe(3);
    // quiet only once every follower knows the commit (the round that carried it was acked)
    for (const n of h.states.keys()) expect(group(h, n).commit).toBe(group(h, leader).commit);
    expect(h.applies.filter((a) => a.key === 'k').map((a) => a.node).sort()).toEqual([...h.states.keys()].sort());
  });

  it('a quiet range whose leader node is cut off elects a new leader among the others', () => {
    const { h } = raftHarness({ quiesce: true });
    const leader = awaitLeader(h);
    run(h, 1_000_000);
    expect(quietRanges(h)).toBe(3);
    const term = group(h, leader).term;
    // the followers hear no liveness from the leader's node: after an election timeout they wake and elect
    run(h, 4_000_000, isolate(leader));
    const others = leaders(h).filter((n) => n !== leader);
    expect(others).toHaveLength(1);
    expect(group(h, others[0]!).term).toBeGreaterThan(term);
    // the old leader learns the new term when the cut heals; one leader, no broken invariant
    run(h, 3_000_000);
    expect(leaders(h)).toEqual(others);
    expect(h.invariants).toEqual([]);
  });

  it('a crashed follower that restarts wakes its quiet ranges and catches up without a new election', () => {
    const { h } = raftHarness({ quiesce: true });
    const leader = awaitLeader(h);
    run(h, 1_000_000);
    const follower = [...h.states.keys()].find((n) => n !== leader)!;
    const term = group(h, leader).term;
    h.crash(follower);
    h.request(leader, { op: 1, f: 'write', key: 'k', value: 1 });
    run(h, 1_000_000);
    h.restart(follower);
    run(h, 3_000_000);
    expect(leaders(h)).toEqual([leader]);
    expect(group(h, leader).term).toBe(term);
    expect(group(h, follower).commit).toBe(group(h, leader).commit);
    expect(h.invariants).toEqual([]);
  });
});
