/**
 * The async replication engine: every node is a replica of every key; a write is applied
 * locally and acknowledged at once, then shipped to every other node through a
 * per-destination change queue (see queue.ts) and merged there by the conflict rule (see
 * rule.ts). With `ownership: home`, writes are forwarded to the key's owner. Reads follow
 * `workload.read_from`: `local` (the client's node answers), `leader` (forwarded to the key's
 * owner, as writes are under `ownership: home`), `quorum` (a majority's merged state, reads.ts).
 */
import type { NodeId } from '../../sim/ids.js';
import { micros, SEC } from '../../sim/time.js';
import type { AsyncEngineSpec } from '../../scenario/types.js';
import type { ClientRequest, Ctx, Engine, EngineConfig, OpResult, Timer } from '../engine.js';
import { ownerOf } from './ownership.js';
import { ack, depth, enqueue, newQueue, onRetry, pump, unacked } from './queue.js';
import { quorumReads } from './reads.js';
import type { Env, Rule } from './rule.js';
import { engineName, selectRule } from './rules/select.js';
import { localStamp, observeTs } from './timestamp.js';
import type { AsyncDurable, AsyncMsg, AsyncState, Entry, OutQueue } from './types.js';

/** An out-of-rights node asks a peer again for the same key after this long (its own clock). */
const RIGHTS_ASK_INTERVAL_US = SEC;

export type AsyncEngine = Engine<AsyncState, AsyncMsg, AsyncDurable>;

export function createAsyncEngine(cfg: EngineConfig): AsyncEngine {
  if (cfg.spec.type !== 'async') throw new Error(`createAsyncEngine: spec type ${cfg.spec.type}`);
  const spec: AsyncEngineSpec = cfg.spec;
  const rule: Rule<unknown, unknown> = selectRule(spec, cfg.model, cfg.topology.nodes);
  const topology = cfg.topology;
  const batch = Math.max(1, Math.floor(spec.batch) || 1);
  const queueLimit = spec.queue_limit > 0 ? spec.queue_limit : Infinity;
  const supersedes = spec.coalesce ? rule.supersedes?.bind(rule) : undefined;
  const readFrom = cfg.read_from ?? 'local';

  // One Env per (state, ctx), made on first use: building it per operation cost three
  // allocations per client op on the hot path.
  const envs = new WeakMap<AsyncState, { ctx: Ctx<AsyncMsg>; env: Env }>();
  function envOf(s: AsyncState, ctx: Ctx<AsyncMsg>): Env {
    const cached = envs.get(s);
    if (cached !== undefined && cached.ctx === ctx) return cached.env;
    const env: Env = {
      self: s.self,
      rank: s.rank,
      nodes: topology.nodes,
      stamp: () => localStamp(spec.timestamps, s.hlc, ctx.now(), s.rank, ++s.changeSeq),
      uid: () => `${s.self}#${++s.changeSeq}`,
    };
    envs.set(s, { ctx, env });
    return env;
  }

  function stateOf(s: AsyncState, key: string): unknown {
    let st = s.store.get(key);
    if (st === undefined) {
      st = rule.empty();
      s.store.set(key, st);
    }
    return st;
  }

  /** Merges a change into this replica and records the apply when the visible value moved. */
  function mergeInto(s: AsyncState, key: string, change: unknown, ctx: Ctx<AsyncMsg>): void {
    const st = stateOf(s, key);
    if (!rule.merge(st, change)) return;
    const op = rule.opOf(change);
    ctx.applied(key, rule.visible(st), op === undefined ? undefined : (op as never), rule.version(st));
  }

  function ship(s: AsyncState, ctx: Ctx<AsyncMsg>): void {
    if (spec.flush_interval_us > 0) {
      if (!s.flushArmed) {
        s.flushArmed = true;
        ctx.setTimer(spec.flush_interval_us, { kind: 'flush' });
      }
      return;
    }
    for (const q of s.out.values()) pump(q, batch, ctx);
  }

  /** Backpressure: a change is refused, never dropped, when any destination's queue is full. */
  function queueFull(s: AsyncState): boolean {
    for (const q of s.out.values()) if (depth(q) >= queueLimit) return true;
    return false;
  }

  /** Applies a change made here and queues it for every other node. */
  function commitLocal(s: AsyncState, key: string, st: unknown, change: unknown, ctx: Ctx<AsyncMsg>): void {
    if (!s.store.has(key)) s.store.set(key, st);
    mergeInto(s, key, change, ctx);
    const pending = { copies: 0 };
    for (const q of s.out.values()) s.pendingChanges -= enqueue(q, key, change, pending, supersedes);
    if (pending.copies > 0) s.pendingChanges++;
    ship(s, ctx);
  }

  /**
   * Anti-entropy after a restart that lost this node's queues (Dynamo/Cassandra repair, made
   * simple). The persisted counters tell which peers had changes waiting, not which changes,
   * so the node re-offers its whole store to each of them: per key in sorted order, the
   * rule's `asChanges` of the key's state, which the peer merges like any change (idempotent,
   * so what it already has costs nothing but the bytes). The offers go through the ordinary
   * queue, so seqs, acks, go-back-N retries, batching and the send window apply unchanged, and
   * a crash during the repair leaves unacked entries that trigger it again. The queue is fed
   * no deeper than `queue_limit` (one key's changes may pass it when the queue is empty); the
   * rest waits here until acks make room. While the queue is at its limit, client writes are
   * refused with `queue-full`, as during a partition: repair first, acknowledged data is at stake.
   */
  function feedRepair(s: AsyncState, q: OutQueue): void {
    const r = s.repair.get(q.dest);
    if (!r) return;
    while (r.next < r.keys.length) {
      const key = r.keys[r.next] as string;
      const st = s.store.get(key);
      const changes = st === undefined ? [] : rule.asChanges(st);
      if (changes.length > 0 && depth(q) > 0 && depth(q) + changes.length > queueLimit) return;
      r.next++;
      if (changes.length === 0) continue;
      const pending: Entry['pending'] = { copies: 0, repair: true };
      for (const ch of changes) s.pendingChanges -= enqueue(q, key, ch, pending, supersedes);
      if (pending.copies > 0) s.pendingChanges++;
      s.stats.antiEntropyKeys++;
    }
    s.repair.delete(q.dest);
  }

  /** Runs an operation at this replica (the client's node, or the owner of a forwarded write). */
  function execute(s: AsyncState, req: ClientRequest, ctx: Ctx<AsyncMsg>): OpResult {
    // A read must not create the key: replicas that were only read would list it in `final`.
    const st = s.store.get(req.key) ?? rule.empty();
    const out = rule.local(st, req, envOf(s, ctx));
    if (out.type === 'reply') {
      if (req.f === 'read' && rule.siblings) s.stats.maxSiblingsRead = Math.max(s.stats.maxSiblingsRead, rule.siblings(st));
      if (out.result.type === 'fail' && out.result.error === 'out-of-stock') askForRights(s, st, req, ctx);
      return out.result;
    }
    if (queueFull(s)) {
      s.stats.refusedQueueFull++;
      return { type: 'fail', error: 'queue-full' };
    }
    commitLocal(s, req.key, st, out.change, ctx);
    return out.reply(st);
  }

  /** Answers a read from a key state that is not necessarily this replica's (a quorum merge). */
  function readOf(s: AsyncState, st: unknown, req: ClientRequest, ctx: Ctx<AsyncMsg>): OpResult {
    const out = rule.local(st, req, envOf(s, ctx));
    if (out.type !== 'reply') throw new Error(`async: a read of ${req.key} made a change`);
    if (rule.siblings) s.stats.maxSiblingsRead = Math.max(s.stats.maxSiblingsRead, rule.siblings(st));
    return out.result;
  }
  const quorum = quorumReads(rule, topology, readOf);

  /** Escrow: out of local rights, ask the richest peer for some (at most once per key per second). */
  function askForRights(s: AsyncState, st: unknown, req: ClientRequest, ctx: Ctx<AsyncMsg>): void {
    const need = rule.shortage?.(st, req, envOf(s, ctx));
    if (!need) return;
    const last = s.askedRights.get(req.key);
    if (last !== undefined && ctx.now() - last < RIGHTS_ASK_INTERVAL_US) return;
    s.askedRights.set(req.key, ctx.now());
    ctx.send(need.from, { type: 'rights-req', key: req.key, want: need.want });
  }

  function onChanges(s: AsyncState, from: NodeId, msg: Extract<AsyncMsg, { type: 'changes' }>, ctx: Ctx<AsyncMsg>): void {
    let got = s.received.get(from) ?? 0;
    // The sender no longer holds seqs below `head` (its volatile queue died with a crash).
    if (msg.head - 1 > got) got = msg.head - 1;
    for (const e of msg.entries) {
      if (e.seq <= got) continue; // duplicate: already applied
      if (e.seq !== got + 1) break; // a gap: an earlier batch was lost; wait for the resend
      if (spec.timestamps === 'hybrid') {
        const ts = rule.stampOf(e.change);
        if (ts) observeTs(s.hlc, ts, ctx.now());
      }
      mergeInto(s, e.key, e.change, ctx);
      got = e.seq;
    }
    s.received.set(from, got);
    ctx.send(from, { type: 'ack', upto: got });
  }

  return {
    name: engineName(spec),
    init(self, durable, ctx) {
      const rank = topology.nodes.indexOf(self);
      const out = new Map<NodeId, OutQueue>();
      for (const n of topology.nodes) {
        if (n === self) continue;
        const d = durable?.queues.get(n);
        const entries = d?.entries ? [...d.entries] : [];
        const nextSeq = d?.nextSeq ?? 1;
        const acked = d?.entries ? d.acked : nextSeq - 1;
        out.set(n, newQueue(n, nextSeq, acked, entries, d?.maxDepth ?? 0, spec.coalesce, d?.coalesced ?? 0));
      }
      const seen = new Set<Entry['pending']>();
      for (const q of out.values()) for (const e of unacked(q)) seen.add(e.pending);
      const s: AsyncState = {
        self,
        rank,
        store: new Map(durable?.store ?? []),
        hlc: durable ? { ...durable.hlc } : { l: 0, c: 0 },
        changeSeq: durable?.changeSeq ?? 0,
        out,
        received: new Map(durable?.received ?? []),
        flushArmed: false,
        pendingChanges: seen.size,
        awaitingFwd: new Set(),
        fwdDone: new Map(),
        askedRights: new Map(),
        repair: new Map(),
        readSeq: durable?.readSeq ?? 0,
        pendingReads: new Map(),
        stats: durable ? { ...durable.stats } : { changesLost: 0, refusedQueueFull: 0, maxSiblingsRead: 0, antiEntropyKeys: 0 },
      };
      // Anti-entropy toward every peer whose volatile queue died with unacked changes.
      const keys = [...s.store.keys()].sort();
      for (const q of out.values()) {
        if ((durable?.queues.get(q.dest)?.unacked ?? 0) === 0) continue;
        s.repair.set(q.dest, { keys, next: 0 });
        feedRepair(s, q);
      }
      // Drain on restart: a durable queue, or a repair, starts shipping at once.
      if (s.pendingChanges > 0) {
        s.flushArmed = true;
        ctx.setTimer(micros(0), { kind: 'flush' });
      }
      return s;
    },
    durable(s) {
      const keep = spec.durable_queue;
      const queues: AsyncDurable['queues'] = new Map();
      // Repair offers that die are not lost changes: the state is in the store, offered again.
      const repairs = new Set<Entry['pending']>();
      for (const q of s.out.values()) {
        if (!keep) for (const e of unacked(q)) if (e.pending.repair) repairs.add(e.pending);
        queues.set(q.dest, {
          nextSeq: q.nextSeq,
          acked: keep ? q.acked : q.nextSeq - 1,
          entries: keep ? unacked(q) : undefined,
          maxDepth: q.maxDepth,
          coalesced: q.coalesced,
          unacked: keep ? 0 : depth(q),
        });
      }
      return {
        store: s.store,
        hlc: s.hlc,
        changeSeq: s.changeSeq,
        received: s.received,
        ...(s.readSeq > 0 ? { readSeq: s.readSeq } : {}),
        queues,
        stats: {
          ...s.stats,
          changesLost: s.stats.changesLost + (keep ? 0 : s.pendingChanges - repairs.size),
        },
      };
    },
    onRequest(s, req, ctx) {
      if (req.f === 'read' && readFrom === 'quorum') {
        quorum.start(s, req, ctx);
        return;
      }
      if (req.f === 'read' ? readFrom === 'leader' : spec.ownership === 'home') {
        const owner = ownerOf(req.key, spec.homes, topology);
        if (owner !== s.self) {
          s.awaitingFwd.add(req.op);
          if (req.f === 'read') s.stats.readsForwarded = (s.stats.readsForwarded ?? 0) + 1;
          ctx.send(owner, { type: 'fwd', req });
          return;
        }
      }
      ctx.reply(req.op, execute(s, req, ctx));
    },
    onMessage(s, from, msg, ctx) {
      switch (msg.type) {
        case 'changes':
          onChanges(s, from, msg, ctx);
          return;
        case 'ack': {
          const q = s.out.get(from);
          if (!q) return;
          s.pendingChanges -= ack(q, msg.upto);
          feedRepair(s, q);
          pump(q, batch, ctx);
          return;
        }
        case 'fwd': {
          // A read is answered from the owner's replica as it is now; nothing to remember.
          if (msg.req.f === 'read') {
            ctx.send(from, { type: 'fwd-reply', op: msg.req.op, result: readOf(s, s.store.get(msg.req.key) ?? rule.empty(), msg.req, ctx) });
            return;
          }
          // A duplicated forward is answered again, never executed twice.
          let result = s.fwdDone.get(msg.req.op);
          if (!result) {
            result = execute(s, msg.req, ctx);
            s.fwdDone.set(msg.req.op, result);
          }
          ctx.send(from, { type: 'fwd-reply', op: msg.req.op, result });
          return;
        }
        case 'rights-req': {
          const st = s.store.get(msg.key) ?? rule.empty();
          const change = rule.grant?.(st, from, msg.want, envOf(s, ctx));
          if (change !== undefined && !queueFull(s)) commitLocal(s, msg.key, st, change, ctx);
          return;
        }
        case 'read-req':
          quorum.onReadReq(s, from, msg, ctx);
          return;
        case 'read-rep':
          quorum.onReadRep(s, from, msg, ctx);
          return;
        case 'fwd-reply':
          if (s.awaitingFwd.delete(msg.op)) ctx.reply(msg.op as never, msg.result);
          return;
        default: {
          const never: never = msg;
          throw new Error(`unknown async message ${JSON.stringify(never)}`);
        }
      }
    },
    onTimer(s, timer: Timer, ctx) {
      switch (timer.kind) {
        case 'flush':
          s.flushArmed = false;
          for (const q of s.out.values()) pump(q, batch, ctx);
          return;
        case 'retry': {
          const d = timer.data as { dest: NodeId; gen: number };
          const q = s.out.get(d.dest);
          if (q) onRetry(q, d.gen, batch, ctx);
          return;
        }
        case 'read-give-up':
          quorum.onGiveUp(s, timer.data as number);
          return;
        default:
          throw new Error(`unknown async timer ${timer.kind}`);
      }
    },
    finalState(s) {
      return [...s.store.keys()].sort().map((key) => ({ key, value: rule.visible(s.store.get(key)) }));
    },
    metrics(s) {
      // The runner merges node metrics: `max_*` by maximum, the rest by sum; names carry no dots
      // because `expect` paths split on them (`engine.max_queue_depth_to_eu-west`).
      const m: Record<string, number> = { max_queue_depth: 0 };
      for (const r of topology.regions) m[`max_queue_depth_to_${r}`] = 0;
      for (const q of s.out.values()) {
        const k = `max_queue_depth_to_${topology.regionOf(q.dest)}`;
        m[k] = Math.max(m[k] ?? 0, q.maxDepth);
        m.max_queue_depth = Math.max(m.max_queue_depth ?? 0, q.maxDepth);
      }
      m.changes_lost_in_queues = s.stats.changesLost;
      if (spec.coalesce) {
        m.changes_coalesced = 0;
        for (const q of s.out.values()) m.changes_coalesced += q.coalesced;
      }
      m.writes_refused_queue_full = s.stats.refusedQueueFull;
      m.anti_entropy_keys = s.stats.antiEntropyKeys;
      if (rule.siblings) m.max_siblings_read = s.stats.maxSiblingsRead;
      // Only when asked for, so the metrics (and goldens) of local-read runs stay as they were.
      if (readFrom === 'quorum') {
        m.quorum_reads = s.stats.quorumReads ?? 0;
        m.quorum_reads_abandoned = s.stats.quorumReadsAbandoned ?? 0;
        m.quorum_reads_pending = s.pendingReads.size;
      }
      if (readFrom === 'leader') m.reads_forwarded = s.stats.readsForwarded ?? 0;
      return m;
    },
  };
}
