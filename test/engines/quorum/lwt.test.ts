/**
 * Lightweight transactions (src/engines/quorum/lwt.ts) in the network-less harness: the test
 * decides which Paxos message arrives when, so the classic races are replayed exactly:
 * duelling proposers, a coordinator that dies between accept and commit, a partition, a
 * coordinator whose clock is behind, and LOCAL_SERIAL across regions.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, topologyOf, type Harness, type Pending } from '../harness.js';
import { createQuorumEngine } from '../../../src/engines/quorum/engine.js';
import { paxosRowOf } from '../../../src/engines/quorum/lwt.js';
import { nodeId } from '../../../src/sim/ids.js';
import { quorumSpec } from './fixtures.js';
import type { QuorumEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import type { QuorumMsg, QuorumState } from '../../../src/engines/quorum/types.js';

type H = Harness<QuorumState, QuorumMsg>;

const spec = (over: Partial<QuorumEngineSpec> = {}, replication: Record<string, number> = { a: 3 }): QuorumEngineSpec =>
  quorumSpec({ vnodes: 4, max_hints: 1000, replication, ...over });

function harness(opts: { nodes?: string[]; spec?: QuorumEngineSpec; model?: WorkloadModel; clocks?: Record<string, number> } = {}): H {
  const nodes = opts.nodes ?? ['a/0', 'a/1', 'a/2'];
  const engine = createQuorumEngine({ spec: opts.spec ?? spec(), model: opts.model ?? 'register', topology: topologyOf(nodes.map(nodeId)) });
  const h = createHarness(engine, { nodes, seed: 1, ...(opts.clocks ? { clockOffset_us: opts.clocks } : {}) });
  h.drop(isGossip);
  return h;
}

const isGossip = (p: Pending<QuorumMsg>) => p.msg.type === 'gossip';
const lwtKind = (p: Pending<QuorumMsg>) => (p.msg.type === 'lwt' ? p.msg.m.kind : undefined);
const from = (node: string) => (p: Pending<QuorumMsg>) => p.from === node && p.msg.type === 'lwt';
const kind = (k: string) => (p: Pending<QuorumMsg>) => lwtKind(p) === k;

/** Delivers every LWT message, firing backoff timers, until nothing moves (bounded). */
function settle(h: H, rounds = 50): void {
  for (let i = 0; i < rounds; i++) {
    h.drop(isGossip);
    const n = h.deliverAll((p) => p.msg.type !== 'gossip');
    if (n === 0 && h.inFlight.length === 0) {
      h.advance(200_000); // backoffs are at most 100 ms
      h.drop(isGossip);
      if (h.inFlight.length === 0) return;
    }
  }
}

const replyOf = (h: H, op: number) => h.replies.find((r) => r.op === op)?.result;
const valuesAt = (h: H, key: string) =>
  ['a/0', 'a/1', 'a/2'].map((n) => {
    const last = h.applies.filter((x) => x.node === n && x.key === key).at(-1);
    return last?.value;
  });

describe('LWT: one proposer', () => {
  it('cas on the initial value: prepare, read, propose, commit, then ok; every replica applies it', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 5] });
    const kinds: string[] = [];
    for (;;) {
      const p = h.deliver((x) => x.msg.type === 'lwt');
      if (!p) break;
      kinds.push(lwtKind(p) as string);
    }
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: [null, 5] });
    // the four round trips, in order (each kind sent to the two other replicas)
    const firsts = kinds.filter((k, i) => kinds.indexOf(k) === i);
    expect(firsts).toEqual(['prepare', 'promise', 'read', 'read-reply', 'propose', 'accept', 'commit', 'commit-ack']);
    expect(valuesAt(h, 'k')).toEqual([5, 5, 5]);
    const row = paxosRowOf(h.states.get(nodeId('a/2'))!, 'k')!;
    expect(row.accepted).toBeUndefined(); // cleared by the commit
    expect(row.committed?.cells[0]?.[1].v).toBe(5);
  });

  it('a failed condition answers cas-mismatch at once and proposes nothing', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [3, 5] });
    settle(h);
    expect(replyOf(h, 1)).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(h.trace.some((t) => t.effect.type === 'send' && (t.effect.msg as QuorumMsg).type === 'lwt' && ((t.effect.msg as { m?: { kind: string } }).m?.kind === 'propose'))).toBe(false);
    expect(h.applies).toEqual([]);
  });

  it('inventory reservations go through Paxos and see each other (no oversell)', () => {
    const h = harness({ model: 'inventory' });
    h.request('a/0', { op: 1, f: 'reserve', key: 'sku', value: { qty: 60 } });
    h.request('a/1', { op: 2, f: 'reserve', key: 'sku', value: { qty: 60 } });
    settle(h);
    const results = [replyOf(h, 1), replyOf(h, 2)];
    const oks = results.filter((r) => r?.type === 'ok');
    expect(oks).toHaveLength(1); // the initial stock is 100: only one 60 fits
    expect(results.filter((r) => r?.type === 'fail' && r.error === 'out-of-stock')).toHaveLength(1);
    expect(new Set(valuesAt(h, 'sku'))).toEqual(new Set([40]));
  });
});

describe('LWT: races', () => {
  it('duelling proposers: the higher ballot wins, the other is refused, retries, and sees the winner', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 'x'] }); // ballot (t, 0), promised by a/0
    h.request('a/1', { op: 2, f: 'cas', key: 'k', value: [null, 'y'] }); // ballot (t, 1), promised by a/1
    // a/1's prepare overtakes a/0's everywhere: a/0 promised to a/1, a/1 refuses a/0
    h.deliverAll((p) => from('a/1')(p) && kind('prepare')(p));
    h.deliverAll((p) => from('a/0')(p) && kind('prepare')(p));
    settle(h);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: [null, 'y'] });
    // a/0 got its quorum of promises only before a/1's ballot reached it, so its proposal was
    // refused; its retry reads 'y' and its condition (null) fails: definitely not applied
    expect(replyOf(h, 1)).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(valuesAt(h, 'k')).toEqual(['y', 'y', 'y']);
    const m = createQuorumEngine({ spec: spec(), model: 'register', topology: topologyOf(['a/0'].map(nodeId)) });
    expect(m.metrics!(h.states.get(nodeId('a/0'))!).lwt_contention).toBeGreaterThanOrEqual(1);
  });

  it('a coordinator that dies between accept and commit is completed by the next proposer', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 7] });
    // run until a/0 has its accept quorum; the commit messages it then sends are lost with it
    while (!h.inFlight.some(kind('commit'))) if (!h.deliver((p) => p.msg.type === 'lwt')) break;
    expect(h.inFlight.some(kind('commit'))).toBe(true);
    h.drop(kind('commit'));
    h.crash('a/0');
    expect(replyOf(h, 1)).toBeUndefined(); // the client never hears: info
    expect(valuesAt(h, 'k').slice(1)).toEqual([undefined, undefined]); // accepted, not committed
    h.request('a/1', { op: 2, f: 'cas', key: 'k', value: [null, 9] });
    settle(h);
    // a/1 found 7 accepted and newer than any commit: it finished it, then its own condition failed
    expect(replyOf(h, 2)).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(valuesAt(h, 'k').slice(1)).toEqual([7, 7]);
    h.request('a/2', { op: 3, f: 'cas', key: 'k', value: [7, 8] });
    settle(h);
    expect(replyOf(h, 3)).toEqual({ type: 'ok', value: [7, 8] });
  });

  it('a restarted acceptor keeps its promises (durable): an old ballot is still refused', () => {
    const h = harness();
    h.request('a/1', { op: 1, f: 'cas', key: 'k', value: [null, 1] });
    settle(h);
    const before = paxosRowOf(h.states.get(nodeId('a/2'))!, 'k')!.promised;
    h.crash('a/2');
    h.restart('a/2');
    h.drop(isGossip);
    expect(paxosRowOf(h.states.get(nodeId('a/2'))!, 'k')!.promised).toEqual(before);
  });

  it('a coordinator whose clock is far behind gets refused, then picks a ballot above the one it saw', () => {
    const h = harness({ clocks: { 'a/0': -10_000_000 } });
    h.advance(1_000_000);
    h.request('a/1', { op: 1, f: 'cas', key: 'k', value: [null, 1] });
    settle(h);
    h.request('a/0', { op: 2, f: 'cas', key: 'k', value: [1, 2] });
    settle(h);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: [1, 2] });
    expect(valuesAt(h, 'k')).toEqual([2, 2, 2]);
    // the winning cell is newer than the first by LWW too: its timestamp is above the first ballot
    const r = paxosRowOf(h.states.get(nodeId('a/2'))!, 'k')!;
    expect(r.committed!.b.t).toBeGreaterThan(1_000_000);
  });
});

describe('LWT: commits reach every replica', () => {
  it('a replica that missed the commit gets a hint at the write timeout', () => {
    const { engine, h } = { engine: createQuorumEngine({ spec: spec(), model: 'register', topology: topologyOf(['a/0', 'a/1', 'a/2'].map(nodeId)) }), h: harness() };
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 4] });
    for (let i = 0; i < 10; i++) {
      h.deliverAll((p) => p.msg.type === 'lwt' && !(kind('commit')(p) && p.to === 'a/2'));
      h.drop((p) => kind('commit')(p) && p.to === 'a/2');
      h.drop(isGossip);
    }
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: [null, 4] });
    expect(valuesAt(h, 'k')).toEqual([4, 4, undefined]);
    h.advance(2_100_000);
    expect(engine.metrics!(h.states.get(nodeId('a/0'))!).hints_stored).toBe(1);
  });

  it('a prepare that finds a replica behind on commits sends it the newest one', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 4] });
    for (let i = 0; i < 10; i++) {
      h.deliverAll((p) => p.msg.type === 'lwt' && !(kind('commit')(p) && p.to === 'a/2'));
      h.drop((p) => kind('commit')(p) && p.to === 'a/2');
      h.drop(isGossip);
    }
    expect(valuesAt(h, 'k')[2]).toBeUndefined();
    h.request('a/1', { op: 2, f: 'cas', key: 'k', value: [4, 5] });
    settle(h);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: [4, 5] });
    // a/2 got 4 from a/1's prepare, then 5 from its commit
    expect(h.applies.filter((x) => x.node === 'a/2' && x.key === 'k').map((x) => x.value)).toEqual([4, 5]);
  });
});

describe('LWT: partitions', () => {
  it('a majority side commits; a minority coordinator gives up with lwt-timeout (nothing proposed)', () => {
    const h = harness();
    const cut = (p: Pending<QuorumMsg>) => p.from === 'a/2' || p.to === 'a/2';
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 1] });
    for (let i = 0; i < 20; i++) {
      h.drop(cut);
      h.drop(isGossip);
      h.deliverAll((p) => p.msg.type === 'lwt' && !cut(p));
    }
    expect(replyOf(h, 1)).toEqual({ type: 'ok', value: [null, 1] });
    h.request('a/2', { op: 2, f: 'cas', key: 'k', value: [null, 2] });
    h.drop(cut);
    h.advance(2_500_000);
    expect(replyOf(h, 2)).toEqual({ type: 'fail', error: 'lwt-timeout' });
  });

  it('cut off after its proposal was sent, a coordinator does not claim failure (unknown outcome)', () => {
    const h = harness();
    h.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 1] });
    while (!h.inFlight.some(kind('propose'))) if (!h.deliver((p) => p.msg.type === 'lwt')) break;
    h.drop((p) => p.from === 'a/0' || p.to === 'a/0');
    h.advance(2_500_000);
    expect(replyOf(h, 1)).toBeUndefined();
  });

  it('LOCAL_SERIAL keeps Paxos inside the region: two regions both win the same condition', () => {
    const nodes = ['a/0', 'a/1', 'a/2', 'b/0', 'b/1', 'b/2'];
    const local = harness({ nodes, spec: spec({ serial_consistency: 'LOCAL_SERIAL' }, { a: 3, b: 3 }) });
    local.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 'a'] });
    local.request('b/0', { op: 2, f: 'cas', key: 'k', value: [null, 'b'] });
    // only messages inside a region first: each region decides alone
    const inside = (p: Pending<QuorumMsg>) => p.msg.type === 'lwt' && p.from[0] === p.to[0];
    for (let i = 0; i < 10; i++) local.deliverAll(inside);
    expect([replyOf(local, 1)?.type, replyOf(local, 2)?.type]).toEqual(['ok', 'ok']);
    // the same race under SERIAL: one of them must lose
    const serial = harness({ nodes, spec: spec({}, { a: 3, b: 3 }) });
    serial.request('a/0', { op: 1, f: 'cas', key: 'k', value: [null, 'a'] });
    serial.request('b/0', { op: 2, f: 'cas', key: 'k', value: [null, 'b'] });
    settle(serial);
    const r = [replyOf(serial, 1), replyOf(serial, 2)];
    expect(r.filter((x) => x?.type === 'ok')).toHaveLength(1);
  });
});
