/**
 * Helpers for the sync engine's interaction tests: build the engine on a harness, a tiny
 * "network" loop that delivers everything except messages across a cut, and operator actions.
 */
import { createHarness, topologyOf, type Harness } from '../harness.js';
import { createSyncEngine } from '../../../src/engines/sync/engine.js';
import type { SyncMsg, SyncState } from '../../../src/engines/sync/types.js';
import type { SyncEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import { nodeId, type NodeId } from '../../../src/sim/ids.js';
import { micros, MS } from '../../../src/sim/time.js';
import type { Ctx } from '../../../src/engines/engine.js';

export type SyncHarness = Harness<SyncState, SyncMsg> & {
  engine: ReturnType<typeof createSyncEngine>;
  /** operator actions so far (the world numbers them the same way) */
  adminConfig: number;
};

export function syncSpec(over: Partial<SyncEngineSpec> = {}): SyncEngineSpec {
  return {
    type: 'sync',
    on_failure: 'pause',
    lock_timeout_us: micros(200 * MS),
    prepare_timeout_us: micros(500 * MS),
    recovery: 'queue-drain',
    ...over,
  };
}

export function syncHarness(nodes: string[], over: Partial<SyncEngineSpec> = {}, model: WorkloadModel = 'register'): SyncHarness {
  const ids = nodes.map(nodeId);
  const engine = createSyncEngine({ spec: syncSpec(over), model, topology: topologyOf(ids) });
  const h = createHarness(engine, { nodes }) as SyncHarness;
  h.engine = engine;
  h.adminConfig = 0;
  return h;
}

/** Region of a node id. */
const regionOf = (n: string): string => n.slice(0, n.lastIndexOf('/'));

/** A cut between groups of regions: messages between different groups are dropped. */
export function cutBetween(...groups: string[][]): (from: NodeId, to: NodeId) => boolean {
  const side = (n: string): number => groups.findIndex((g) => g.includes(regionOf(n)) || g.includes(n));
  return (from, to) => side(from) !== side(to);
}

/**
 * Runs the cluster for `us` in steps of `tick_us`: every tick delivers all messages in flight
 * (zero latency), dropping those the cut forbids, then advances time.
 */
export function run(h: SyncHarness, us: number, cut?: (from: NodeId, to: NodeId) => boolean, tick_us = 5 * MS): void {
  const end = h.time_us + us;
  while (h.time_us < end) {
    settle(h, cut);
    h.advance(Math.min(tick_us, end - h.time_us));
  }
  settle(h, cut);
}

/** Delivers until nothing is in flight (bounded). */
export function settle(h: SyncHarness, cut?: (from: NodeId, to: NodeId) => boolean): void {
  for (let i = 0; i < 10_000 && h.inFlight.length > 0; i++) {
    if (cut) h.drop((p) => cut(p.from, p.to));
    h.deliverAll(undefined, 10_000);
  }
}

/**
 * Calls `onAdmin` on every live node, capturing its effects into the harness (no timers).
 * Numbers the action as the world does: the next operator configuration number.
 */
export function admin(h: SyncHarness, kind: 'remove' | 'rejoin', target: string): void {
  const config = ++h.adminConfig;
  for (const [n, s] of h.states) {
    if (h.down.has(n)) continue;
    const base = h.ctx(n);
    const ctx: Ctx<SyncMsg> = {
      ...base,
      now: base.now,
      send: (to, msg) => h.inFlight.push({ from: n, to, msg }),
      reply: (op, result) => h.replies.push({ node: n, op, result, t: h.time_us }),
      applied: (key, value, op, version) => h.applies.push({ node: n, key, value, op, version, t: h.time_us }),
      invariant: (message) => h.invariants.push({ node: n, message }),
      setTimer: () => {
        throw new Error('onAdmin set a timer; the test helper cannot schedule it');
      },
    };
    h.engine.onAdmin?.(s, { kind, target, config }, ctx);
  }
}

export function replyOf(h: SyncHarness, op: number) {
  return h.replies.find((r) => r.op === op)?.result;
}

export function finalOf(h: SyncHarness, node: string) {
  const s = h.states.get(nodeId(node));
  return s ? h.engine.finalState(s) : [];
}
