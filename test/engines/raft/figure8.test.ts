/**
 * The Raft paper's Figure 8 (Ongaro & Ousterhout, §5.4.2), played as a message schedule on the
 * real engine through the harness: five servers, elections won only by the server the figure
 * names (the other candidates' vote requests are dropped), crashes and restarts, and one
 * AppendEntries that carries only the older entry. paper.test.ts crafts the state of (c) by
 * hand; here the engine reaches it by itself, so a leader that counts replicas of an earlier
 * term's entry (the bug the figure is about) commits it in (c) and loses it in (d).
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../../src/sim/ids.js';
import type { Msg } from '../../../src/engines/raft/types.js';
import type { Pending } from '../harness.js';
import { group, leaders, logOf, NODES5, raftHarness, type RaftHarness } from './fixtures.js';

const [S1, S2, S3, S4, S5] = NODES5 as [string, string, string, string, string];
type Allow = (p: Pending<Msg>) => boolean;

/** Moves time in 10 ms steps, delivering only what `allow` lets through (after `rewrite`). */
function steer(h: RaftHarness, us: number, allow: Allow, rewrite?: (p: Pending<Msg>) => void): void {
  const end = h.time_us + us;
  while (h.time_us < end) {
    h.advance(Math.min(10_000, end - h.time_us));
    for (let i = 0; i < 1000 && h.inFlight.length > 0; i++) {
      h.drop((p) => h.down.has(p.to) || !allow(p));
      if (rewrite) for (const p of h.inFlight) rewrite(p);
      if (!h.deliver()) break;
    }
  }
}

/** Steers until `node` leads the range (or fails after 30 s of virtual time). */
function electOnly(h: RaftHarness, node: string, voters: string[]): void {
  const allow: Allow = (p) =>
    (p.msg.type === 'vote' && p.from === node && voters.includes(p.to)) ||
    (p.msg.type === 'vote-resp' && p.to === node && voters.includes(p.from));
  for (let t = 0; t < 3000; t++) {
    steer(h, 10_000, allow);
    if (leaders(h).includes(node as NodeId)) return;
  }
  throw new Error(`${node} was not elected`);
}

const among =
  (...nodes: string[]): Allow =>
  (p) =>
    nodes.includes(p.from) && nodes.includes(p.to);

/** (a) and (b): S1 leads term T1 with entry k+1 on S1 and S2 only; S5 leads a later term with its own entry at k+1, on S5 only. */
function figure8ab(): { h: RaftHarness; k: number; t1: number } {
  const { h } = raftHarness({}, { nodes: NODES5, seed: 8 });
  electOnly(h, S1, [S2, S3, S4, S5]);
  steer(h, 500_000, () => true);
  const k = group(h, S1).log.length;
  const t1 = group(h, S1).term;
  expect(group(h, S1).commit).toBe(k);
  // (a) S1 takes op 1 and replicates it to S2 only.
  h.request(S1, { op: 1, f: 'write', key: 'x', value: 1 });
  steer(h, 50_000, among(S1, S2));
  expect(group(h, S2).log[k]?.term).toBe(t1);
  expect(group(h, S1).commit).toBe(k); // two of five: not committed
  h.crash(S1);
  // (b) S5 is elected by S3 and S4 (S2, whose log is longer, is cut off), takes op 2, replicates nothing.
  electOnly(h, S5, [S3, S4]);
  h.request(S5, { op: 2, f: 'write', key: 'x', value: 2 });
  steer(h, 20_000, () => false);
  expect(group(h, S5).log[k]?.term).toBeGreaterThan(t1);
  h.crash(S5);
  return { h, k, t1 };
}

describe('raft: Figure 8 played on the engine', () => {
  it('(c) a leader does not commit an entry of an earlier term that a majority holds; (d) it is then safely overwritten', () => {
    const { h, k, t1 } = figure8ab();
    // (c) S1 restarts and is elected by S2 and S3; it replicates the old entry k+1 to S3 but not
    // its own term's no-op (AppendEntries trimmed to k+1): S1, S2, S3 hold it.
    h.restart(S1);
    electOnly(h, S1, [S2, S3]);
    const t3 = group(h, S1).term;
    expect(group(h, S1).log[k + 1]?.term).toBe(t3); // its no-op
    steer(h, 300_000, among(S1, S2, S3), (p) => {
      if (p.msg.type === 'app') p.msg.entries = p.msg.entries.slice(0, Math.max(0, k + 1 - p.msg.prevIndex));
    });
    for (const n of [S1, S2, S3]) expect(group(h, n).log[k]?.term, n).toBe(t1);
    expect(group(h, S1).commit, 'an earlier-term entry on a majority is not committed by counting').toBe(k);
    expect(h.applies.filter((a) => a.op === 1)).toEqual([]);
    // (d) S1 crashes; S5 (its last entry has a later term than S2's and S3's) is elected by S2, S3, S4
    // and overwrites k+1 everywhere: allowed, because it was never committed.
    h.crash(S1);
    h.restart(S5);
    electOnly(h, S5, [S2, S3, S4]);
    steer(h, 2_000_000, among(S2, S3, S4, S5));
    for (const n of [S2, S3, S4]) expect(group(h, n).log[k]?.term, n).toBe(group(h, S5).log[k]?.term);
    h.restart(S1);
    steer(h, 3_000_000, () => true);
    const logs = NODES5.map((n) => JSON.stringify(logOf(group(h, n))));
    expect(new Set(logs).size).toBe(1);
    expect(group(h, S1).log[k]?.term).not.toBe(t1);
    expect(h.applies.filter((a) => a.op === 1)).toEqual([]); // op 1 never took effect anywhere
    expect(h.invariants).toEqual([]);
  });

  it('(e) once the leader replicates an entry of its own term to a majority, the earlier entry is committed and survives', () => {
    const { h, k, t1 } = figure8ab();
    h.restart(S1);
    electOnly(h, S1, [S2, S3]);
    steer(h, 300_000, among(S1, S2, S3)); // the no-op reaches S2 and S3 too
    expect(group(h, S1).commit).toBeGreaterThanOrEqual(k + 2);
    expect(h.applies.some((a) => a.op === 1 && a.node === S1)).toBe(true);
    h.crash(S1);
    // S5 cannot win now: S2 and S3 hold an entry of a later term than S5's last.
    h.restart(S5);
    steer(h, 5_000_000, (p) => (p.msg.type === 'vote' && p.from === S5) || (p.msg.type === 'vote-resp' && p.to === S5));
    expect(leaders(h)).not.toContain(S5);
    steer(h, 5_000_000, () => true);
    h.restart(S1);
    steer(h, 3_000_000, () => true);
    for (const n of NODES5) expect(group(h, n).log[k]?.term, n).toBe(t1);
    expect(new Set(NODES5.map((n) => JSON.stringify(logOf(group(h, n))))).size).toBe(1);
    expect(h.invariants).toEqual([]);
  });
});
