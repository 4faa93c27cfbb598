import { describe, expect, it } from 'vitest';
import { copiesOf } from '../../../src/engines/async/ledger.js';
import { unacked } from '../../../src/engines/async/queue.js';
import { asyncHarness, isAck, isChanges, NODES3, readAt } from './fixtures.js';
import { lwwRule } from '../../../src/engines/async/rules/lww.js';
import type { Env } from '../../../src/engines/async/rule.js';
import type { ClientRequest } from '../../../src/engines/engine.js';
import type { OpFn, Value } from '../../../src/history/types.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';
import { nodeId, opId } from '../../../src/sim/ids.js';

describe('async lww/physical: interaction', () => {
  it('acknowledges a write at once, ships it to every other node, and the acks empty the queue', () => {
    const { h, engine } = asyncHarness();
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 300 });
    expect(h.replies).toEqual([{ node: 'us-east/0', op: 1, result: { type: 'ok', value: 300 }, t: 0 }]);
    expect(h.applies.map((a) => [a.node, a.value])).toEqual([['us-east/0', 300]]);
    expect(h.inFlight.filter(isChanges).map((p) => p.to)).toEqual(['eu-west/0', 'ap-northeast/0']);
    expect(engine.metrics!(h.states.get('us-east/0' as never)!)['max_queue_depth_to_eu-west']).toBe(1);
    h.deliverAll(isChanges);
    expect(h.applies.map((a) => [a.node, a.value, a.op])).toEqual([
      ['us-east/0', 300, 1],
      ['eu-west/0', 300, 1],
      ['ap-northeast/0', 300, 1],
    ]);
    expect(h.inFlight.filter(isAck).map((p) => [p.from, p.to, p.msg])).toEqual([
      ['eu-west/0', 'us-east/0', { type: 'ack', upto: 1 }],
      ['ap-northeast/0', 'us-east/0', { type: 'ack', upto: 1 }],
    ]);
    h.deliverAll();
    const s = h.states.get('us-east/0' as never)!;
    expect([...s.out.values()].map((q) => q.acked)).toEqual([1, 1]);
    expect(s.pendingChanges).toBe(0);
    for (const n of NODES3) expect(readAt(h, n, 'k')).toBe(300);
  });

  it('keeps the write with the newer timestamp whatever the arrival order', () => {
    for (const order of ['old-first', 'new-first'] as const) {
      // ap-northeast's clock is 5 s behind: its write at true time 2 s is stamped -3 s.
      const { h } = asyncHarness({}, 'register', { clockOffset_us: { 'ap-northeast/0': -5_000_000 } });
      h.advance(1_000_000);
      h.request('us-east/0', { op: 1, f: 'write', key: 'balance', value: 300 });
      h.advance(1_000_000);
      h.request('ap-northeast/0', { op: 2, f: 'write', key: 'balance', value: 500 });
      const first = order === 'old-first' ? 'ap-northeast/0' : 'us-east/0';
      h.deliverAll((p) => isChanges(p) && p.from === first);
      h.deliverAll();
      for (const n of NODES3) expect(readAt(h, n, 'balance')).toBe(300);
    }
  });

  it('breaks equal timestamps by topology order: the later node in the order wins', () => {
    const { h } = asyncHarness();
    h.request('ap-northeast/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.request('us-east/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.deliverAll();
    // Both stamped at clock 0; ap-northeast/0 is last in topology order.
    for (const n of NODES3) expect(readAt(h, n, 'k')).toBe(1);
  });

  it('retries a lost batch after the retry timeout and delivers it', () => {
    const { h } = asyncHarness();
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 7 });
    expect(h.drop((p) => isChanges(p) && p.to === 'eu-west/0')).toBe(1);
    h.deliverAll();
    expect(h.inFlight).toEqual([]);
    // Retry timeout for a 50 ms one-way link is 4 * 50 + 5 = 205 ms.
    h.advance(204_000);
    expect(h.inFlight).toEqual([]);
    h.advance(1_000);
    expect(h.inFlight.map((p) => [p.from, p.to, p.msg.type])).toEqual([['us-east/0', 'eu-west/0', 'changes']]);
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'k')).toBe(7);
    // Acked: no more resends.
    const sent = h.trace.filter((t) => t.effect.type === 'send').length;
    h.advance(10_000_000);
    expect(h.trace.filter((t) => t.effect.type === 'send').length).toBe(sent);
  });

  it('backs off while the destination stays unreachable, doubling the timeout', () => {
    const { h } = asyncHarness();
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 7 });
    const resendTimes: number[] = [];
    for (let i = 0; i < 40; i++) {
      h.drop((p) => p.to === 'eu-west/0' && (resendTimes.push(h.time_us), true));
      h.deliverAll();
      h.advance(100_000);
    }
    // First send at 0, then 205 ms, then gaps 410, 820, 1640, 2000 (cap) ms: times checked at 100 ms ticks.
    expect(resendTimes.slice(0, 5)).toEqual([0, 300_000, 700_000, 1_500_000, 3_100_000]);
  });

  it('applies a duplicated batch once and acknowledges it again', () => {
    const { h } = asyncHarness();
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 7 });
    const p = h.inFlight.find((x) => x.to === 'eu-west/0')!;
    h.inFlight.push({ ...p });
    h.deliverAll((x) => x.to === 'eu-west/0');
    expect(h.applies.filter((a) => a.node === 'eu-west/0')).toHaveLength(1);
    expect(h.inFlight.filter((x) => x.to === 'us-east/0').map((x) => x.msg)).toEqual([
      { type: 'ack', upto: 1 },
      { type: 'ack', upto: 1 },
    ]);
  });

  it('loses changes still queued when the node crashes with a volatile queue; anti-entropy repairs them', () => {
    const { h, engine } = asyncHarness({ flush_interval_us: 10_000 as never });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 7 });
    expect(h.inFlight).toEqual([]); // waiting for the flush
    h.crash('us-east/0');
    h.restart('us-east/0');
    expect(readAt(h, 'us-east/0', 'k')).toBe(7); // the store is durable
    expect(readAt(h, 'eu-west/0', 'k')).toBe(null); // the queue was not
    h.advance(5_000_000);
    h.deliverAll();
    // The restarted node re-offered its store: the write arrives after all.
    expect(readAt(h, 'eu-west/0', 'k')).toBe(7);
    const m = engine.metrics!(h.states.get('us-east/0' as never)!);
    expect(m.changes_lost_in_queues).toBe(1);
    expect(m.anti_entropy_keys).toBe(2);
    // Later changes still flow: the receivers skip the lost sequence numbers.
    h.request('us-east/0', { op: 2, f: 'write', key: 'j', value: 8 });
    h.advance(20_000);
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'j')).toBe(8);
  });

  it('keeps and drains queued changes after a restart with durable_queue', () => {
    const { h, engine } = asyncHarness({ flush_interval_us: 10_000 as never, durable_queue: true });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 7 });
    h.crash('us-east/0');
    h.restart('us-east/0');
    h.advance(0);
    h.deliverAll();
    for (const n of NODES3) expect(readAt(h, n, 'k')).toBe(7);
    expect(engine.metrics!(h.states.get('us-east/0' as never)!).changes_lost_in_queues).toBe(0);
  });

  it('durable_queue: a restart counts each queued write once, with a copy per queue still waiting for it', () => {
    const { h } = asyncHarness({ durable_queue: true });
    const A = 'us-east/0';
    for (let op = 1; op <= 3; op++) h.request(A, { op, f: 'write', key: `k${op}`, value: op });
    // eu-west acks writes 1-3; ap-northeast hears nothing. Then two more writes neither hears.
    h.deliverAll((p) => p.to !== 'ap-northeast/0' && p.from !== 'ap-northeast/0');
    h.drop((p) => p.to === 'ap-northeast/0');
    for (let op = 4; op <= 5; op++) h.request(A, { op, f: 'write', key: `k${op}`, value: op });
    h.drop(() => true);
    h.crash(A);
    h.restart(A);
    const s = h.states.get(A as never)!;
    expect(s.pendingChanges).toBe(5);
    const copies = [...s.out.values()].map((q) => unacked(q).map((e) => copiesOf(s.ledger, e.pending)));
    // to eu-west: writes 4, 5 (both queues hold them); to ap-northeast: 1-3 (only there), 4, 5
    expect(copies).toEqual([[2, 2], [1, 1, 1, 2, 2]]);
    h.advance(0);
    h.deliverAll();
    expect(s.pendingChanges).toBe(0);
    for (const n of NODES3) expect(readAt(h, n, 'k5')).toBe(5);
  });
});

describe('async lww: the read shortcut', () => {
  const env: Env = { self: nodeId('us-east/0'), rank: 0, nodes: [nodeId('us-east/0')], stamp: () => ({ wall_us: 1, logical: 0, rank: 0, seq: 1 }), uid: () => 'u' };
  const writes: Record<WorkloadModel, Array<{ f: OpFn; value?: Value }>> = {
    register: [{ f: 'write', value: 3 }, { f: 'cas', value: [3, { a: 1 }] }, { f: 'write', value: null }],
    counter: [{ f: 'add', value: 2 }, { f: 'add', value: -5 }],
    set: [{ f: 'add', value: 'x' }, { f: 'add', value: 'a' }, { f: 'remove', value: 'x' }],
    inventory: [{ f: 'restock', value: 4 }, { f: 'reserve', value: { order: 'o1', qty: 2 } }],
  };
  it.each(['register', 'counter', 'set', 'inventory'] as const)('%s: `read` answers what `local` answers for a read, before and after writes', (model) => {
    const rule = lwwRule(model);
    expect(rule.read).toBeDefined();
    const st = rule.empty();
    const read = { op: opId(1), client: 'c' as ClientRequest['client'], f: 'read' as OpFn, key: 'k' };
    const same = (): void => {
      const out = rule.local(st, read, env);
      expect(out.type).toBe('reply');
      expect(rule.read!(st)).toEqual(out.type === 'reply' ? out.result : undefined);
    };
    same();
    let seq = 0;
    for (const w of writes[model]) {
      const out = rule.local(st, { ...read, op: opId(++seq + 1), ...w }, { ...env, stamp: () => ({ wall_us: seq, logical: 0, rank: 0, seq }) });
      if (out.type === 'change') rule.merge(st, out.change);
      same();
    }
  });
});
