/**
 * An operator's `remove` must not come back after the operator's `rejoin`. A copy recovering
 * from a restart is welcomed by its sponsor with the sponsor's membership (who is out, and
 * why). A welcome sent just before a `rejoin` and delivered just after it carried the old
 * "removed by the operator" entry: the recovering copy reinstated the removal and then held
 * the rejoined copy out for good (its heartbeats told that copy it was removed again).
 * A heartbeat sent before the rejoin ("the operator removed you") did the same to the rejoined
 * copy itself, for a while. Membership decisions now carry the operator's configuration number
 * (incremented by every remove and rejoin); an older one never overrides a newer one.
 */
import { describe, expect, it } from 'vitest';
import { nodeId } from '../../../src/sim/ids.js';
import { MS, SEC } from '../../../src/sim/time.js';
import type { Pending } from '../harness.js';
import type { SyncMsg } from '../../../src/engines/sync/types.js';
import { servingCopy } from '../../../src/engines/sync/state.js';
import { admin, finalOf, replyOf, run, syncHarness, type SyncHarness } from './util.js';

const N3 = ['a/0', 'b/0', 'c/0'];

const isWelcomeTo = (to: string) => (p: Pending<SyncMsg>) => p.msg.type === 'welcome' && p.to === to;

/** Runs in small steps, delivering everything except messages `hold` matches, until one is in flight. */
function runUntilHeld(h: SyncHarness, hold: (p: Pending<SyncMsg>) => boolean, max_us: number): Pending<SyncMsg> | undefined {
  const end = h.time_us + max_us;
  while (h.time_us < end) {
    for (let i = 0; i < 10_000 && h.inFlight.some((p) => !hold(p)); i++) h.deliver((p) => !hold(p));
    const held = h.inFlight.find(hold);
    if (held) return held;
    h.advance(1 * MS);
  }
  return undefined;
}

/**
 * a, b, c in scope; the operator removes c; b restarts and recovers through a; a's welcome to
 * b is held in flight while the operator rejoins c, then delivered.
 */
function staleWelcome(): SyncHarness {
  const h = syncHarness(N3, { on_failure: 'pause' });
  h.request('a/0', { op: 1, f: 'write', key: 'k', value: 1 });
  run(h, 100 * MS);
  admin(h, 'remove', 'c/0');
  run(h, 100 * MS);
  h.crash('b/0');
  run(h, 50 * MS);
  h.restart('b/0');
  const held = runUntilHeld(h, isWelcomeTo('b/0'), 2 * SEC);
  // the welcome, sent while c was still removed, says so
  expect(held?.msg.type === 'welcome' && held.msg.out.some(([n, o]) => n === 'c/0' && o.reason === 'operator')).toBe(true);
  admin(h, 'rejoin', 'c/0');
  h.deliver(isWelcomeTo('b/0')); // ... and arrives after the rejoin
  return h;
}

describe('sync: a welcome sent before an operator rejoin does not undo it', () => {
  it('the rejoined copy comes back and stays in every copy\'s scope', () => {
    const h = staleWelcome();
    run(h, 3 * SEC);
    for (const n of N3) {
      const s = h.states.get(nodeId(n))!;
      expect({ n, serving: servingCopy(s), out: [...s.d.out.keys()] }).toEqual({ n, serving: true, out: [] });
    }
    h.request('c/0', { op: 2, f: 'write', key: 'k', value: 2 });
    h.request('b/0', { op: 3, f: 'write', key: 'j', value: 3 });
    run(h, 200 * MS);
    expect(replyOf(h, 2)).toEqual({ type: 'ok', value: 2 });
    expect(replyOf(h, 3)).toEqual({ type: 'ok', value: 3 });
    for (const n of N3) expect(finalOf(h, n)).toEqual([{ key: 'j', value: 3 }, { key: 'k', value: 2 }]);
    expect(h.invariants).toEqual([]);
  });

  it('a welcome that is not older than the rejoin is taken as it is (the removal stays while c is out)', () => {
    // Control: the same welcome delivered before any rejoin keeps c removed: the configuration
    // check refuses only older memberships, it does not drop operator removals.
    const h = syncHarness(N3, { on_failure: 'pause' });
    run(h, 100 * MS);
    admin(h, 'remove', 'c/0');
    run(h, 100 * MS);
    h.crash('b/0');
    run(h, 50 * MS);
    h.restart('b/0');
    run(h, 2 * SEC);
    const b = h.states.get(nodeId('b/0'))!;
    expect(servingCopy(b)).toBe(true);
    expect(b.d.out.get(nodeId('c/0'))?.reason).toBe('operator');
    const c = h.states.get(nodeId('c/0'))!;
    expect(servingCopy(c)).toBe(false);
    expect(c.d.selfRemoved).toBe(true);
  });

  it('a heartbeat sent before the rejoin does not remove the rejoined copy again', () => {
    const h = syncHarness(N3, { on_failure: 'pause' });
    run(h, 100 * MS);
    admin(h, 'remove', 'c/0');
    run(h, 100 * MS);
    const isPingToC = (p: Pending<SyncMsg>) => p.msg.type === 'ping' && p.from === 'a/0' && p.to === 'c/0';
    const held = runUntilHeld(h, isPingToC, 1 * SEC);
    expect(held?.msg.type === 'ping' && held.msg.operatorOut).toBe(true);
    admin(h, 'rejoin', 'c/0');
    const c = h.states.get(nodeId('c/0'))!;
    expect(c.d.selfRemoved).toBe(false);
    h.deliver(isPingToC);
    // the stale "the operator removed you" is not obeyed: c stays on its way back
    expect(c.d.selfRemoved).toBe(false);
    expect(c.recovery).not.toBeNull();
    run(h, 1 * SEC);
    expect(servingCopy(c)).toBe(true);
    expect(h.invariants).toEqual([]);
  });

  it('a heartbeat sent after the removal still removes the copy (the check refuses only older ones)', () => {
    const h = syncHarness(N3, { on_failure: 'pause' });
    run(h, 100 * MS);
    const isPingToC = (p: Pending<SyncMsg>) => p.msg.type === 'ping' && p.from === 'a/0' && p.to === 'c/0';
    h.crash('c/0');
    admin(h, 'remove', 'c/0'); // c is down: it learns of its removal only from the others
    run(h, 100 * MS);
    h.restart('c/0');
    const c = h.states.get(nodeId('c/0'))!;
    // hold everything to c until a's ping is among it: that ping alone tells c
    const toC = (p: Pending<SyncMsg>) => p.to === 'c/0';
    for (let i = 0; i < 200 && !h.inFlight.some(isPingToC); i++) runUntilHeld(h, toC, 1 * MS);
    expect(c.d.selfRemoved).toBe(false);
    h.deliver(isPingToC);
    expect(c.d.selfRemoved).toBe(true);
  });
});
