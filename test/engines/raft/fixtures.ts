/**
 * Raft test fixtures: a harness with the raft engine, a loop that moves time in small steps
 * and delivers every message a "network" function lets through, and global views (leaders,
 * logs) that only tests may take.
 */
import type { Ctx, Engine } from '../../../src/engines/engine.js';
import { stream, type Rng } from '../../../src/sim/rng.js';
import { createRaftEngine } from '../../../src/engines/raft/engine.js';
import type { Group, Msg, NodeState } from '../../../src/engines/raft/types.js';
import type { RaftEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import { micros } from '../../../src/sim/time.js';
import { nodeId, type NodeId } from '../../../src/sim/ids.js';
import { createHarness, topologyOf, type Harness, type HarnessOptions, type Pending } from '../harness.js';

export const NODES3 = ['us-east/0', 'eu-west/0', 'ap-northeast/0'];
export const NODES5 = ['r1/0', 'r2/0', 'r3/0', 'r4/0', 'r5/0'];

export function raftSpec(over: Partial<RaftEngineSpec> = {}): RaftEngineSpec {
  return {
    type: 'raft',
    ranges: 1,
    replication_factor: 3,
    placement: { kind: 'spread' },
    reads: 'read-index',
    election_timeout_us: micros(1_000_000),
    heartbeat_us: micros(100_000),
    lease_us: micros(900_000),
    prevote: true,
    check_quorum: true,
    quiesce: false,
    ...over,
  };
}

export type RaftHarness = Harness<NodeState, Msg>;

export function raftHarness(
  over: Partial<RaftEngineSpec> = {},
  opts: Partial<HarnessOptions> = {},
  model: WorkloadModel = 'register',
) {
  const nodes = opts.nodes ?? NODES3;
  const spec = raftSpec({ replication_factor: nodes.length >= 5 ? 5 : 3, ...over });
  const topology = topologyOf(nodes.map(nodeId), opts.latency_us);
  const engine = createRaftEngine({ spec, model, topology });
  const h = createHarness(persistentRng(engine, opts.seed ?? 1), { seed: 1, ...opts, nodes });
  return { h, engine, spec };
}

/**
 * The harness builds a fresh ctx (and so restarts the rng stream) for every step, which would
 * give a node the same "random" election timeout every time and can split votes forever.
 * The kernel keeps one stream per node; this wrapper does the same for tests.
 */
function persistentRng<S, M, D>(engine: Engine<S, M, D>, seed: number): Engine<S, M, D> {
  const streams = new Map<string, Rng>();
  const fix = (ctx: Ctx<M>): Ctx<M> => {
    let rng = streams.get(ctx.self);
    if (!rng) {
      rng = stream(seed, `engine/${ctx.self}`);
      streams.set(ctx.self, rng);
    }
    return { ...ctx, rng, now: ctx.now, send: ctx.send };
  };
  return {
    ...engine,
    init: (self, durable, ctx) => engine.init(self, durable, fix(ctx)),
    onRequest: (s, req, ctx) => engine.onRequest(s, req, fix(ctx)),
    onMessage: (s, from, msg, ctx) => engine.onMessage(s, from, msg, fix(ctx)),
    onTimer: (s, timer, ctx) => engine.onTimer(s, timer, fix(ctx)),
  };
}

/** Which messages the network drops (partitions), by sender and receiver. */
export type Cut = (from: NodeId, to: NodeId) => boolean;
export const noCut: Cut = () => false;
/** Cuts `isolated` from everyone else (both ways). */
export const isolate =
  (...isolated: string[]): Cut =>
  (a, b) =>
    isolated.includes(a) !== isolated.includes(b);

/**
 * Moves time forward `us` in steps of `step_us`, delivering after each step every message the
 * cut lets through (messages sent while delivering are delivered in the same step: latency is
 * zero in the harness) and dropping the rest. `check` runs after every step.
 */
export function run(h: RaftHarness, us: number, cut: Cut = noCut, check?: () => void, step_us = 10_000): void {
  const end = h.time_us + us;
  while (h.time_us < end) {
    h.advance(Math.min(step_us, end - h.time_us));
    for (let rounds = 0; rounds < 1000 && h.inFlight.length > 0; rounds++) {
      h.drop((p: Pending<Msg>) => cut(p.from, p.to) || h.down.has(p.to));
      if (!h.deliver()) break;
      check?.();
    }
    check?.();
  }
}

export function group(h: RaftHarness, node: string, range = 0): Group {
  const s = h.states.get(node as NodeId);
  const g = s?.groups.get(range);
  if (!g) throw new Error(`${node} does not replicate range ${range}`);
  return g;
}

/** Live nodes that currently believe they lead `range`. */
export function leaders(h: RaftHarness, range = 0): NodeId[] {
  const out: NodeId[] = [];
  for (const [n, s] of h.states) {
    if (h.down.has(n)) continue;
    if (s.groups.get(range)?.role === 'leader') out.push(n);
  }
  return out;
}

/** Runs until exactly one live leader exists (or fails after `max_us`). */
export function awaitLeader(h: RaftHarness, cut: Cut = noCut, max_us = 20_000_000, range = 0): NodeId {
  const end = h.time_us + max_us;
  while (h.time_us < end) {
    run(h, 10_000, cut);
    const ls = leaders(h, range).filter((n) => !isCutOffFromMajority(h, n, cut));
    if (ls.length === 1) return ls[0] as NodeId;
  }
  throw new Error(`no leader within ${max_us} us`);
}

function isCutOffFromMajority(h: RaftHarness, n: NodeId, cut: Cut): boolean {
  const all = [...h.states.keys()];
  const reach = all.filter((m) => m === n || (!cut(n, m) && !h.down.has(m))).length;
  return reach < Math.floor(all.length / 2) + 1;
}

/** Index/term/op triples of a log, for comparisons. */
export function logOf(g: Group): Array<[number, number, number | null]> {
  return g.log.map((e, i) => [i + 1, e.term, e.op ? e.op.op : null]);
}

/** Message filter helpers. */
export const isType =
  (t: Msg['type']) =>
  (p: Pending<Msg>): boolean =>
    p.msg.type === t;
