/**
 * The Raft-per-range engine: one Raft group per range this node replicates (group.ts), plus
 * the node-level work around them: one logical tick timer driving every group, client
 * requests routed to the range's leader (or, for follower reads, to a local replica), and the
 * origin node replying to its client exactly once.
 *
 * Routing: the node a client talks to (the origin) keeps the request until it can reply. It
 * sends the request to the leader it knows (its own group's leader, or a hint learnt from
 * earlier replies when it does not replicate the range, or else the nearest replica); a node
 * that is not the leader passes it on (at most `maxHops` times) or bounces it back. The origin
 * retries after an election timeout, so a request survives a leader change; a retried write
 * that lands in the log twice applies once (model.ts). A request stuck in a minority never
 * gets an answer, so its client times out (`info`), never `ok`.
 */
import type { NodeId, OpId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { Value } from '../../history/types.js';
import type { Ctx, Engine, EngineConfig, OpResult, Timer } from '../engine.js';
import { buildConfig, type RaftConfig } from './config.js';
import { flushRound, leaderRead, newGroup, ownMachine, propose, stepGroup, tickGroup, type Env } from './group.js';
import { isWrite, readValue } from './model.js';
import { stateOfVisible } from '../model.js';
import { rangeOf } from './placement.js';
import type { Msg, NodeDurable, NodeMetrics, NodeState, RoutedRequest } from './types.js';
import { newQuiet, onLiveness, settle, tickQuiet, wake } from './quiet.js';

const TICK = 'tick';

function emptyMetrics(): NodeMetrics {
  return {
    campaigns: 0,
    became_leader: 0,
    transfers: 0,
    elect_us_max: 0,
    elect_us_sum: 0,
    elect_count: 0,
    lease_reads: 0,
    read_index_reads: 0,
    follower_reads: 0,
    forwards: 0,
    writes_ok: 0,
    write_us_sum: 0,
    leaderless_ticks_max: 0,
    follower_read_age_us_max: 0,
    follower_read_age_us_sum: 0,
  };
}

/** Builds the engine for a resolved `raft` scenario. */
export function createRaftEngine(ecfg: EngineConfig): Engine<NodeState, Msg, NodeDurable> {
  if (ecfg.spec.type !== 'raft') throw new Error(`createRaftEngine needs a raft spec, got ${ecfg.spec.type}`);
  const spec = ecfg.spec;
  const cfg = buildConfig(spec, ecfg.model, ecfg.topology);
  const placementName = spec.placement.kind === 'spread' ? 'spread' : `${spec.placement.kind}-${spec.placement.region}`;

  /** The step environment of node `s`, built once per ctx (the kernel keeps one ctx per node run). */
  const envOf = (s: NodeState, ctx: Ctx<Msg>): Env => {
    const kept = s.env;
    if (kept !== undefined && kept.ctx === ctx) return kept;
    const env: Env = {
      cfg,
      ctx,
      metrics: s.metrics,
      send: cfg.quiesce ? (to, msg) => post(s, to, msg) : (to, msg) => ctx.send(to, msg),
      deliver: (g, req, result) => deliver(s, g.range, req, result, env),
    };
    s.env = env;
    return env;
  };

  const setTick = (s: NodeState, ctx: Ctx<Msg>): void =>
    ctx.setTimer(micros(cfg.tick_us), { kind: TICK, data: s.tickGen });

  /** Ends a tick: sends the read-confirmation rounds the step made due. */
  const flush = (s: NodeState, env: Env): void => {
    for (const g of s.groups.values()) flushRound(g, env);
  };

  /**
   * Ends a request or message step, which touches one range only: every step ends with its
   * rounds sent, so no other group can have one due. (Looping over every group here made each
   * message cost O(ranges): `ranges: 100000` ran for minutes.)
   */
  const flushRange = (s: NodeState, range: number, env: Env): void => {
    const g = s.groups.get(range);
    if (g) {
      flushRound(g, env);
      if (s.quiet) settle(s.quiet, g);
    }
  };

  /** Holds a message until the end of the step (coalescing, `quiesce: true`). */
  const post = (s: NodeState, to: NodeId, msg: Msg): void => {
    const out = (s.outbox ??= new Map());
    const msgs = out.get(to);
    if (msgs === undefined) out.set(to, [msg]);
    else msgs.push(msg);
  };

  /** Ends a step: one message per destination, in the order destinations were first sent to. */
  const sendHeld = (s: NodeState, ctx: Ctx<Msg>): void => {
    const out = s.outbox;
    if (out === undefined || out.size === 0) return;
    for (const [to, msgs] of out) ctx.send(to, msgs.length === 1 ? (msgs[0] as Msg) : { type: 'batch', range: -1, msgs });
    out.clear();
  };

  return {
    name: `raft/${spec.reads}/${placementName}`,

    init(self, durable, ctx) {
      const s: NodeState = {
        self,
        groups: new Map(),
        hints: new Map(),
        pending: new Map(),
        tickGen: 0,
        metrics: emptyMetrics(),
      };
      const env = envOf(s, ctx);
      const saved = new Map((durable ?? []).map((d) => [d.range, d]));
      for (const r of cfg.rangesOf.get(self) ?? []) {
        const p = cfg.placements[r];
        if (p) s.groups.set(r, newGroup(p, self, saved.get(r), env));
      }
      // Nodes do not boot in lockstep: a random phase for the first tick keeps their timeouts
      // from firing at the very same instants (which makes split votes likelier).
      ctx.setTimer(micros(1 + ctx.rng.int(cfg.tick_us)), { kind: TICK, data: s.tickGen });
      // An incarnation number, drawn after everything else so that runs without quiescence draw as before.
      if (cfg.quiesce) s.quiet = newQuiet(cfg, self, s.groups.values(), 1 + ctx.rng.int(1 << 30));
      return s;
    },

    durable(s) {
      // Shares the log arrays: the kernel keeps them only for a crashed node, whose state is gone.
      const out: NodeDurable = [];
      for (const g of s.groups.values()) {
        out.push({ range: g.range, term: g.term, vote: g.vote, commit: g.commit, log: g.log });
      }
      return out;
    },

    onRequest(s, req, ctx) {
      const range = rangeOf(req.key, cfg.ranges);
      const routed: RoutedRequest = { op: req.op, client: req.client, f: req.f, key: req.key, origin: s.self };
      if (req.value !== undefined) routed.value = req.value;
      const env = envOf(s, ctx);
      const pending = { req: routed, range, retryIn: 1, attempts: 0, waited: false, started: ctx.now(), age: 0 };
      s.pending.set(req.op, pending);
      const placed = route(s, routed, range, 0, env);
      if (placed && s.pending.has(req.op)) {
        pending.retryIn = cfg.electionTicks;
        pending.waited = true;
      }
      flushRange(s, range, env);
      sendHeld(s, ctx);
    },

    onMessage(s, from, msg, ctx) {
      step(s, from, msg, envOf(s, ctx));
      sendHeld(s, ctx);
    },

    onTimer(s, timer: Timer, ctx) {
      if (timer.kind !== TICK || timer.data !== s.tickGen) return;
      tick(s, envOf(s, ctx));
      sendHeld(s, ctx);
    },

    // Restore: each range's state machine becomes the entries of its keys. The log, its commit
    // index and the applied position stay, so entries already applied are not applied again:
    // restoring one replica beneath Raft leaves it apart from its group until later writes.
    restore(s, entries) {
      for (const g of s.groups.values()) {
        g.machine.values.clear();
        g.machine.states.clear();
        g.machine.versions.clear();
      }
      for (const e of entries) {
        const g = s.groups.get(rangeOf(e.key, cfg.ranges));
        if (!g) continue;
        const m = ownMachine(g);
        m.values.set(e.key, e.value);
        m.states.set(e.key, stateOfVisible(cfg.model, e.value));
        if (e.version !== undefined) m.versions.set(e.key, e.version);
      }
    },

    finalState(s) {
      const out: Array<{ key: string; value: Value }> = [];
      for (const g of s.groups.values()) {
        for (const [key, value] of g.machine.values) out.push({ key, value });
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    metrics(s) {
      const m = s.metrics;
      const leaders = [...s.groups.values()].filter((g) => g.role === 'leader').length;
      const region = ecfg.topology.regionOf(s.self);
      // `max_*` merge by maximum across nodes in the runner; the rest add up.
      return {
        raft_campaigns: m.campaigns,
        raft_leader_elections: m.became_leader,
        raft_transfers: m.transfers,
        max_raft_elect_ms: m.elect_us_max / 1000,
        raft_elect_ms_sum: m.elect_us_sum / 1000,
        raft_elect_count: m.elect_count,
        raft_lease_reads: m.lease_reads,
        raft_read_index_reads: m.read_index_reads,
        raft_follower_reads: m.follower_reads,
        max_raft_follower_read_age_ms: m.follower_read_age_us_max / 1000,
        raft_follower_read_age_ms_sum: m.follower_read_age_us_sum / 1000,
        raft_forwards: m.forwards,
        raft_leaders_at_end: leaders,
        max_raft_replica_leaderless_ms: (m.leaderless_ticks_max * cfg.tick_us) / 1000,
        [`raft_writes_ok_${region}`]: m.writes_ok,
        // only with quiesce: true, so other runs' metrics (and goldens) stay as they were
        ...(s.quiet ? { raft_ranges_quiet_at_end: [...s.groups.values()].filter((g) => g.quiesced).length } : {}),
        // the worst node average in each region (runner merges max_* by maximum)
        ...(m.writes_ok > 0 ? { [`max_raft_write_ms_mean_${region}`]: m.write_us_sum / m.writes_ok / 1000 } : {}),
      };
    },
  };

  /** Handles one message (a batch's messages one by one, in the order they were sent). */
  function step(s: NodeState, from: NodeId, msg: Msg, env: Env): void {
    switch (msg.type) {
      case 'app':
      case 'app-resp':
      case 'vote':
      case 'vote-resp':
      case 'timeout-now': {
        const g = s.groups.get(msg.range);
        if (!g) break;
        // Any consensus message wakes a quiet group, except the quiesce notice itself and a
        // plain answer to it (those would wake the range they put to sleep).
        if (s.quiet && g.quiesced && !(msg.type === 'app' && msg.quiesce === true) && !(msg.type === 'app-resp' && !msg.reject && msg.term === g.term)) {
          wake(s, s.quiet, g, env);
        }
        stepGroup(g, from, msg, env);
        break;
      }
      case 'liveness':
        if (s.quiet) onLiveness(s, s.quiet, from, msg.boot, env);
        return;
      case 'batch':
        // never nested: a batch holds the messages of one step, and none of them is a batch
        for (const m of msg.msgs) step(s, from, m, env);
        return;
      case 'forward':
        route(s, msg.req, msg.range, msg.hops, env);
        break;
      case 'result':
        if (!s.groups.has(msg.range)) s.hints.set(msg.range, msg.leader);
        replyOnce(s, msg.op, msg.result, env.ctx);
        break;
      case 'not-leader': {
        const p = s.pending.get(msg.op);
        if (msg.leader !== undefined && !s.groups.has(msg.range)) s.hints.set(msg.range, msg.leader);
        if (p) {
          p.retryIn = Math.min(p.retryIn, 1);
          p.waited = false;
        }
        break;
      }
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
    flushRange(s, msg.range, env);
  }

  /** One logical tick of this node: the groups (only the awake ones with quiescence), then the origin's retries. */
  function tick(s: NodeState, env: Env): void {
    const q = s.quiet;
    if (q) {
      // Only awake groups tick: an idle range costs nothing here.
      tickQuiet(s, q, env);
      for (const g of q.awake) {
        tickGroup(g, env);
        settle(q, g);
      }
      retryPending(s, env);
      for (const g of q.awake) {
        flushRound(g, env);
        settle(q, g);
      }
      setTick(s, env.ctx);
      return;
    }
    for (const g of s.groups.values()) tickGroup(g, env);
    retryPending(s, env);
    flush(s, env);
    setTick(s, env.ctx);
  }

  /** Serves, forwards or bounces one request at this node; false when it is stuck here. */
  function route(s: NodeState, req: RoutedRequest, range: number, hops: number, env: Env): boolean {
    const g = s.groups.get(range);
    const read = !isWrite(req.f);
    if (read && cfg.reads === 'follower') {
      if (g) {
        s.metrics.follower_reads++;
        // How old this replica's view may be: it is current as of the leader's last message.
        const age = g.role === 'leader' || g.lastLeaderContact === null ? 0 : Math.max(0, env.ctx.now() - g.lastLeaderContact);
        s.metrics.follower_read_age_us_max = Math.max(s.metrics.follower_read_age_us_max, age);
        s.metrics.follower_read_age_us_sum += age;
        deliver(s, range, req, { type: 'ok', value: readValue(g.machine, cfg.model, req.key) }, env);
        return true;
      }
      return sendOn(s, req, range, hops, nearestReplica(cfg, s.self, range, env.ctx), env);
    }
    if (g && g.role === 'leader') {
      if (s.quiet) wake(s, s.quiet, g, env);
      if (read) leaderRead(g, req, env);
      else propose(g, req, env);
      return true;
    }
    const target = g ? g.lead : (s.hints.get(range) ?? nearestReplica(cfg, s.self, range, env.ctx));
    return sendOn(s, req, range, hops, target, env);
  }

  function sendOn(s: NodeState, req: RoutedRequest, range: number, hops: number, target: NodeId | null, env: Env): boolean {
    if (target !== null && target !== s.self && hops < cfg.maxHops) {
      s.metrics.forwards++;
      env.send(target, { type: 'forward', range, req, hops: hops + 1 });
      return true;
    }
    if (req.origin !== s.self) {
      const g = s.groups.get(range);
      const leader = g?.lead ?? undefined;
      const bounce: Msg = { type: 'not-leader', range, op: req.op };
      if (leader !== undefined && leader !== null) bounce.leader = leader;
      env.send(req.origin, bounce);
    }
    // At the origin with nowhere to send: the request waits for the next retry.
    return false;
  }

  /** Gives a result to the request's origin (locally, or by message). */
  function deliver(s: NodeState, range: number, req: RoutedRequest, result: OpResult, env: Env): void {
    if (req.origin === s.self) {
      replyOnce(s, req.op, result, env.ctx);
      return;
    }
    env.send(req.origin, { type: 'result', range, op: req.op, result, leader: s.self });
  }

  function replyOnce(s: NodeState, op: OpId, result: OpResult, ctx: Ctx<Msg>): void {
    const p = s.pending.get(op);
    if (!p) return; // already answered (a retried request answered twice)
    s.pending.delete(op);
    if (result.type === 'ok' && isWrite(p.req.f)) {
      s.metrics.writes_ok++;
      s.metrics.write_us_sum += Math.max(0, ctx.now() - p.started);
    }
    ctx.reply(op, result);
  }

  /** Origin: re-route requests whose last attempt got no answer within an election timeout. */
  function retryPending(s: NodeState, env: Env): void {
    for (const [op, p] of [...s.pending]) {
      p.age++;
      if (--p.retryIn > 0) continue;
      p.attempts++;
      if (p.age > cfg.maxPendingTicks) {
        s.pending.delete(op); // give up: the client times out (info)
        continue;
      }
      // A hint that produced no answer for a whole timeout is stale (that leader is gone or cut off).
      if (p.waited && !s.groups.has(p.range)) s.hints.delete(p.range);
      const placed = route(s, p.req, p.range, 0, env);
      p.waited = placed;
      p.retryIn = placed ? cfg.electionTicks : 1;
    }
  }
}

/** The replica of `range` closest to `self` by configured latency (ties: placement order). */
export function nearestReplica(cfg: RaftConfig, self: NodeId, range: number, ctx: Ctx<Msg>): NodeId | null {
  const p = cfg.placements[range];
  if (!p || p.replicas.length === 0) return null;
  let best: NodeId | null = null;
  let bestLatency = Infinity;
  for (const n of p.replicas) {
    const l = n === self ? 0 : ctx.topology.baseLatency(self, n);
    if (l < bestLatency) {
      best = n;
      bestLatency = l;
    }
  }
  return best;
}

