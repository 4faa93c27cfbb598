// Interaction tests of the quorum engine's coordinator and replicas: the test decides which
// message arrives, which is lost and how far time moves (test/engines/harness.ts).
import { describe, expect, it } from 'vitest';
import { micros, MS, SEC } from '../../../src/sim/time.js';
import { deliverData, replyOf, rig } from './fixtures.js';
import type { OpFn } from '../../../src/history/types.js';
import { nodeId } from '../../../src/sim/ids.js';

const A3 = ['a/0', 'a/1', 'a/2'];
const req = (op: number, f: string, key: string, value?: unknown) => ({ op, f: f as OpFn, key, ...(value === undefined ? {} : { value: value as never }) });
const finalOf = (r: ReturnType<typeof rig>, node: string, key: string) =>
  r.engine.finalState(r.h.states.get(node as never)!).find((e) => e.key === key)?.value;
const metric = (r: ReturnType<typeof rig>, name: string) => {
  let sum = 0;
  for (const s of r.h.states.values()) {
    const v = r.engine.metrics!(s)[name];
    if (v === undefined) throw new Error(`the engine reports no metric ${name}`);
    sum += v;
  }
  return sum;
};

describe('quorum engine: writes', () => {
  it('a QUORUM write is acknowledged after 2 of 3 acks (the coordinator is one), not before', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    expect(replyOf(r.h, 1)).toBeUndefined(); // only the coordinator's own apply so far
    expect(r.h.inFlight.filter((p) => p.msg.type === 'mutation').map((p) => p.to).sort()).toEqual(['a/1', 'a/2']);
    r.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'a/1');
    expect(replyOf(r.h, 1)).toBeUndefined(); // the ack is still in flight
    r.h.deliver((p) => p.msg.type === 'mutation-ack');
    expect(replyOf(r.h, 1)).toEqual({ type: 'ok', value: 'x' });
  });

  it('an ALL write waits for every replica; ONE is acknowledged by the coordinator alone', () => {
    const all = rig(A3, { consistency: { read: 'ONE', write: 'ALL' } });
    all.h.request('a/0', req(1, 'write', 'k', 'x'));
    all.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'a/1');
    all.h.deliver((p) => p.msg.type === 'mutation-ack');
    expect(replyOf(all.h, 1)).toBeUndefined();
    deliverData(all.h);
    expect(replyOf(all.h, 1)).toEqual({ type: 'ok', value: 'x' });
    const one = rig(A3, { consistency: { read: 'ONE', write: 'ONE' } });
    one.h.request('a/0', req(1, 'write', 'k', 'x'));
    expect(replyOf(one.h, 1)).toEqual({ type: 'ok', value: 'x' });
  });

  it('no acks by write_timeout: no reply (the client will see a timeout) and a hint per silent replica', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    r.h.drop((p) => p.msg.type === 'mutation');
    r.h.advance(2 * SEC);
    expect(replyOf(r.h, 1)).toBeUndefined();
    expect(metric(r, 'write_timeouts')).toBe(1);
    expect(metric(r, 'hints_stored')).toBe(2);
  });

  it('hints are replayed at the next gossip tick and the replicas converge', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    r.h.drop((p) => p.msg.type === 'mutation');
    r.h.advance(2 * SEC + 1);
    r.h.advance(1 * SEC); // a gossip tick: the replicas are believed up, so hints go
    deliverData(r.h);
    expect(metric(r, 'hints_replayed')).toBe(2);
    expect(metric(r, 'hints_pending')).toBe(0);
    for (const n of A3) expect(finalOf(r, n, 'k')).toBe('x');
  });

  it('replicas silent for ~18 heartbeat intervals are convicted: writes then fail unavailable at once', () => {
    const r = rig(A3);
    r.h.advance(10 * SEC);
    r.h.drop((p) => p.msg.type === 'gossip');
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    expect(replyOf(r.h, 1)).toBeUndefined(); // still believed up: the write is sent and waits
    r.h.drop(() => true);
    r.h.advance(25 * SEC);
    r.h.drop((p) => p.msg.type === 'gossip');
    r.h.request('a/0', req(2, 'write', 'k', 'y'));
    expect(replyOf(r.h, 2)).toEqual({ type: 'fail', error: 'unavailable' });
    expect(r.h.inFlight.filter((p) => p.msg.type === 'mutation')).toEqual([]);
    expect(metric(r, 'unavailable')).toBe(1);
  });

  it('a replica seen up again (a newer heartbeat version after its conviction) gets its hints at once', () => {
    const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' } });
    r.h.advance(30 * SEC);
    r.h.drop(() => true); // a/0 heard nothing: a/1 and a/2 are convicted
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    expect(replyOf(r.h, 1)).toEqual({ type: 'ok', value: 'x' });
    expect(metric(r, 'hints_stored')).toBe(2); // hinted at once, not sent
    // a/1's heartbeat version 7 reaches a/0 (through anyone's gossip): a/1 is up again
    r.h.drop(() => true);
    r.h.inFlight.push({ from: nodeId('a/2'), to: nodeId('a/0'), msg: { type: 'gossip', table: [[nodeId('a/1'), 0, 7]], reply: true } });
    r.h.deliver();
    expect(r.h.inFlight.filter((p) => p.msg.type === 'hints').map((p) => p.to)).toEqual(['a/1']);
  });

  it('no hint is stored for a replica down longer than max_hint_window', () => {
    const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' }, max_hint_window_us: micros(20 * SEC) });
    r.h.advance(60 * SEC);
    r.h.drop(() => true);
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    expect(replyOf(r.h, 1)).toEqual({ type: 'ok', value: 'x' });
    expect(metric(r, 'hints_stored')).toBe(0);
    expect(metric(r, 'hints_dropped')).toBe(2);
  });

  it('volatile hints die with the coordinator; durable ones survive and are replayed', () => {
    for (const hints of ['volatile', 'durable'] as const) {
      const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' }, hints });
      r.h.request('a/0', req(1, 'write', 'k', 'x'));
      r.h.drop((p) => p.msg.type === 'mutation');
      r.h.advance(2 * SEC + 1);
      r.h.drop((p) => p.msg.type === 'hints'); // a replay already on its way is lost too
      r.h.crash('a/0');
      r.h.restart('a/0');
      r.h.advance(2 * SEC);
      deliverData(r.h);
      expect(metric(r, 'hints_lost'), hints).toBe(hints === 'volatile' ? 2 : 0);
      expect(finalOf(r, 'a/1', 'k'), hints).toBe(hints === 'volatile' ? undefined : 'x');
    }
  });
});

describe('quorum engine: timestamps', () => {
  it('equal timestamps: the greater value wins everywhere, whatever the arrival order', () => {
    const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' } });
    // Both coordinators' clocks read 0: both writes get timestamp 1.
    r.h.request('a/0', req(1, 'write', 'k', 'b'));
    r.h.request('a/2', req(2, 'write', 'k', 'a'));
    deliverData(r.h);
    for (const n of A3) expect(finalOf(r, n, 'k')).toBe('b');
  });

  it('a coordinator whose clock is behind writes an older timestamp: its later write loses', () => {
    const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' } });
    r.h.advance(10 * SEC);
    r.h.request('a/0', req(1, 'write', 'k', 'first'));
    deliverData(r.h);
    // a/2's clock is 5 s behind: its ts is below a/0's although it writes later.
    const s2 = r.h.states.get('a/2' as never)!;
    const behind = { ...r.h.ctx('a/2'), now: () => micros(5 * SEC) };
    r.engine.onRequest(s2, { op: 2 as never, client: 'c' as never, f: 'write', key: 'k', value: 'second' }, behind);
    expect(finalOf(r, 'a/2', 'k')).toBe('first');
  });
});

describe('quorum engine: reads', () => {
  it('a digest mismatch makes the coordinator fetch the data, repair the stale replica (blocking) and answer the newest', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    r.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'a/2');
    r.h.drop((p) => p.msg.type === 'mutation'); // a/1 never gets it
    deliverData(r.h);
    expect(replyOf(r.h, 1)).toEqual({ type: 'ok', value: 'x' });
    r.h.request('a/1', req(2, 'read', 'k'));
    deliverData(r.h);
    expect(replyOf(r.h, 2)).toEqual({ type: 'ok', value: 'x' });
    expect(metric(r, 'digest_mismatches')).toBe(1);
    expect(metric(r, 'read_repairs')).toBe(1);
    expect(finalOf(r, 'a/1', 'k')).toBe('x');
  });

  it('with read_repair: none the newest value is still returned, and the stale replica stays stale', () => {
    const r = rig(A3, { read_repair: 'none' });
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    r.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'a/2');
    r.h.drop((p) => p.msg.type === 'mutation');
    deliverData(r.h);
    r.h.request('a/1', req(2, 'read', 'k'));
    deliverData(r.h);
    expect(replyOf(r.h, 2)).toEqual({ type: 'ok', value: 'x' });
    expect(metric(r, 'read_repairs')).toBe(0);
    expect(finalOf(r, 'a/1', 'k')).toBeUndefined();
  });

  it('reads at ONE from a replica answer locally, and can be stale', () => {
    const r = rig(A3, { consistency: { read: 'ONE', write: 'ONE' } });
    r.h.request('a/0', req(1, 'write', 'k', 'x'));
    r.h.request('a/1', req(2, 'read', 'k'));
    expect(replyOf(r.h, 2)).toEqual({ type: 'ok', value: null });
  });

  it('speculative retry: a read still waiting after the threshold asks one more replica for the data', () => {
    const r = rig(A3, { speculative_retry: { kind: 'fixed', after_us: micros(10 * MS) } });
    r.h.request('a/0', req(1, 'read', 'k'));
    const asked = r.h.inFlight.filter((p) => p.msg.type === 'read').map((p) => p.to);
    expect(asked).toHaveLength(1);
    r.h.drop((p) => p.msg.type === 'read');
    r.h.advance(10 * MS);
    const again = r.h.inFlight.filter((p) => p.msg.type === 'read');
    expect(again.map((p) => p.to)).not.toEqual(asked);
    expect(again).toHaveLength(1);
    deliverData(r.h);
    expect(replyOf(r.h, 1)).toEqual({ type: 'ok', value: null });
    expect(metric(r, 'speculative_retries')).toBe(1);
  });

  it('without speculative retry the same read waits, then times out with no reply', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'read', 'k'));
    r.h.drop((p) => p.msg.type === 'read');
    r.h.advance(5 * SEC);
    expect(r.h.inFlight.filter((p) => p.msg.type === 'read')).toEqual([]);
    expect(replyOf(r.h, 1)).toBeUndefined();
    expect(metric(r, 'read_timeouts')).toBe(1);
  });
});

describe('quorum engine: levels across regions', () => {
  const AB = ['a/0', 'a/1', 'a/2', 'b/0', 'b/1', 'b/2'];

  it('LOCAL_QUORUM is acknowledged by the local region alone; EACH_QUORUM also needs the remote one', () => {
    const local = rig(AB, { consistency: { read: 'LOCAL_QUORUM', write: 'LOCAL_QUORUM' } });
    local.h.request('a/0', req(1, 'write', 'k', 'x'));
    deliverData(local.h, (_m, to) => to.startsWith('a/'));
    expect(replyOf(local.h, 1)).toEqual({ type: 'ok', value: 'x' });
    expect(local.h.inFlight.filter((p) => p.msg.type === 'mutation').map((p) => p.to).sort()).toEqual(['b/0', 'b/1', 'b/2']);

    const each = rig(AB, { consistency: { read: 'EACH_QUORUM', write: 'EACH_QUORUM' } });
    each.h.request('a/0', req(1, 'write', 'k', 'x'));
    deliverData(each.h, (_m, to) => to.startsWith('a/'));
    expect(replyOf(each.h, 1)).toBeUndefined();
    each.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'b/0');
    each.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'b/1');
    deliverData(each.h, (m) => m.type === 'mutation-ack');
    expect(replyOf(each.h, 1)).toEqual({ type: 'ok', value: 'x' });
  });

  it('LOCAL_ONE reads never leave the region; QUORUM (4 of 6) reads reach the other region', () => {
    const local = rig(AB, { consistency: { read: 'LOCAL_ONE', write: 'ONE' } });
    local.h.request('b/0', req(1, 'write', 'k', 'x'));
    local.h.drop(() => true);
    local.h.request('a/0', req(2, 'read', 'k'));
    expect(replyOf(local.h, 2)).toEqual({ type: 'ok', value: null }); // stale: the write is in b only
    const q = rig(AB, { consistency: { read: 'QUORUM', write: 'ONE' } });
    q.h.request('a/0', req(1, 'read', 'k'));
    expect(q.h.inFlight.filter((p) => p.msg.type === 'read').map((p) => p.to).sort()).toEqual(['a/1', 'a/2', expect.stringMatching(/^b\//)]);
  });
});

describe('quorum engine: objects', () => {
  it('counter: shards add up across coordinators; a timed-out increment retried counts twice', () => {
    const r = rig(A3, {}, 'counter');
    r.h.request('a/0', req(1, 'add', 'c', 5));
    r.h.request('a/1', req(2, 'add', 'c', 3));
    deliverData(r.h);
    r.h.request('a/2', req(3, 'read', 'c'));
    deliverData(r.h);
    expect(replyOf(r.h, 3)).toEqual({ type: 'ok', value: 8 });
    // op 4 is applied by its leader (a/0's own shard) but no ack comes back: the client times out
    r.h.request('a/0', req(4, 'add', 'c', 1));
    r.h.drop((p) => p.msg.type === 'mutation');
    r.h.advance(2 * SEC + 1);
    expect(replyOf(r.h, 4)).toBeUndefined();
    r.h.request('a/0', req(5, 'add', 'c', 1)); // the client's retry
    deliverData(r.h);
    r.h.advance(1 * SEC); // hints of op 4 replayed
    deliverData(r.h);
    r.h.request('a/2', req(6, 'read', 'c'));
    deliverData(r.h);
    expect(replyOf(r.h, 6)).toEqual({ type: 'ok', value: 10 }); // 8 + 1 + 1: counted twice
  });

  it('a counter increment sent to a remote leader that never answers leaves nothing to hint', () => {
    const r = rig(['a/0', 'b/0', 'b/1'], { replication: { a: 0, b: 2 }, consistency: { read: 'ONE', write: 'ONE' } }, 'counter');
    r.h.request('a/0', req(1, 'add', 'c', 1));
    expect(r.h.inFlight.filter((p) => p.msg.type === 'counter')).toHaveLength(1);
    r.h.drop((p) => p.msg.type === 'counter');
    r.h.advance(2 * SEC + 1);
    expect(metric(r, 'hints_stored')).toBe(0);
    expect(metric(r, 'write_timeouts')).toBe(1);
  });

  it('set: a remove tombstones the element, even where it arrives before the add', () => {
    const r = rig(A3, { consistency: { read: 'ALL', write: 'ONE' } }, 'set');
    r.h.request('a/0', req(1, 'add', 's', 'x'));
    r.h.advance(1);
    r.h.request('a/0', req(2, 'remove', 's', 'x'));
    r.h.request('a/0', req(3, 'add', 's', 'y'));
    // a/1 gets the remove before the add
    r.h.deliver((p) => p.msg.type === 'mutation' && p.to === 'a/1' && p.msg.cells[0]?.[1].del === true);
    deliverData(r.h);
    for (const n of A3) expect(finalOf(r, n, 's')).toEqual(['y']);
    r.h.request('a/2', req(4, 'read', 's'));
    deliverData(r.h);
    expect(replyOf(r.h, 4)).toEqual({ type: 'ok', value: ['y'] });
  });

  it('bad requests fail at the coordinator; cas and inventory writes go to LWT', () => {
    const r = rig(A3);
    r.h.request('a/0', req(1, 'add', 'k', 1));
    expect(replyOf(r.h, 1)).toMatchObject({ type: 'fail', error: expect.stringContaining('bad-request') });
    // a cas and a reservation start a Paxos round (lwt.ts): prepares go out, no answer yet
    const lwtSent = (h: typeof r.h): number => h.inFlight.filter((p) => (p.msg as { type?: string }).type === 'lwt').length;
    r.h.request('a/0', req(2, 'cas', 'k', [null, 1]));
    expect(replyOf(r.h, 2)).toBeUndefined();
    expect(lwtSent(r.h)).toBeGreaterThan(0);
    const inv = rig(A3, {}, 'inventory');
    inv.h.request('a/0', req(3, 'reserve', 'i', { qty: 1 }));
    expect(replyOf(inv.h, 3)).toBeUndefined();
    expect(lwtSent(inv.h)).toBeGreaterThan(0);
    inv.h.request('a/0', req(4, 'read', 'i'));
    deliverData(inv.h);
    expect(replyOf(inv.h, 4)).toEqual({ type: 'ok', value: 100 });
  });
});
