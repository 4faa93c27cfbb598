/**
 * The sync engine: synchronous replication by two-phase commit with locks on every copy.
 * See docs/sync.md for the lesson and the choices (wait-die, read locks, failure policies,
 * recovery) and the sibling files for each part of the protocol.
 */
import type { NodeId } from '../../sim/ids.js';
import type { Ctx, Engine, EngineConfig, Timer } from '../engine.js';
import type { SyncEngineSpec } from '../../scenario/types.js';
import { MS } from '../../sim/time.js';
import { onClientRequest, onCommitAck, onCommitRetry, onPrepareTimeout, onVote } from './coordinator.js';
import { adoptScope, onAdmin, onHeartbeat, onPing, onPong, onRemoveRes, resumeAfterRestart } from './membership.js';
import { onAntiEntropy, onAntiEntropyEntries } from './antientropy.js';
import { onAddRes, onCatchup, onCatchupAck, onJoin, onRejoined, onRejoinedAck, onWelcome } from './recovery.js';
import { onAddReq, onRemoveReq, onScopeReq } from './witness.js';
import { visible } from './model.js';
import { stateOfVisible } from '../model.js';
import type { Value } from '../../history/types.js';
import {
  applyAbort,
  applyCommit,
  onDecision,
  onDecisionReq,
  onPrepare,
  onPrepWaitTimeout,
  onReadWaitTimeout,
} from './participant.js';
import { makeIo, servingCopy, type Io } from './state.js';
import type { SyncConfig, SyncDurable, SyncMsg, SyncState, SyncTimer } from './types.js';

/** Keys per catch-up batch: one batch per round trip, so copy time grows with keys sent. */
export const CATCHUP_BATCH_KEYS = 10;

/** Resolves settings and derived timings (heartbeat, removal delay, read lease). */
export function syncConfig(cfg: EngineConfig): SyncConfig {
  const spec = cfg.spec as SyncEngineSpec;
  const topo = cfg.topology;
  const regionOfNode: Record<string, string> = {};
  for (const n of topo.nodes) regionOfNode[n] = topo.regionOf(n);
  let witnessRegion: string | null = null;
  if (spec.on_failure === 'witness') {
    const named = spec.witness !== undefined && topo.regions.includes(spec.witness as never);
    // without a (valid) witness region the last declared region arbitrates
    witnessRegion = named ? (spec.witness as string) : (topo.regions[topo.regions.length - 1] ?? null);
  }
  const copies = topo.nodes.filter((n) => regionOfNode[n] !== witnessRegion);
  const arbiter = witnessRegion === null ? null : (topo.nodesOf(witnessRegion as never)[0] ?? null);
  const remove_delay_us =
    spec.remove_after_us ?? (spec.on_failure === 'pause' ? Number.POSITIVE_INFINITY : spec.prepare_timeout_us);
  const basis = Math.min(spec.prepare_timeout_us, remove_delay_us);
  return {
    spec,
    model: cfg.model,
    copies: [...copies],
    regionOfNode,
    arbiter,
    heartbeat_us: Math.round(Math.min(100 * MS, Math.max(5 * MS, basis / 5))),
    remove_delay_us,
    read_lease: spec.on_failure !== 'split-brain' && Number.isFinite(remove_delay_us),
    lease_us: Math.round(0.8 * remove_delay_us),
    batch_keys: CATCHUP_BATCH_KEYS,
  };
}

function freshDurable(cfg: SyncConfig, role: SyncState['role']): SyncDurable {
  return {
    data: new Map(),
    txnSeq: 0,
    prepared: new Map(),
    decisions: new Map(),
    out: new Map(),
    pending: new Map(),
    selfRemoved: false,
    superseded: new Set(),
    incarnation: 0,
    arbiterScope: role === 'arbiter' ? [...cfg.copies] : null,
    epoch: 0,
    config: 0,
    counters: {
      commits: 0,
      aborts: 0,
      removals: 0,
      rejoins: 0,
      max_in_doubt_ms: 0,
      in_doubt_blocked_ms: 0,
      max_rejoin_ms: 0,
      keys_copied: 0,
    },
  };
}

function dispatch(s: SyncState, from: NodeId, m: SyncMsg, io: Io): void {
  switch (m.type) {
    case 'ping':
      return onPing(s, from, m, io);
    case 'pong':
      return onPong(s, from, m, io);
    case 'prepare':
      return onPrepare(s, from, m, io);
    case 'vote':
      return onVote(s, from, m, io);
    case 'commit':
      applyCommit(s, m, io);
      io.send(from, { type: 'commit-ack', txn: m.txn });
      return;
    case 'commit-ack':
      return void onCommitAck(s, from, m.txn, io);
    case 'abort':
      return applyAbort(s, m.txn, io);
    case 'decision-req':
      return onDecisionReq(s, from, m.txn, m.participants, io);
    case 'decision':
      return onDecision(s, m, io);
    case 'join':
      return onJoin(s, from, m.digest, m.inDoubt, m.again, io);
    case 'catchup':
      return onCatchup(s, from, m.seq, m.entries, io);
    case 'catchup-ack':
      return onCatchupAck(s, from, m.seq, m.dirty, io);
    case 'welcome':
      return onWelcome(s, from, m.out, m.pending, m.epoch, m.config, io);
    case 'rejoined':
      return onRejoined(s, from, m.node, io);
    case 'rejoined-ack':
      return onRejoinedAck(s, from, m.node);
    case 'remove-req':
      return onRemoveReq(s, from, m.target, io);
    case 'remove-res':
      return onRemoveRes(s, m.target, m.granted, m.epoch, m.members, io);
    case 'add-req':
      return onAddReq(s, from, m.target, io);
    case 'add-res':
      return onAddRes(s, m.target, m.granted, m.epoch, m.members, io);
    case 'ae':
      return onAntiEntropy(s, from, m.digest, io);
    case 'ae-entries':
      return onAntiEntropyEntries(s, from, m.entries, io);
    case 'scope-req':
      return onScopeReq(s, from, io);
    case 'scope':
      return adoptScope(s, m.epoch, m.members, io);
    default: {
      const never: never = m;
      throw new Error(`unknown sync message ${JSON.stringify(never)}`);
    }
  }
}

function onTimerStep(s: SyncState, t: SyncTimer, io: Io): void {
  switch (t.kind) {
    case 'hb':
      return onHeartbeat(s, io);
    case 'prepare-timeout':
      return onPrepareTimeout(s, t.data, io);
    case 'commit-retry':
      return onCommitRetry(s, t.data, io);
    case 'prep-wait':
      return onPrepWaitTimeout(s, t.data.key, t.data.id, io);
    case 'read-wait':
      return onReadWaitTimeout(s, t.data.key, t.data.id, io);
    default: {
      const never: never = t;
      throw new Error(`unknown sync timer ${JSON.stringify(never)}`);
    }
  }
}

/** Bound on messages a node sends itself within one step (a loop here is an engine bug). */
const MAX_SELF_MESSAGES = 100_000;

/** Runs one step; messages to self are handled after it, in order, in the same step. */
function step(s: SyncState, ctx: Ctx<SyncMsg>, f: (io: Io) => void): void {
  const queue: SyncMsg[] = [];
  const io = makeIo(s, ctx, queue);
  f(io);
  for (let n = 0; queue.length > 0; n++) {
    if (n >= MAX_SELF_MESSAGES) {
      ctx.invariant(`${s.self}: more than ${MAX_SELF_MESSAGES} messages to itself in one step`);
      return;
    }
    dispatch(s, s.self, queue.shift() as SyncMsg, io);
  }
}

/** Builds the sync engine for a resolved scenario (`engine.type: sync`). */
export function createSyncEngine(cfg: EngineConfig): Engine<SyncState, SyncMsg, SyncDurable> {
  const sc = syncConfig(cfg);
  return {
    name: `sync/${sc.spec.on_failure}`,
    init(self, durable, ctx) {
      const role: SyncState['role'] =
        self === sc.arbiter ? 'arbiter' : sc.copies.includes(self) ? 'copy' : 'witness-idle';
      const d = durable ?? freshDurable(sc, role);
      const clock = ctx.now();
      const now = 0; // monotonic time starts at every (re)start
      const firstTick = 1 + ctx.rng.int(sc.heartbeat_us);
      const s: SyncState = {
        self,
        region: ctx.region,
        role,
        cfg: sc,
        d,
        active: new Map(),
        locks: new Map([...d.prepared.values()].map((p) => [p.key, p.txn])),
        lastAsk: new Map(),
        prepWaits: new Map(),
        readWaits: new Map(),
        lastHeard: new Map(sc.copies.map((c) => [c, now])),
        // a fresh cluster starts with everyone in touch; a restarted copy recovers first anyway
        lastAcked: new Map(durable ? [] : sc.copies.map((c) => [c, now])),
        recovery:
          durable && role === 'copy' && !d.selfRemoved
            ? { started_us: clock, sponsor: null, dirty: new Set<string>(), progress_us: now }
            : null,
        sponsoring: new Map(),
        announce: new Map(),
        waitSeq: 0,
        witnessAsked: new Map(),
        knownInc: new Map(),
        peersRecovering: new Map(),
        lastAckSent: new Map(),
        holdUntil: Number.NEGATIVE_INFINITY,
        scopeAsked: Number.NEGATIVE_INFINITY,
        ticks: 0,
        tick: { mono_us: now, clock_us: clock, after_us: firstTick },
      };
      step(s, ctx, (io) => {
        if (role === 'copy') io.timer(firstTick, { kind: 'hb' });
        if (durable) resumeAfterRestart(s, io);
      });
      return s;
    },
    durable: (s) => s.d,
    // Restore: the copy's data becomes the entries. Each key keeps the version this copy had
    // for it (the protocol's, not the backup's): a copy restored under 2PC claims versions
    // its data no longer matches, and only anti-entropy or a later commit repairs the key.
    restore(s, entries) {
      const data: SyncDurable['data'] = new Map();
      for (const e of entries) data.set(e.key, { state: stateOfVisible(sc.model, e.value) as Value, version: s.d.data.get(e.key)?.version ?? null });
      s.d.data = data;
    },
    onRequest: (s, req, ctx) => step(s, ctx, (io) => onClientRequest(s, req, io)),
    onMessage: (s, from, msg, ctx) => step(s, ctx, (io) => dispatch(s, from, msg, io)),
    onTimer: (s, timer: Timer, ctx) => step(s, ctx, (io) => onTimerStep(s, timer as SyncTimer, io)),
    onAdmin: (s, action, ctx) => {
      if (action.kind === 'repair') return; // no anti-entropy under sync: replicas apply in lockstep
      step(s, ctx, (io) => onAdmin(s, action.kind as 'remove' | 'rejoin', action.target, action.config, io));
    },
    finalState(s) {
      // a copy out of scope is not part of the replicated state (and says nothing)
      if (!servingCopy(s)) return [];
      return [...s.d.data.keys()].sort().map((key) => ({ key, value: visible(sc.model, s.d.data.get(key)?.state ?? null) }));
    },
    metrics(s) {
      if (s.role !== 'copy') return {};
      return { ...s.d.counters };
    },
  };
}
