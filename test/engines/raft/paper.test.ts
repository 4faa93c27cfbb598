/**
 * The Raft paper's properties (Ongaro & Ousterhout, Figure 3 and §5), checked on scripted and
 * seeded-chaotic message schedules through the engine harness. The global views used here
 * (every node's log, role and commit) exist only in tests; the engine checks the same rules
 * locally at run time, and no run here may report an invariant.
 */
import { describe, expect, it } from 'vitest';
import { stream } from '../../../src/sim/rng.js';
import type { NodeId } from '../../../src/sim/ids.js';
import { nextChain } from '../../../src/engines/raft/log.js';
import {
  awaitLeader,
  group,
  isolate,
  leaders,
  logOf,
  NODES3,
  NODES5,
  noCut,
  raftHarness,
  run,
  type Cut,
  type RaftHarness,
} from './fixtures.js';

/** A seeded schedule of partitions, crashes and restarts with client writes, checking `check` after every delivery. */
function chaos(
  h: RaftHarness,
  nodes: string[],
  seed: number,
  steps: number,
  check: () => void,
  each: 'delivery' | 'step' = 'step',
): void {
  const rng = stream(seed, 'raft-chaos');
  let cut: Cut = noCut;
  let op = 1000;
  for (let i = 0; i < steps; i++) {
    const roll = rng.next();
    if (roll < 0.15) {
      cut = isolate(...leaders(h)); // force leader changes
    } else if (roll < 0.3) {
      const k = 1 + rng.int(2);
      const side = [...nodes].sort(() => rng.next() - 0.5).slice(0, k);
      cut = isolate(...side);
    } else if (roll < 0.4) {
      cut = noCut;
    } else if (roll < 0.5) {
      const n = nodes[rng.int(nodes.length)] as string;
      if (h.down.has(n as NodeId)) h.restart(n);
      else if (h.down.size < Math.floor((nodes.length - 1) / 2)) h.crash(n);
    }
    for (let w = 0; w < 3; w++) {
      const n = nodes[rng.int(nodes.length)] as string;
      if (!h.down.has(n as NodeId)) h.request(n, { op: op++, f: 'write', key: `k${rng.int(4)}`, value: op });
    }
    run(h, 100_000 + rng.int(1_900_000), cut, each === 'delivery' ? check : undefined);
    if (each === 'step') check();
  }
  for (const n of nodes) if (h.down.has(n as NodeId)) h.restart(n);
  run(h, 5_000_000, noCut, each === 'delivery' ? check : undefined);
  check();
}

describe('raft: leader election (§5.2)', () => {
  it('elects exactly one leader that every replica follows, in one term', () => {
    const { h } = raftHarness();
    const leader = awaitLeader(h);
    run(h, 500_000);
    expect(leaders(h)).toEqual([leader]);
    const terms = new Set(NODES3.map((n) => group(h, n).term));
    expect(terms.size).toBe(1);
    for (const n of NODES3) expect(group(h, n).lead).toBe(leader);
    expect(h.invariants).toEqual([]);
  });

  it('elects a new leader after the leader is isolated, within a few election timeouts', () => {
    const { h } = raftHarness();
    const old = awaitLeader(h);
    run(h, 1_000_000);
    const cutAt = h.time_us;
    const cut = isolate(old);
    const next = awaitLeader(h, cut);
    const took_us = h.time_us - cutAt;
    expect(next).not.toBe(old);
    // Detection takes [T, 2T) and a pre-vote + vote round; T = 1 s here.
    expect(took_us).toBeGreaterThanOrEqual(1_000_000);
    expect(took_us).toBeLessThan(3_000_000);
    expect(group(h, next).term).toBeGreaterThan(group(h, old).term);
  });
});

describe('raft: election safety (Figure 3: at most one leader per term)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`holds under seeded partitions and crashes (seed ${seed})`, () => {
      const nodes = seed % 2 === 0 ? NODES5 : NODES3;
      const { h } = raftHarness({}, { nodes, seed });
      const leaderOfTerm = new Map<number, NodeId>();
      const check = (): void => {
        for (const [n, s] of h.states) {
          if (h.down.has(n)) continue;
          const g = s.groups.get(0);
          if (g?.role !== 'leader') continue;
          const seen = leaderOfTerm.get(g.term);
          expect(seen === undefined || seen === n, `term ${g.term}: ${seen} and ${n}`).toBe(true);
          leaderOfTerm.set(g.term, n);
        }
      };
      chaos(h, nodes, seed, 40, check, 'delivery');
      expect(leaderOfTerm.size).toBeGreaterThan(1);
      expect(h.invariants).toEqual([]);
    });
  }
});

describe('raft: log matching (§5.3)', () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`two logs with an entry of equal index and term are identical up to it (seed ${seed})`, () => {
      const nodes = seed % 2 === 0 ? NODES5 : NODES3;
      const { h } = raftHarness({}, { nodes, seed });
      let compared = 0;
      const check = (): void => {
        const logs = nodes.filter((n) => !h.down.has(n as NodeId)).map((n) => group(h, n).log);
        for (let a = 0; a < logs.length; a++) {
          for (let b = a + 1; b < logs.length; b++) {
            const la = logs[a]!;
            const lb = logs[b]!;
            for (let i = Math.min(la.length, lb.length); i >= 1; i--) {
              if (la[i - 1]!.term !== lb[i - 1]!.term) continue;
              // the highest agreeing (index, term): everything before must be equal
              expect(la.slice(0, i).map((e) => [e.term, e.op?.op])).toEqual(lb.slice(0, i).map((e) => [e.term, e.op?.op]));
              compared++;
              break;
            }
          }
        }
      };
      chaos(h, nodes, seed, 25, check);
      expect(compared).toBeGreaterThan(0);
      expect(h.invariants).toEqual([]);
    });
  }

  it('a follower with a diverging suffix is repaired with fast back-off (one round per conflicting term)', () => {
    const { h } = raftHarness();
    const first = awaitLeader(h);
    run(h, 300_000);
    // The leader takes writes it can no longer replicate: its suffix will conflict.
    const cut = isolate(first);
    for (let i = 0; i < 30; i++) h.request(first, { op: i + 1, f: 'write', key: 'k', value: i + 1 });
    const second = awaitLeader(h, cut);
    for (let i = 0; i < 30; i++) h.request(second, { op: 100 + i, f: 'write', key: 'k', value: 100 + i });
    run(h, 500_000, cut);
    const before = h.trace.length;
    run(h, 3_000_000); // heal
    const rejects = h.trace
      .slice(before)
      .filter((t) => t.effect.type === 'send' && t.effect.msg.type === 'app-resp' && t.effect.msg.reject && t.node === first);
    expect(logOf(group(h, first))).toEqual(logOf(group(h, second)));
    expect(rejects.length).toBeGreaterThan(0);
    expect(rejects.length).toBeLessThanOrEqual(3); // not one per entry (30)
    expect(h.invariants).toEqual([]);
  });
});

describe('raft: leader completeness (§5.4)', () => {
  for (const seed of [21, 22, 23, 24]) {
    it(`every leader holds every entry committed in an earlier term (seed ${seed})`, () => {
      const nodes = seed % 2 === 0 ? NODES5 : NODES3;
      const { h } = raftHarness({}, { nodes, seed });
      // index → the committed entry and the term in which it was seen committed
      const committed = new Map<number, { term: number; op: number | null; seenInTerm: number }>();
      let checked = 0;
      const seenCommit = new Map<string, number>();
      const check = (): void => {
        for (const n of nodes) {
          if (h.down.has(n as NodeId)) continue;
          const g = group(h, n);
          // entries up to an earlier observed commit were compared then (they may not change)
          const from = Math.min(seenCommit.get(n) ?? 0, g.commit);
          seenCommit.set(n, g.commit);
          for (let i = Math.max(1, from - 2); i <= g.commit; i++) {
            const e = g.log[i - 1]!;
            const c = committed.get(i);
            if (!c) committed.set(i, { term: e.term, op: e.op?.op ?? null, seenInTerm: g.term });
            else expect([e.term, e.op?.op ?? null]).toEqual([c.term, c.op]);
          }
        }
        for (const l of leaders(h)) {
          const g = group(h, l);
          for (const [i, c] of committed) {
            if (g.term <= c.seenInTerm) continue;
            const e = g.log[i - 1];
            expect(e && [e.term, e.op?.op ?? null], `leader ${l} term ${g.term} lacks committed ${i}`).toEqual([c.term, c.op]);
            checked++;
          }
        }
      };
      chaos(h, nodes, seed, 25, check);
      expect(committed.size).toBeGreaterThan(5);
      expect(checked).toBeGreaterThan(0);
      expect(h.invariants).toEqual([]);
    });
  }

  it('Figure 8: a leader does not commit an entry of an earlier term by counting replicas', () => {
    const { h } = raftHarness({}, { nodes: NODES5 });
    const l = awaitLeader(h);
    run(h, 500_000);
    const g = group(h, l);
    const followers = NODES5.filter((n) => n !== l);
    // Stop the world's timers from interfering: craft the state of Figure 8 (c) by hand.
    // The log gets an entry of an older term at commit+1 and the current term's entry after it.
    const base = g.commit;
    const oldTerm = g.term;
    g.term = oldTerm + 2;
    const op = { op: 777, f: 'write' as const, key: 'k', value: 1 };
    g.log.length = base;
    g.log.push({ term: oldTerm, op, chain: nextChain(g.log[base - 1]?.chain ?? 0, base + 1, oldTerm, op) });
    g.log.push({ term: g.term, op: null, chain: nextChain(g.log[base]!.chain, base + 2, g.term, null) });
    for (const f of followers) group(h, f).term = g.term;
    // Two followers acknowledge the older entry: a majority (3 of 5) holds it...
    for (const f of followers.slice(0, 2)) {
      h.inFlight.push({
        from: f as NodeId,
        to: l,
        msg: { type: 'app-resp', range: 0, term: g.term, index: base, reject: false, hintIndex: base + 1, hintTerm: 0, seq: 0 },
      });
    }
    h.deliverAll((p) => p.msg.type === 'app-resp');
    expect(g.commit).toBe(base); // ...but it is not committed: its term is not the leader's
    // Once the current term's entry is on a majority, both commit.
    for (const f of followers.slice(0, 2)) {
      h.inFlight.push({
        from: f as NodeId,
        to: l,
        msg: { type: 'app-resp', range: 0, term: g.term, index: base + 1, reject: false, hintIndex: base + 2, hintTerm: 0, seq: 0 },
      });
    }
    h.deliverAll((p) => p.msg.type === 'app-resp');
    expect(g.commit).toBe(base + 2);
  });
});

describe('raft: state machine safety (§5.4.3)', () => {
  for (const seed of [31, 32, 33]) {
    it(`replicas apply the same entry at every index (seed ${seed})`, () => {
      const nodes = seed % 2 === 0 ? NODES5 : NODES3;
      const { h } = raftHarness({}, { nodes, seed });
      const applied = new Map<number, string>();
      const check = (): void => {
        for (const n of nodes) {
          if (h.down.has(n as NodeId)) continue;
          const g = group(h, n);
          for (let i = 1; i <= g.applied; i++) {
            const e = g.log[i - 1]!;
            const id = `${e.term}:${e.op?.op ?? '-'}`;
            const seen = applied.get(i);
            if (seen === undefined) applied.set(i, id);
            else expect(id, `index ${i} on ${n}`).toBe(seen);
          }
        }
      };
      chaos(h, nodes, seed, 25, check);
      // After healing, every replica holds the same values.
      const finals = nodes.map((n) => JSON.stringify([...group(h, n).machine.values].sort()));
      expect(new Set(finals).size).toBe(1);
      // The apply records agree too: per key, each replica applied a prefix of one op sequence.
      const byNodeKey = new Map<string, number[]>();
      for (const a of h.applies) {
        const k = `${a.node} ${a.key}`;
        byNodeKey.set(k, [...(byNodeKey.get(k) ?? []), a.op as number]);
      }
      expect(applied.size).toBeGreaterThan(5);
      expect(h.invariants).toEqual([]);
    });
  }
});
