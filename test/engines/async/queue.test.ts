import { describe, expect, it } from 'vitest';
import type { AsyncEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import { asyncHarness, isChanges, NODES3, readAt } from './fixtures.js';
import type { AsyncMsg } from '../../../src/engines/async/types.js';

const toEu = (p: { to: string }): boolean => p.to === 'eu-west/0';
/** The seqs a `changes` batch carries (consecutive from `first`). */
const entrySeqs = (m: Extract<AsyncMsg, { type: 'changes' }>): number[] => m.keys.map((_, j) => m.first + j);

describe('async change queues: interaction', () => {
  it('backpressure: with a full queue a write is refused (fail queue-full), not applied, not dropped', () => {
    const { h, engine } = asyncHarness({ queue_limit: 2 });
    for (let op = 1; op <= 3; op++) {
      h.request('us-east/0', { op, f: 'write', key: `k${op}`, value: op });
      h.drop(toEu); // eu-west is unreachable
      h.deliverAll();
    }
    expect(h.replies.map((r) => r.result)).toEqual([
      { type: 'ok', value: 1 },
      { type: 'ok', value: 2 },
      { type: 'fail', error: 'queue-full' },
    ]);
    expect(h.applies.filter((a) => a.key === 'k3')).toEqual([]);
    expect(readAt(h, 'us-east/0', 'k3')).toBe(null);
    const m = engine.metrics!(h.states.get('us-east/0' as never)!);
    expect(m.writes_refused_queue_full).toBe(1);
    expect(m['max_queue_depth_to_eu-west']).toBe(2);
    expect(m['max_queue_depth_to_ap-northeast']).toBe(1);
    // Heal: the retry drains the queue and writes are accepted again.
    h.advance(300_000);
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'k2')).toBe(2);
    h.request('us-east/0', { op: 4, f: 'write', key: 'k4', value: 4 });
    expect(h.replies.at(-1)!.result).toEqual({ type: 'ok', value: 4 });
  });

  it('no queue_limit (the default): a partitioned backlog of 5,000 changes is never refused, and drains in order through compaction', () => {
    const { h, engine } = asyncHarness({ batch: 50 });
    const N = 5_000; // > 1,024: the acks below compact the packed columns several times
    for (let op = 1; op <= N; op++) {
      h.request('us-east/0', { op, f: 'write', key: `k${op % 7}`, value: op });
      h.drop(toEu);
      h.deliverAll((p) => !toEu(p));
    }
    expect(h.replies.filter((r) => r.result.type !== 'ok')).toEqual([]);
    expect(engine.metrics!(h.states.get('us-east/0' as never)!)['max_queue_depth_to_eu-west']).toBe(N);
    h.advance(3_000_000); // heal: the next probe's ack reopens the window
    h.deliverAll();
    for (let i = 0; i < 100 && h.inFlight.length > 0; i++) {
      h.advance(300_000);
      h.deliverAll();
    }
    const seen = h.applies.filter((a) => a.node === 'eu-west/0').map((a) => a.value);
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const m = engine.metrics!(h.states.get('us-east/0' as never)!);
    expect(m.writes_refused_queue_full).toBe(0);
    expect(h.states.get('us-east/0' as never)!.pendingChanges).toBe(0);
  });

  it('drains in write order after a partition, in batches of `batch`', () => {
    const { h } = asyncHarness({ batch: 2 });
    for (let op = 1; op <= 5; op++) {
      h.request('us-east/0', { op, f: 'write', key: 'k', value: op });
      h.drop(toEu);
    }
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'k')).toBe(null);
    const euBatches = (): number[][] =>
      h.inFlight.filter(toEu).map((p) => entrySeqs(p.msg as Extract<AsyncMsg, { type: 'changes' }>));
    h.advance(210_000); // first retry (205 ms): probes with the first unacked batch only
    expect(euBatches()).toEqual([[1, 2]]);
    h.deliver(toEu); // its ack reopens the window: the rest follows at once
    h.deliver((p) => p.msg.type === 'ack');
    expect(euBatches()).toEqual([[3, 4], [5]]);
    h.deliverAll();
    expect(h.applies.filter((a) => a.node === 'eu-west/0').map((a) => a.value)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([0, 20_000])('a long partition costs one batch per retry, not a window of them (flush_interval %i us)', (flush) => {
    const { h } = asyncHarness({ batch: 1, flush_interval_us: flush as never });
    for (let op = 1; op <= 20; op++) h.request('us-east/0', { op, f: 'write', key: 'k', value: op });
    h.advance(flush);
    expect(h.inFlight.filter(toEu)).toHaveLength(8); // the window
    let probes = 0;
    // 20 s in steps shorter than the shortest retry timeout (205 ms): at most one probe a step.
    for (let i = 0; i < 200; i++) {
      h.drop(toEu);
      h.deliverAll((p) => !toEu(p));
      // a write now and then: with a flush interval, each arms a flush that must not refill the window
      if (i % 7 === 0) h.request('us-east/0', { op: 100 + i, f: 'write', key: 'w', value: 100 + i });
      h.advance(100_000);
      const sent = h.inFlight.filter(toEu);
      expect(sent.length).toBeLessThanOrEqual(1);
      probes += sent.length;
    }
    // after 205, 410, 820 and 1640 ms, then every 2 s: 12 probes in 20 s (a window each: 96 messages)
    expect(probes).toBe(12);
    h.advance(2_000_000); // heal: the next probe's ack reopens the window and the queue drains
    h.deliverAll();
    expect(readAt(h, 'eu-west/0', 'k')).toBe(20);
  });

  it('a probe resends the same message while nothing is acked, and a fresh one once the batch or the head moves', () => {
    const { h } = asyncHarness({ batch: 2 });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.drop(toEu);
    h.deliverAll();
    const probes: AsyncMsg[] = [];
    const probe = (): Extract<AsyncMsg, { type: 'changes' }> => {
      const sent = h.inFlight.filter(toEu);
      expect(sent).toHaveLength(1);
      const m = sent[0]!.msg as Extract<AsyncMsg, { type: 'changes' }>;
      probes.push(m);
      return m;
    };
    h.advance(210_000); // first retry: the unacked batch again, as the very same message
    const first = probe();
    expect(entrySeqs(first)).toEqual([1]);
    h.drop(toEu);
    h.request('us-east/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.drop(toEu); // seq 2 went out alone (the probe's one-batch window had room for it)
    h.advance(410_000);
    const second = probe(); // the go-back probe now holds seqs 1 and 2: a new message
    expect(entrySeqs(second)).toEqual([1, 2]);
    expect(second).not.toBe(first);
    h.drop(toEu);
    h.advance(820_000);
    const third = probe(); // nothing changed: the same object, not a rebuilt copy
    expect(third).toBe(second);
    // delivered twice (a duplicate): applied once, acked, and the next batch is a new message
    h.deliver(toEu);
    h.deliverAll();
    expect(h.applies.filter((a) => a.node === 'eu-west/0').map((a) => a.value)).toEqual([1, 2]);
    h.request('us-east/0', { op: 3, f: 'write', key: 'k', value: 3 });
    const after = h.inFlight.filter(toEu).map((p) => p.msg as Extract<AsyncMsg, { type: 'changes' }>);
    expect(after.map((m) => [m.head, ...entrySeqs(m)])).toEqual([[3, 3]]);
    expect(probes.includes(after[0]!)).toBe(false);
  });

  it('a lost batch in the middle: later batches wait, the go-back resend fills the gap in order', () => {
    const { h } = asyncHarness({ batch: 1 });
    for (let op = 1; op <= 3; op++) h.request('us-east/0', { op, f: 'write', key: 'k', value: op });
    const second = h.inFlight.filter(toEu)[1]!;
    h.drop((p) => p === second);
    h.deliverAll();
    // seq 3 arrived after a gap and was not applied.
    expect(h.applies.filter((a) => a.node === 'eu-west/0').map((a) => a.value)).toEqual([1]);
    // The first timeout saw ack progress (seq 1): the link works, so it waits one more.
    h.advance(210_000);
    expect(h.inFlight).toEqual([]);
    h.advance(205_000);
    h.deliverAll();
    expect(h.applies.filter((a) => a.node === 'eu-west/0').map((a) => a.value)).toEqual([1, 2, 3]);
  });

  it('flush_interval gathers the writes of an interval into one message', () => {
    const { h } = asyncHarness({ flush_interval_us: 10_000 as never });
    h.request('us-east/0', { op: 1, f: 'write', key: 'a', value: 1 });
    h.advance(4_000);
    h.request('us-east/0', { op: 2, f: 'write', key: 'b', value: 2 });
    expect(h.inFlight).toEqual([]);
    h.advance(6_000);
    expect(h.inFlight.filter(toEu).map((p) => (p.msg as Extract<AsyncMsg, { type: 'changes' }>).keys.length)).toEqual([2]);
  });

  it('sends at most 8 batches ahead of the acks', () => {
    const { h } = asyncHarness({ batch: 1 });
    for (let op = 1; op <= 12; op++) h.request('us-east/0', { op, f: 'write', key: 'k', value: op });
    expect(h.inFlight.filter(toEu)).toHaveLength(8);
    h.deliverAll();
    expect(h.applies.filter((a) => a.node === 'eu-west/0')).toHaveLength(12);
  });

  const cases: Array<[Partial<AsyncEngineSpec>, WorkloadModel, (op: number) => { f: string; value: unknown }]> = [
    [{ conflict: 'lww' }, 'register', (op) => ({ f: 'write', value: op })],
    [{ conflict: 'lww', timestamps: 'hybrid' }, 'counter', (op) => ({ f: 'add', value: op })],
    [{ conflict: 'version-vector' }, 'register', (op) => ({ f: 'write', value: op })],
    [{ conflict: 'crdt' }, 'counter', (op) => ({ f: 'add', value: op % 2 ? op : -op })],
    [{ conflict: 'crdt' }, 'set', (op) => (op % 3 ? { f: 'add', value: op % 4 } : { f: 'remove', value: op % 4 })],
    [{ conflict: 'crdt' }, 'inventory', (op) => ({ f: 'reserve', value: { qty: 3, order: `o${op}` } })],
  ];
  for (const [spec, model, opAt] of cases) {
    it(`duplicate delivery is idempotent: ${spec.conflict}${spec.timestamps ? `/${spec.timestamps}` : ''} ${model}`, () => {
      const once = asyncHarness(spec, model).h;
      const twice = asyncHarness(spec, model).h;
      for (const h of [once, twice]) {
        for (let op = 1; op <= 12; op++) {
          h.request(NODES3[op % 3]!, { op, f: opAt(op).f as never, key: 'k', value: opAt(op).value as never });
          if (op % 4 === 0) {
            // Every change message is delivered twice to `twice`.
            if (h === twice) for (const p of h.inFlight.filter(isChanges)) h.inFlight.push({ ...p });
            h.deliverAll();
          }
        }
        h.deliverAll();
      }
      const finals = (h: typeof once) => NODES3.map((n) => readAt(h, n, 'k', 99));
      expect(finals(twice)).toEqual(finals(once));
      expect(new Set(finals(once).map((v) => JSON.stringify(v))).size).toBe(1);
      expect(twice.applies.length).toBe(once.applies.length);
    });
  }
});
