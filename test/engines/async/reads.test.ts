// read_from: quorum and leader on the async engine, driven message by message.
import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../../src/engines/async/ownership.js';
import { READ_GIVE_UP_US, readQuorum } from '../../../src/engines/async/reads.js';
import type { AsyncMsg } from '../../../src/engines/async/types.js';
import { nodeId } from '../../../src/sim/ids.js';
import type { Pending } from '../harness.js';
import { topologyOf } from '../harness.js';
import { isChanges, NODES3, readAt, readHarness } from './fixtures.js';

const NODES5 = ['us-east/0', 'eu-west/0', 'eu-west/1', 'ap-northeast/0', 'ap-northeast/1'];
const isType = (t: AsyncMsg['type']) => (p: Pending<AsyncMsg>) => p.msg.type === t;
const between = (from: string, to: string) => (p: Pending<AsyncMsg>) => p.from === from && p.to === to;
const both = (a: (p: Pending<AsyncMsg>) => boolean, b: (p: Pending<AsyncMsg>) => boolean) => (p: Pending<AsyncMsg>) => a(p) && b(p);

describe('async read_from: quorum', () => {
  it('a majority is floor(n/2)+1, the coordinator included', () => {
    expect([1, 2, 3, 4, 5].map(readQuorum)).toEqual([1, 2, 2, 3, 3]);
  });

  it('waits for a majority and answers with the merge: a write held by one remote replica is seen when that replica is in the majority', () => {
    const { h } = readHarness('quorum', NODES3);
    h.request('ap-northeast/0', { op: 1, f: 'write', key: 'k', value: 7 });
    h.drop(isChanges); // the write stays at ap-northeast/0 only

    // A local read at us-east/0 would say null. The quorum read asks both peers and waits.
    h.request('us-east/0', { op: 2, f: 'read', key: 'k' });
    expect(h.inFlight.filter(isType('read-req')).map((p) => p.to)).toEqual(['eu-west/0', 'ap-northeast/0']);
    expect(h.replies.filter((r) => r.op === 2)).toEqual([]);
    h.deliverAll(isType('read-req'));
    h.deliver(both(isType('read-rep'), between('ap-northeast/0', 'us-east/0')));
    expect(h.replies.filter((r) => r.op === 2).map((r) => r.result)).toEqual([{ type: 'ok', value: 7 }]);

    // A quorum of {us-east, eu-west} holds no copy of the write: this read is stale. Not linearizable.
    h.drop(() => true);
    h.request('us-east/0', { op: 3, f: 'read', key: 'k' });
    h.deliverAll(isType('read-req'));
    h.deliver(both(isType('read-rep'), between('eu-west/0', 'us-east/0')));
    expect(h.replies.filter((r) => r.op === 3).map((r) => r.result)).toEqual([{ type: 'ok', value: null }]);
  });

  it('merges under the conflict rule and never touches the live store (no read repair)', () => {
    const { h } = readHarness('quorum', NODES3, { conflict: 'crdt' }, 'counter');
    h.request('eu-west/0', { op: 1, f: 'add', key: 'c', value: 5 });
    h.request('ap-northeast/0', { op: 2, f: 'add', key: 'c', value: 3 });
    h.drop(isChanges);
    h.request('us-east/0', { op: 3, f: 'read', key: 'c' });
    h.deliverAll();
    // The first reply completes the majority; the second is late and ignored: 5, not 8.
    expect(h.replies.filter((r) => r.op === 3).map((r) => r.result)).toEqual([{ type: 'ok', value: 5 }]);
    expect(h.states.get(nodeId('us-east/0'))!.store.has('c')).toBe(false);
    expect(h.applies.filter((a) => a.node === 'us-east/0')).toEqual([]);
    expect(h.states.get(nodeId('us-east/0'))!.pendingReads.size).toBe(0);
  });

  it('ignores duplicate and late replies: one peer answering twice is not a majority of five', () => {
    const { h } = readHarness('quorum', NODES5);
    h.request('eu-west/1', { op: 1, f: 'write', key: 'k', value: 4 });
    h.drop(isChanges);
    h.request('us-east/0', { op: 2, f: 'read', key: 'k' });
    h.deliverAll(isType('read-req'));
    const rep = h.inFlight.find(both(isType('read-rep'), between('eu-west/1', 'us-east/0')))!;
    h.inFlight.push({ ...rep }); // the network duplicates it
    h.deliverAll(between('eu-west/1', 'us-east/0'));
    expect(h.replies.filter((r) => r.op === 2)).toEqual([]);
    h.deliver(between('eu-west/0', 'us-east/0'));
    expect(h.replies.filter((r) => r.op === 2).map((r) => r.result)).toEqual([{ type: 'ok', value: 4 }]);
    h.deliverAll();
    expect(h.replies.filter((r) => r.op === 2)).toHaveLength(1);
  });

  it('a partitioned minority cannot complete a quorum read; the majority side can', () => {
    const { h, engine } = readHarness('quorum', NODES5);
    const cut = (p: Pending<AsyncMsg>) => (p.from === 'us-east/0') !== (p.to === 'us-east/0');
    h.request('us-east/0', { op: 1, f: 'read', key: 'k' });
    h.request('eu-west/0', { op: 2, f: 'read', key: 'k' });
    for (let i = 0; i < 4; i++) {
      h.drop(cut);
      h.deliverAll();
    }
    expect(h.replies.map((r) => r.op)).toEqual([2]);
    expect(h.states.get(nodeId('us-east/0'))!.pendingReads.size).toBe(1);
    // The coordinator forgets the read after READ_GIVE_UP_US; it is never answered.
    h.advance(READ_GIVE_UP_US + 1);
    const s = h.states.get(nodeId('us-east/0'))!;
    expect(s.pendingReads.size).toBe(0);
    expect(h.replies.map((r) => r.op)).toEqual([2]);
    expect(engine.metrics!(s)).toMatchObject({ quorum_reads: 1, quorum_reads_abandoned: 1, quorum_reads_pending: 0 });
  });

  it('read ids survive a restart, so a reply to a read from before a crash cannot complete a new one', () => {
    const { h } = readHarness('quorum', NODES3);
    h.request('us-east/0', { op: 1, f: 'read', key: 'k' });
    h.deliverAll(isType('read-req'));
    const before = h.inFlight.filter(isType('read-rep'));
    h.crash('us-east/0');
    h.restart('us-east/0');
    h.inFlight.push(...before); // late replies reach the restarted node
    h.request('us-east/0', { op: 2, f: 'read', key: 'k' });
    h.deliverAll(isType('read-rep'));
    expect(h.replies).toEqual([]);
    h.deliverAll();
    expect(h.replies.map((r) => r.op)).toEqual([2]);
  });

  it('without read_from every read stays local: no message is sent', () => {
    const { h } = readHarness('local', NODES3);
    h.request('us-east/0', { op: 1, f: 'read', key: 'k' });
    expect(h.inFlight).toEqual([]);
    expect(h.replies.map((r) => r.result)).toEqual([{ type: 'ok', value: null }]);
  });
});

describe('async read_from: leader', () => {
  const NODES = ['us-east/0', 'us-east/1', 'eu-west/0', 'eu-west/1'];
  const topo = topologyOf(NODES.map(nodeId));

  it('forwards a read to the key owner (hash rule without ownership) and answers from its replica', () => {
    const { h, engine } = readHarness('leader', NODES);
    const owner = ownerOf('k', {}, topo);
    const other = NODES.find((n) => n !== owner)!;
    h.request(owner, { op: 1, f: 'write', key: 'k', value: 9 });
    h.drop(isChanges); // only the owner has it
    h.request(other, { op: 2, f: 'read', key: 'k' });
    expect(h.inFlight.map((p) => [p.to, p.msg.type])).toEqual([[owner, 'fwd']]);
    h.deliverAll();
    expect(h.replies.filter((r) => r.op === 2).map((r) => [r.node, r.result])).toEqual([[other, { type: 'ok', value: 9 }]]);
    expect(engine.metrics!(h.states.get(nodeId(other))!)).toMatchObject({ reads_forwarded: 1 });
    // The owner answers its own clients at once.
    expect(readAt(h, owner, 'k')).toBe(9);
  });

  it('with ownership: home the owner is the writer, so a read from another region sees the write before replication', () => {
    const homes = { 'eu-': 'eu-west' };
    const { h } = readHarness('leader', NODES, { ownership: 'home', homes });
    h.request('us-east/0', { op: 1, f: 'write', key: 'eu-k', value: 5 });
    h.deliverAll((p) => p.msg.type !== 'changes');
    h.drop(isChanges);
    expect(h.replies.map((r) => r.result)).toEqual([{ type: 'ok', value: 5 }]);
    h.request('us-east/1', { op: 2, f: 'read', key: 'eu-k' });
    h.deliverAll();
    expect(h.replies.filter((r) => r.op === 2).map((r) => r.result)).toEqual([{ type: 'ok', value: 5 }]);
    expect(h.states.get(nodeId('us-east/1'))!.store.has('eu-k')).toBe(false);
  });

  it('a duplicated forwarded read is answered once to the client', () => {
    const { h } = readHarness('leader', NODES);
    const owner = ownerOf('k', {}, topo);
    const other = NODES.find((n) => n !== owner)!;
    h.request(other, { op: 1, f: 'read', key: 'k' });
    h.inFlight.push({ ...h.inFlight[0]! });
    h.deliverAll();
    expect(h.replies.map((r) => [r.op, r.result])).toEqual([[1, { type: 'ok', value: null }]]);
  });
});
