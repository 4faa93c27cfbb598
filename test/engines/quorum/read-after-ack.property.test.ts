// The quorum intersection property (Gifford 1979; Dynamo): with R + W > N and one clock for
// every coordinator, a read that starts after a write was acknowledged never returns a value
// older than that write, whatever the messages do (delivered in any order, lost, late) and
// whatever the failure detector believes. And it can fail: with R + W <= N the same schedules
// find a stale read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../../src/history/types.js';
import type { ConsistencyLevel } from '../../../src/scenario/types.js';
import { MS } from '../../../src/sim/time.js';
import { rig } from './fixtures.js';

type Step =
  | { k: 'write'; node: number }
  | { k: 'read'; node: number }
  | { k: 'deliver'; pick: number }
  | { k: 'drop'; pick: number }
  | { k: 'advance'; us: number }
  /** every gossip message in flight arrives (other deliveries pick among data messages only) */
  | { k: 'beats' };

const step = (nodes: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { arbitrary: fc.record({ k: fc.constant('write' as const), node: fc.nat(nodes - 1) }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant('read' as const), node: fc.nat(nodes - 1) }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant('deliver' as const), pick: fc.nat() }), weight: 8 },
    { arbitrary: fc.record({ k: fc.constant('drop' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.constant({ k: 'beats' as const }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('advance' as const), us: fc.oneof(fc.integer({ min: 1, max: 5 * MS }), fc.integer({ min: 1, max: 3_000 * MS })) }), weight: 2 },
  );

/**
 * Runs a schedule; returns the reads that returned a value older than a write acknowledged
 * before they began. Every request is preceded by time moving on, so write timestamps follow
 * invocation order: "older" is "invoked earlier" (write i is invoked i-th, value i).
 */
function staleReads(nodes: string[], read: ConsistencyLevel, write: ConsistencyLevel, steps: Step[]): string[] {
  const r = rig(nodes, { consistency: { read, write } });
  const h = r.h;
  let op = 0;
  const writeOf = new Map<number, number>(); // op → value (= invocation rank)
  const readStart = new Map<number, number>(); // op → harness time at invoke
  let rank = 0;
  const bad: string[] = [];
  for (const s of steps) {
    switch (s.k) {
      case 'write':
      case 'read': {
        h.advance(1);
        op++;
        if (s.k === 'write') {
          writeOf.set(op, ++rank);
          h.request(nodes[s.node]!, { op, f: 'write' as OpFn, key: 'k', value: rank as never });
        } else {
          readStart.set(op, h.time_us);
          h.request(nodes[s.node]!, { op, f: 'read' as OpFn, key: 'k' });
        }
        break;
      }
      case 'deliver':
      case 'drop': {
        const data = h.inFlight.filter((p) => p.msg.type !== 'gossip');
        if (data.length === 0) break;
        const m = data[s.pick % data.length];
        if (s.k === 'deliver') h.deliver((p) => p === m);
        else h.drop((p) => p === m);
        break;
      }
      case 'beats':
        h.deliverAll((p) => p.msg.type === 'gossip');
        break;
      case 'advance':
        h.advance(s.us);
        break;
    }
  }
  for (const rep of h.replies) {
    const start = readStart.get(rep.op);
    if (start === undefined || rep.result.type !== 'ok') continue;
    const got = (rep.result.value as number | null) ?? 0;
    // the newest write acknowledged before the read began
    let need = 0;
    for (const w of h.replies) {
      const v = writeOf.get(w.op);
      if (v !== undefined && w.result.type === 'ok' && w.t < start) need = Math.max(need, v);
    }
    if (got < need) bad.push(`read op ${rep.op} at ${start} us returned ${got}, but write ${need} was acknowledged before`);
  }
  return bad;
}

const ONE_REGION = ['a/0', 'a/1', 'a/2'];
const TWO_REGIONS = ['a/0', 'a/1', 'b/0', 'b/1'];

describe('quorum intersection', () => {
  const strict: Array<[string[], ConsistencyLevel, ConsistencyLevel]> = [
    [ONE_REGION, 'QUORUM', 'QUORUM'],
    [ONE_REGION, 'ONE', 'ALL'],
    [ONE_REGION, 'ALL', 'ONE'],
    [ONE_REGION, 'TWO', 'TWO'],
    [TWO_REGIONS, 'QUORUM', 'QUORUM'],
    [TWO_REGIONS, 'EACH_QUORUM', 'QUORUM'],
  ];
  it.each(strict)('R + W > N (%j, read %s, write %s): no read older than an acknowledged write', (nodes, read, write) => {
    fc.assert(
      fc.property(fc.array(step(nodes.length), { minLength: 10, maxLength: 120 }), (steps) => {
        expect(staleReads(nodes, read, write, steps)).toEqual([]);
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('R + W <= N (read ONE, write ONE): the same schedules find a stale read', () => {
    const found = fc.check(
      fc.property(fc.array(step(3), { minLength: 1, maxLength: 120 }), (steps) => staleReads(ONE_REGION, 'ONE', 'ONE', steps).length === 0),
      { numRuns: 300, seed: 14 },
    );
    expect(found.failed).toBe(true);
  });

  it('LOCAL_QUORUM on both sides: a hand-written schedule reads in b before the write reaches it', () => {
    const d = (pick: number): Step => ({ k: 'deliver', pick });
    const steps: Step[] = [{ k: 'write', node: 0 }, d(2), d(2), { k: 'read', node: 2 }, d(2), d(2)];
    expect(staleReads(TWO_REGIONS, 'LOCAL_QUORUM', 'LOCAL_QUORUM', steps)).toHaveLength(1);
    expect(staleReads(TWO_REGIONS, 'QUORUM', 'QUORUM', steps)).toEqual([]);
  });

  it('LOCAL_QUORUM on both sides of two regions is not a global quorum: stale reads across regions', () => {
    const found = fc.check(
      // Short schedules: in long ones the write usually reaches the other region before a read there.
      fc.property(fc.array(step(4), { minLength: 12, maxLength: 30 }), (steps) => staleReads(TWO_REGIONS, 'LOCAL_QUORUM', 'LOCAL_QUORUM', steps).length === 0),
      { numRuns: 1000, seed: 14 },
    );
    expect(found.failed).toBe(true);
  });
});
