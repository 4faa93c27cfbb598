/**
 * A network-less driver for engine interaction tests (in the spirit of etcd/raft's
 * testdata/*.txt): nodes run an engine, every effect is captured, and the test decides which
 * message is delivered when, which is dropped or duplicated, which node crashes, and how far
 * time moves. No kernel, no latency. The built-in engines' tests (test/engines) use it, and
 * it is public as `replsim/testing` for users' own engines.
 *
 * ```js
 * import { createHarness, engineConfig } from 'replsim/testing';
 * import primaryBackup from './engine.mjs';
 *
 * const nodes = ['us/0', 'eu/0', 'ap/0'];
 * const h = createHarness(primaryBackup(engineConfig(nodes, { wait_for: 'all' })), { nodes });
 * h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
 * h.deliver((m) => m.to === 'eu/0');        // eu/0 gets the write and acknowledges it
 * h.drop((m) => m.to === 'ap/0');           // ap/0 never does
 * h.deliverAll();
 * assert.equal(h.replies.length, 0);        // so the primary has not acknowledged it
 * ```
 */
import type { ClientRequest, Ctx, Effect, Engine, OpResult, Timer, Topology } from '../engines/engine.js';
import { nodeId, regionId, type NodeId, type OpId, type RegionId } from '../sim/ids.js';
import { micros, type Micros } from '../sim/time.js';
import { fromUniform, stream } from '../sim/rng.js';
import type { Value } from '../history/types.js';

/** A message sent and not yet delivered. */
export interface Pending<M> {
  from: NodeId;
  to: NodeId;
  msg: M;
}

/** The nodes a harness runs, their clocks, and the seed of their random streams. */
export interface HarnessOptions {
  /** node ids as REGION/INDEX */
  nodes: string[];
  /** per-node clock offset (us) relative to harness time */
  clockOffset_us?: Record<string, number>;
  /** base one-way latency used by topology.baseLatency (us); default 1ms intra, 50ms inter */
  latency_us?: (from: NodeId, to: NodeId) => number;
  seed?: number;
}

/**
 * A running harness: the nodes' states and every effect so far, and the controls a test uses
 * to drive it. Nothing happens unless the test asks: a sent message waits in `inFlight` until
 * `deliver`ed, a timer fires only when `advance` passes its time.
 */
export interface Harness<S, M> {
  /** harness time (microseconds); a node's `ctx.now()` is this plus its clock offset */
  time_us: number;
  /** each node's state, as the engine's last step left it (kept while a node is down) */
  states: Map<NodeId, S>;
  /** messages sent and not yet delivered or dropped, in send order */
  inFlight: Pending<M>[];
  /** replies to clients, in order */
  replies: Array<{ node: NodeId; op: OpId; result: OpResult; t: number }>;
  applies: Array<{ node: NodeId; key: string; value: Value; op?: OpId; version?: string; t: number }>;
  invariants: Array<{ node: NodeId; message: string }>;
  /** every effect, tagged with its node, for trace assertions */
  trace: Array<{ node: NodeId; effect: Effect<M> }>;
  /** crashed nodes: they get no messages, requests or timers until restarted */
  down: Set<NodeId>;
  /** a client request at `node` (`client` defaults to the node id) */
  request(node: string, req: Omit<ClientRequest, 'op' | 'client'> & { op: number; client?: string }): void;
  /** delivers the oldest in-flight message matching the filter; returns it */
  deliver(filter?: (p: Pending<M>) => boolean): Pending<M> | undefined;
  /** delivers until nothing matching is in flight (bounded) */
  deliverAll(filter?: (p: Pending<M>) => boolean, limit?: number): number;
  /** drops in-flight messages matching the filter; returns how many */
  drop(filter: (p: Pending<M>) => boolean): number;
  /** copies in-flight messages matching the filter (the copy is delivered later, again); returns how many */
  duplicate(filter: (p: Pending<M>) => boolean): number;
  /** moves time forward, firing due timers in time order */
  advance(us: number): void;
  /** crashes a node: it keeps only `engine.durable(state)`; messages to it in flight are lost */
  crash(node: string): void;
  /** restarts a crashed node from what it kept (`engine.init(node, durable, ctx)`) */
  restart(node: string): void;
  /** a ctx for `node` whose effects are discarded (for calling helpers directly) */
  ctx(node: string): Ctx<M>;
}

/** A topology of these node ids (REGION/INDEX, regions in order of first appearance). */
export function topologyOf(nodes: NodeId[], latency?: (a: NodeId, b: NodeId) => number): Topology {
  const regions: RegionId[] = [];
  const byRegion = new Map<RegionId, NodeId[]>();
  for (const n of nodes) {
    const r = regionId(n.slice(0, n.lastIndexOf('/')));
    if (!byRegion.has(r)) {
      byRegion.set(r, []);
      regions.push(r);
    }
    byRegion.get(r)!.push(n);
  }
  const regionOfNode = (n: NodeId): RegionId => regionId(n.slice(0, n.lastIndexOf('/')));
  return {
    nodes,
    regions,
    nodesOf: (r) => byRegion.get(r) ?? [],
    regionOf: regionOfNode,
    baseLatency: (a, b) =>
      micros(latency ? latency(a, b) : regionOfNode(a) === regionOfNode(b) ? 1000 : 50_000),
  };
}

/** Starts every node (`engine.init`) and returns the harness; see the module comment for an example. */
export function createHarness<S, M, D>(engine: Engine<S, M, D>, opts: HarnessOptions): Harness<S, M> {
  const nodes = opts.nodes.map(nodeId);
  const topology = topologyOf(nodes, opts.latency_us);
  const timers: Array<{ at: number; seq: number; node: NodeId; timer: Timer; epoch: number }> = [];
  const epochs = new Map<NodeId, number>();
  const durables = new Map<NodeId, D>();
  let seq = 0;

  const h: Harness<S, M> = {
    time_us: 0,
    states: new Map(),
    inFlight: [],
    replies: [],
    applies: [],
    invariants: [],
    trace: [],
    down: new Set(),
    request(node, req) {
      const n = nodeId(node);
      if (h.down.has(n)) return;
      step(n, (s, c) =>
        engine.onRequest(s, { ...req, op: req.op as OpId, client: (req.client ?? node) as never }, c),
      );
    },
    deliver(filter) {
      const i = h.inFlight.findIndex((p) => !filter || filter(p));
      if (i < 0) return undefined;
      const [p] = h.inFlight.splice(i, 1);
      if (!p || h.down.has(p.to)) return p;
      step(p.to, (s, c) => engine.onMessage(s, p.from, p.msg, c));
      return p;
    },
    deliverAll(filter, limit = 100_000) {
      let n = 0;
      while (n < limit && h.deliver(filter)) n++;
      return n;
    },
    drop(filter) {
      const before = h.inFlight.length;
      h.inFlight = h.inFlight.filter((p) => !filter(p));
      return before - h.inFlight.length;
    },
    duplicate(filter) {
      const copies = h.inFlight.filter(filter).map((p) => ({ ...p }));
      h.inFlight.push(...copies);
      return copies.length;
    },
    advance(us) {
      const end = h.time_us + us;
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        h.time_us = next.at;
        if (h.down.has(next.node) || epochs.get(next.node) !== next.epoch) continue;
        step(next.node, (s, c) => engine.onTimer(s, next.timer, c));
      }
      h.time_us = end;
    },
    crash(node) {
      const n = nodeId(node);
      const s = h.states.get(n);
      if (s !== undefined) durables.set(n, engine.durable(s));
      h.down.add(n);
      epochs.set(n, (epochs.get(n) ?? 0) + 1);
      h.inFlight = h.inFlight.filter((p) => p.to !== n);
    },
    restart(node) {
      const n = nodeId(node);
      h.down.delete(n);
      const c = makeCtx(n);
      h.states.set(n, engine.init(n, durables.get(n), c.ctx));
      flush(n, c.effects);
    },
    ctx: (node) => makeCtx(nodeId(node)).ctx,
  };

  // One random stream per node for the whole test, as the kernel does: re-creating it at every
  // step would make a node draw the same "random" election timeout every time.
  const rngs = new Map<NodeId, ReturnType<typeof stream>>();
  const rngOf = (n: NodeId) => {
    let r = rngs.get(n);
    if (!r) {
      r = opts.seed === undefined ? fromUniform(fixed(), `engine/${n}`) : stream(opts.seed, `engine/${n}`);
      rngs.set(n, r);
    }
    return r;
  };

  function makeCtx(n: NodeId): { ctx: Ctx<M>; effects: Effect<M>[] } {
    const effects: Effect<M>[] = [];
    const offset = opts.clockOffset_us?.[n] ?? 0;
    const rng = rngOf(n);
    const ctx: Ctx<M> = {
      self: n,
      region: topology.regionOf(n),
      topology,
      now: () => micros(h.time_us + offset),
      send: (to, msg) => effects.push({ type: 'send', to, msg }),
      setTimer: (after_us, timer) => effects.push({ type: 'timer', after_us, timer }),
      reply: (op, result) => effects.push({ type: 'reply', op, result }),
      applied: (key, value, op, version) => effects.push({ type: 'apply', key, value, op, version }),
      invariant: (message, ops) => effects.push({ type: 'invariant', message, ops }),
      rng,
    };
    return { ctx, effects };
  }

  function flush(n: NodeId, effects: Effect<M>[]): void {
    for (const e of effects) {
      h.trace.push({ node: n, effect: e });
      switch (e.type) {
        case 'send':
          h.inFlight.push({ from: n, to: e.to, msg: e.msg });
          break;
        case 'timer':
          timers.push({ at: h.time_us + e.after_us, seq: seq++, node: n, timer: e.timer, epoch: epochs.get(n) ?? 0 });
          break;
        case 'reply':
          h.replies.push({ node: n, op: e.op, result: e.result, t: h.time_us });
          break;
        case 'apply':
          h.applies.push({ node: n, key: e.key, value: e.value, op: e.op, version: e.version, t: h.time_us });
          break;
        case 'invariant':
          h.invariants.push({ node: n, message: e.message });
          break;
        case 'metric':
          break;
        default: {
          const never: never = e;
          throw new Error(`unknown effect ${JSON.stringify(never)}`);
        }
      }
    }
  }

  function step(n: NodeId, f: (s: S, c: Ctx<M>) => void): void {
    const s = h.states.get(n);
    if (s === undefined) throw new Error(`no state for ${n}`);
    const c = makeCtx(n);
    f(s, c.ctx);
    flush(n, c.effects);
  }

  for (const n of nodes) {
    epochs.set(n, 0);
    const c = makeCtx(n);
    h.states.set(n, engine.init(n, undefined, c.ctx));
    flush(n, c.effects);
  }
  return h;
}

/** A deterministic stand-in stream for tests that do not care about randomness. */
function fixed(): () => number {
  let i = 0;
  return () => ((i++ * 0.6180339887) % 1);
}

/** Microseconds as the branded type engines use (`t(1500)`). */
export const t = (n: number): Micros => micros(n);
