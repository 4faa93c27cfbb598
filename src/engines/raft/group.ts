/**
 * One Raft group (one range on one node), as a pure state machine in the style of
 * etcd-io/raft `raft.go`: `tickGroup` advances logical time, `stepGroup` handles one message,
 * with the term rules first and then one step function per role. Every effect goes through
 * `env` (send, apply, reply, invariant). Safety invariants are checked where they could break:
 *
 * - election safety: every node records which leader it saw for each recent term and reports
 *   a second one (a leader's AppendEntries names it, so no global view is needed);
 * - log matching: each entry carries a hash chain over (index, term, op) of its whole prefix,
 *   so equal (index, term) with unequal chains is a broken prefix;
 * - committed entries never change and the commit index never goes back;
 * - state-machine safety: a follower whose commit equals the leader's compares the chains at
 *   that index, i.e. the whole applied (index, term, op) sequence.
 */
import { opId, type NodeId } from '../../sim/ids.js';
import type { Ctx, OpResult } from '../engine.js';
import type { RaftConfig } from './config.js';
import { applyOp, emptyMachine, noMachine, readValue, type LoggedOp, type RangeMachine } from './model.js';
import type { RangePlacement } from './placement.js';
import type { Entry, Group, GroupDurable, Msg, NodeMetrics, PendingRead, RoutedRequest } from './types.js';
import { isNone, noneArray, noneMap } from './empty.js';
import {
  chainAt,
  firstIndexOfTerm,
  lastIndex,
  lastIndexOfTerm,
  lastTerm,
  nextChain,
  termAt,
} from './log.js';

/** What a group step may touch outside itself. */
export interface Env {
  cfg: RaftConfig;
  ctx: Ctx<Msg>;
  metrics: NodeMetrics;
  /**
   * Sends a message. With `quiesce: true` the engine holds each step's messages and sends one
   * message per peer node at the end of the step (coalesced: the heartbeats of every range a
   * node leads with a peer travel together, as in CockroachDB); otherwise it is `ctx.send`.
   */
  send(to: NodeId, msg: Msg): void;
  /** hands a request's result to its origin node (which replies to the client) */
  deliver(g: Group, req: RoutedRequest, result: OpResult): void;
}

type GroupMsg = Extract<Msg, { type: 'app' | 'app-resp' | 'vote' | 'vote-resp' | 'timeout-now' }>;

const RECENT_TERMS = 16;

/** A group for `p` on `self`; with `durable`, a restart: the state machine is rebuilt by re-applying the log up to the persisted commit. */
export function newGroup(p: RangePlacement, self: NodeId, durable: GroupDurable | undefined, env: Env): Group {
  const g: Group = {
    range: p.range,
    // shared with the placement (never changed): no copy per replica
    peers: p.replicas,
    preferred: p.preferred,
    term: durable?.term ?? 0,
    vote: durable?.vote ?? null,
    commit: durable?.commit ?? 0,
    log: durable ? durable.log.slice() : [],
    role: 'follower',
    lead: null,
    applied: 0,
    machine: noMachine(),
    electionElapsed: 0,
    heartbeatElapsed: 0,
    randomizedTimeout: 0,
    sinceLeader: durable !== undefined ? 0 : env.cfg.voteBlockTicks,
    votes: noneMap(),
    progress: noneMap(),
    seq: 0,
    seqSentAt: noneMap(),
    leaseStart: null,
    leaseFloorSeq: 0,
    waiters: noneMap(),
    pendingReads: noneArray(),
    roundDue: false,
    transferee: null,
    transferElapsed: 0,
    firstTerm: 0,
    firstLeader: null,
    leaderOfTerm: null,
    lastLeaderContact: null,
    leaderlessTicks: 0,
    quiesced: false,
    ticked: true,
    roundCommit: 0,
  };
  // Replay silently: the visible values are the ones this replica had before it crashed.
  while (g.applied < g.commit) {
    g.applied++;
    const e = g.log[g.applied - 1];
    if (e?.op) applyOp(ownMachine(g), env.cfg.model, e.op, entryVersion(g, g.applied, e.term));
  }
  resetElection(g, env);
  // A fresh preferred replica campaigns first, so leaders start where the placement wants them.
  if (!durable && p.preferred.includes(self)) {
    const half = Math.max(1, Math.floor(env.cfg.electionTicks / 2));
    g.randomizedTimeout = half + env.ctx.rng.int(half);
  }
  return g;
}

export function quorum(g: Group): number {
  return Math.floor(g.peers.length / 2) + 1;
}

function resetElection(g: Group, env: Env): void {
  g.electionElapsed = 0;
  g.heartbeatElapsed = 0;
  const e = env.cfg.electionTicks;
  g.randomizedTimeout = e + env.ctx.rng.int(e);
}

/** The group's own state machine, made on its first write (until then it shares an empty one). */
export function ownMachine(g: Group): RangeMachine {
  if (g.machine === noMachine()) g.machine = emptyMachine();
  return g.machine;
}

/** Drops what only a leader keeps; a new leader gets its own maps in becomeLeader. */
function clearLeaderState(g: Group): void {
  g.progress = noneMap();
  g.waiters = noneMap();
  g.pendingReads = noneArray();
  g.roundDue = false;
  g.leaseStart = null;
  g.seqSentAt = noneMap();
  g.transferee = null;
  g.transferElapsed = 0;
  g.leaseFloorSeq = 0;
}

/** The leader this node saw for `term`, if it still remembers the term. */
function leaderSeen(g: Group, term: number): NodeId | undefined {
  if (g.leaderOfTerm !== null) return g.leaderOfTerm.get(term);
  return g.firstLeader !== null && g.firstTerm === term ? g.firstLeader : undefined;
}

/**
 * Records `leader` as the leader of `term` and reports a second leader for one term. The first
 * term seen is kept in two fields; a Map is made only when a second term comes (most ranges
 * never see one), and keeps the RECENT_TERMS most recent.
 */
function noteLeader(g: Group, term: number, leader: NodeId, env: Env): void {
  const seen = leaderSeen(g, term);
  if (seen !== undefined && seen !== leader) {
    env.ctx.invariant(`election safety: range ${g.range} has two leaders in term ${term}: ${seen} and ${leader}`);
    return;
  }
  if (seen !== undefined) return;
  if (g.leaderOfTerm === null) {
    if (g.firstLeader === null) {
      g.firstTerm = term;
      g.firstLeader = leader;
      return;
    }
    g.leaderOfTerm = new Map([[g.firstTerm, g.firstLeader]]);
  }
  g.leaderOfTerm.set(term, leader);
  if (g.leaderOfTerm.size > RECENT_TERMS) {
    const oldest = Math.min(...g.leaderOfTerm.keys());
    g.leaderOfTerm.delete(oldest);
  }
}

export function becomeFollower(g: Group, term: number, lead: NodeId | null, env: Env): void {
  if (term > g.term) {
    g.term = term;
    g.vote = null;
  }
  g.role = 'follower';
  g.lead = lead;
  clearLeaderState(g);
  g.votes = noneMap();
  resetElection(g, env);
  if (lead !== null) {
    noteLeader(g, term, lead, env);
    g.lastLeaderContact = env.ctx.now();
    g.sinceLeader = 0;
  }
}

function becomeLeader(g: Group, env: Env): void {
  const self = env.ctx.self;
  g.role = 'leader';
  g.lead = self;
  clearLeaderState(g);
  g.votes = noneMap();
  g.progress = new Map();
  g.seqSentAt = new Map();
  resetElection(g, env);
  noteLeader(g, g.term, self, env);
  const now = env.ctx.now();
  env.metrics.became_leader++;
  if (g.lastLeaderContact !== null) {
    const took = Math.max(0, now - g.lastLeaderContact);
    env.metrics.elect_us_max = Math.max(env.metrics.elect_us_max, took);
    env.metrics.elect_us_sum += took;
    env.metrics.elect_count++;
  }
  g.lastLeaderContact = now;
  const next = lastIndex(g.log) + 1;
  for (const p of g.peers) {
    if (p !== self) g.progress.set(p, { match: 0, next, active: false, ackSeq: 0 });
  }
  // The no-op of the new term: committing it commits every earlier entry (Figure 8 rule).
  appendEntry(g, null);
  bcastAppend(g, env);
  maybeCommit(g, env);
}

/** Starts an election: a pre-vote round first when `prevote` (unless this is a transfer). */
export function campaign(g: Group, env: Env, pre: boolean, transfer: boolean): void {
  const self = env.ctx.self;
  let voteTerm: number;
  if (pre) {
    g.role = 'pre-candidate';
    g.lead = null;
    resetElection(g, env);
    voteTerm = g.term + 1;
  } else {
    g.term++;
    g.vote = self;
    g.role = 'candidate';
    g.lead = null;
    clearLeaderState(g);
    resetElection(g, env);
    voteTerm = g.term;
    env.metrics.campaigns++;
  }
  g.votes = new Map([[self, true]]);
  if (quorum(g) <= 1) {
    if (pre) campaign(g, env, false, transfer);
    else becomeLeader(g, env);
    return;
  }
  const li = lastIndex(g.log);
  const lt = lastTerm(g.log);
  for (const p of g.peers) {
    if (p === self) continue;
    env.send(p, { type: 'vote', range: g.range, term: voteTerm, lastIndex: li, lastTerm: lt, pre, transfer });
  }
}

/** One logical tick. */
export function tickGroup(g: Group, env: Env): void {
  const e = env.cfg.electionTicks;
  if (g.role === 'leader') {
    g.heartbeatElapsed++;
    g.electionElapsed++;
    g.lastLeaderContact = env.ctx.now();
    g.sinceLeader = 0;
    g.leaderlessTicks = 0;
    if (g.transferee !== null && ++g.transferElapsed >= e) {
      // The target did not take over in time; keep leading, but rounds sent while the target
      // could still win do not count for the lease.
      g.transferee = null;
      g.transferElapsed = 0;
      g.leaseStart = null;
      g.leaseFloorSeq = g.seq + 1;
    }
    if (g.electionElapsed >= e) {
      g.electionElapsed = 0;
      if (env.cfg.checkQuorum) {
        let active = 1;
        for (const pr of g.progress.values()) if (pr.active) active++;
        if (active < quorum(g)) {
          // Cut off from a quorum: stop acting as leader (no lease reads, no false hopes for clients).
          becomeFollower(g, g.term, null, env);
          return;
        }
        for (const pr of g.progress.values()) pr.active = false;
      }
    }
    if (g.heartbeatElapsed >= env.cfg.heartbeatTicks) {
      g.heartbeatElapsed = 0;
      if (env.cfg.quiesce && canQuiesce(g, env)) {
        quiesce(g, env);
        return;
      }
      broadcastHeartbeat(g, env);
      maybeTransfer(g, env);
    }
    return;
  }
  g.electionElapsed++;
  g.sinceLeader++;
  // Unavailable window: no known leader, counted once the range has had one (not the cold start).
  if (g.lead === null && g.lastLeaderContact !== null) {
    g.leaderlessTicks++;
    env.metrics.leaderless_ticks_max = Math.max(env.metrics.leaderless_ticks_max, g.leaderlessTicks);
  } else {
    g.leaderlessTicks = 0;
  }
  // Past the randomized timeout, but no campaign while a lease this node acknowledged may be live.
  if (g.electionElapsed >= g.randomizedTimeout && !inLease(g, env)) {
    campaign(g, env, env.cfg.prevote, false);
  }
}

/**
 * True while this node must not help elect anyone (it heard a leader recently). Counted from
 * the last message of the leader rather than etcd's `lead != None`, so that a node whose own
 * timer fired early cannot vote away a lease it acknowledged moments before.
 */
function inLease(g: Group, env: Env): boolean {
  return g.sinceLeader < env.cfg.voteBlockTicks;
}

/** Handles one consensus message: term rules first (Raft §5.1, etcd `Step`), then the role's step. */
export function stepGroup(g: Group, from: NodeId, m: GroupMsg, env: Env): void {
  if (m.term > g.term) {
    if (m.type === 'vote' && !m.transfer && inLease(g, env)) return; // ignore: leader still live
    if (m.type === 'vote' && m.pre) {
      // a pre-vote never changes our term
    } else if (m.type === 'vote-resp' && m.pre && m.granted) {
      // grants to our pre-vote carry the term we would campaign in
    } else if (m.type === 'app' || m.type === 'timeout-now') {
      becomeFollower(g, m.term, from, env);
    } else {
      becomeFollower(g, m.term, null, env);
    }
  } else if (m.term < g.term) {
    if (m.type === 'app') {
      // Tell a stale leader about the newer term so it steps down.
      env.send(from, {
        type: 'app-resp', range: g.range, term: g.term, index: m.prevIndex, reject: true,
        hintIndex: lastIndex(g.log), hintTerm: 0, seq: m.seq,
      });
    } else if (m.type === 'vote') {
      env.send(from, { type: 'vote-resp', range: g.range, term: g.term, granted: false, pre: m.pre });
    }
    return;
  }

  if (m.type === 'vote') {
    handleVote(g, from, m, env);
    return;
  }
  switch (g.role) {
    case 'follower':
      stepFollower(g, from, m, env);
      return;
    case 'pre-candidate':
    case 'candidate':
      stepCandidate(g, from, m, env);
      return;
    case 'leader':
      stepLeader(g, from, m, env);
      return;
    default: {
      const never: never = g.role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}

function handleVote(g: Group, from: NodeId, m: Extract<Msg, { type: 'vote' }>, env: Env): void {
  const canVote = g.vote === from || (g.vote === null && g.lead === null) || (m.pre && m.term > g.term);
  const lt = lastTerm(g.log);
  const upToDate = m.lastTerm > lt || (m.lastTerm === lt && m.lastIndex >= lastIndex(g.log));
  if (canVote && upToDate) {
    env.send(from, { type: 'vote-resp', range: g.range, term: m.term, granted: true, pre: m.pre });
    if (!m.pre) {
      g.vote = from;
      g.electionElapsed = 0;
    }
  } else {
    env.send(from, { type: 'vote-resp', range: g.range, term: g.term, granted: false, pre: m.pre });
  }
}

function stepFollower(g: Group, from: NodeId, m: GroupMsg, env: Env): void {
  switch (m.type) {
    case 'app':
      g.electionElapsed = 0;
      g.sinceLeader = 0;
      g.lead = from;
      g.lastLeaderContact = env.ctx.now();
      noteLeader(g, m.term, from, env);
      handleAppend(g, from, m, env);
      // The leader says the range is idle: stop ticking it once this replica holds all of it.
      if (m.quiesce === true && g.commit === m.commit && g.commit === lastIndex(g.log)) g.quiesced = true;
      return;
    case 'timeout-now':
      if (from === g.lead) campaign(g, env, false, true);
      return;
    case 'app-resp':
    case 'vote-resp':
    case 'vote':
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

function stepCandidate(g: Group, from: NodeId, m: GroupMsg, env: Env): void {
  switch (m.type) {
    case 'app':
      becomeFollower(g, m.term, from, env);
      handleAppend(g, from, m, env);
      return;
    case 'vote-resp': {
      if (m.pre !== (g.role === 'pre-candidate')) return;
      g.votes.set(from, m.granted);
      let yes = 0;
      let no = 0;
      for (const v of g.votes.values()) v ? yes++ : no++;
      if (yes >= quorum(g)) {
        if (g.role === 'pre-candidate') campaign(g, env, false, false);
        else becomeLeader(g, env);
      } else if (no >= quorum(g)) {
        becomeFollower(g, g.term, null, env);
      }
      return;
    }
    case 'timeout-now':
    case 'app-resp':
    case 'vote':
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

function stepLeader(g: Group, from: NodeId, m: GroupMsg, env: Env): void {
  switch (m.type) {
    case 'app':
      // Another node acting as leader in our own term: Raft's election safety is broken.
      noteLeader(g, m.term, from, env);
      return;
    case 'app-resp':
      handleAppendResp(g, from, m, env);
      return;
    case 'vote-resp':
    case 'timeout-now':
    case 'vote':
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

/** Follower side of AppendEntries (Figure 2, receiver implementation, steps 2–5). */
function handleAppend(g: Group, from: NodeId, m: Extract<Msg, { type: 'app' }>, env: Env): void {
  const local = termAt(g.log, m.prevIndex);
  if (local === undefined) {
    replyAppend(g, from, m, env, true, lastIndex(g.log), 0);
    return;
  }
  if (local !== m.prevTerm) {
    if (m.prevIndex <= g.commit) {
      env.ctx.invariant(
        `leader completeness: range ${g.range} leader ${from} (term ${m.term}) disagrees with committed entry ${m.prevIndex} on ${env.ctx.self}`,
      );
    }
    replyAppend(g, from, m, env, true, firstIndexOfTerm(g.log, m.prevIndex, local), local);
    return;
  }
  if (chainAt(g.log, m.prevIndex) !== m.prevChain) {
    env.ctx.invariant(
      `log matching: range ${g.range} entry ${m.prevIndex} has term ${local} on ${env.ctx.self} and on leader ${from} but their prefixes differ`,
    );
  }
  let index = m.prevIndex;
  for (const e of m.entries) {
    index++;
    const have = termAt(g.log, index);
    if (have === e.term) {
      if (chainAt(g.log, index) !== e.chain) {
        env.ctx.invariant(`log matching: range ${g.range} entry ${index} term ${e.term} differs between ${env.ctx.self} and ${from}`);
      }
      continue;
    }
    if (have !== undefined) {
      if (index <= g.commit) {
        env.ctx.invariant(
          `committed entry changed: range ${g.range} entry ${index} (committed on ${env.ctx.self}) would be overwritten by leader ${from} in term ${m.term}`,
          e.op ? [e.op.op] : [],
        );
        return;
      }
      g.log.length = index - 1; // drop the conflicting suffix (never committed)
    }
    const expected = nextChain(chainAt(g.log, index - 1), index, e.term, e.op);
    if (expected !== e.chain) {
      env.ctx.invariant(`log matching: range ${g.range} entry ${index} chain from ${from} does not extend ${env.ctx.self}'s prefix`);
    }
    g.log.push(e);
  }
  const lastNew = m.prevIndex + m.entries.length;
  const target = Math.min(m.commit, lastNew);
  if (target > g.commit) commitTo(g, target, env);
  if (g.commit === m.commit && chainAt(g.log, g.commit) !== m.commitChain) {
    env.ctx.invariant(
      `state machine safety: range ${g.range} ${env.ctx.self} applied a different sequence up to ${g.commit} than leader ${from}`,
    );
  }
  // A quiesce notice is not answered when accepted: its leader already has every follower's
  // ack and ignores the answer (as CockroachDB's quiesce heartbeats go unanswered).
  if (m.quiesce === true) return;
  replyAppend(g, from, m, env, false, lastNew, 0);
}

function replyAppend(g: Group, to: NodeId, m: Extract<Msg, { type: 'app' }>, env: Env, reject: boolean, hintIndex: number, hintTerm: number): void {
  env.send(to, { type: 'app-resp', range: g.range, term: g.term, index: m.prevIndex, reject, hintIndex, hintTerm, seq: m.seq });
}

/** Leader side of an AppendEntries answer: progress, fast back-off, commit, read rounds. */
function handleAppendResp(g: Group, from: NodeId, m: Extract<Msg, { type: 'app-resp' }>, env: Env): void {
  const pr = g.progress.get(from);
  if (!pr) return;
  pr.active = true;
  if (m.seq > pr.ackSeq) {
    pr.ackSeq = m.seq;
    onRoundAcked(g, env);
  }
  if (m.reject) {
    // Stale: we already know it matches at or beyond the rejected point, or already backed off below it.
    if (m.index <= pr.match || m.index >= pr.next) return;
    let next: number;
    if (m.hintTerm > 0) {
      const j = lastIndexOfTerm(g.log, m.index, m.hintTerm);
      next = j > 0 ? j + 1 : m.hintIndex;
    } else {
      next = m.hintIndex + 1;
    }
    pr.next = Math.max(pr.match + 1, Math.min(next, m.index));
    sendAppend(g, from, env, true);
    return;
  }
  if (m.hintIndex > pr.match) {
    pr.match = m.hintIndex;
    if (pr.next <= pr.match) pr.next = pr.match + 1;
    maybeCommit(g, env);
  }
  if (g.role !== 'leader') return;
  if (pr.next <= lastIndex(g.log)) sendAppend(g, from, env, false);
  if (g.transferee === from && pr.match === lastIndex(g.log)) {
    env.send(from, { type: 'timeout-now', range: g.range, term: g.term });
  }
}

function appendEntry(g: Group, op: LoggedOp | null): number {
  const index = lastIndex(g.log) + 1;
  const chain = nextChain(chainAt(g.log, index - 1), index, g.term, op);
  g.log.push({ term: g.term, op, chain });
  return index;
}

/** Leader: appends a client write and replicates it; `req` gets its result when the entry applies. */
export function propose(g: Group, req: RoutedRequest, env: Env): void {
  const index = appendEntry(g, { op: req.op, f: req.f, key: req.key, value: req.value });
  if (isNone(g.waiters)) g.waiters = new Map();
  g.waiters.set(index, req);
  bcastAppend(g, env);
  maybeCommit(g, env);
}

function sendAppend(g: Group, to: NodeId, env: Env, allowEmpty: boolean): void {
  const pr = g.progress.get(to);
  if (!pr) return;
  const prevIndex = pr.next - 1;
  const end = Math.min(lastIndex(g.log), prevIndex + env.cfg.maxBatch);
  // a heartbeat (nothing to send) shares one empty array: no allocation per range and round
  const entries: Entry[] = end > prevIndex ? g.log.slice(prevIndex, end) : noneArray();
  if (entries.length === 0 && !allowEmpty) return;
  env.send(to, {
    type: 'app',
    range: g.range,
    term: g.term,
    prevIndex,
    prevTerm: termAt(g.log, prevIndex) ?? 0,
    prevChain: chainAt(g.log, prevIndex),
    entries,
    commit: g.commit,
    commitChain: chainAt(g.log, g.commit),
    seq: g.seq,
  });
  if (entries.length > 0) pr.next = prevIndex + entries.length + 1; // optimistic pipelining
}

function bcastAppend(g: Group, env: Env): void {
  for (const p of g.peers) if (p !== env.ctx.self) sendAppend(g, p, env, false);
}

/** A heartbeat round: a new round number, its send time on this node's clock, an append to every follower. */
export function broadcastHeartbeat(g: Group, env: Env): void {
  g.seq++;
  g.roundDue = false;
  g.roundCommit = g.commit;
  g.seqSentAt.set(g.seq, env.ctx.now());
  boundLeaderMemory(g);
  for (const p of g.peers) if (p !== env.ctx.self) sendAppend(g, p, env, true);
  onRoundAcked(g, env);
}

const MAX_ROUNDS_KEPT = 256;
/** Reads unconfirmed after this many rounds were given up by their origin long ago. */
const MAX_READ_AGE_ROUNDS = 200;

/**
 * A leader cut off from its quorum (check_quorum off) keeps sending rounds nobody acknowledges:
 * forget the oldest send times (they only cost lease time, never safety) and stale reads.
 */
function boundLeaderMemory(g: Group): void {
  if (g.seqSentAt.size > MAX_ROUNDS_KEPT) {
    const drop = g.seqSentAt.size - MAX_ROUNDS_KEPT;
    let i = 0;
    for (const k of g.seqSentAt.keys()) {
      if (i++ >= drop) break;
      g.seqSentAt.delete(k);
    }
  }
  if (g.pendingReads.length > 0 && (g.pendingReads[0]?.seq ?? 0) > 0 && g.seq - (g.pendingReads[0]?.seq ?? 0) > MAX_READ_AGE_ROUNDS) {
    g.pendingReads = g.pendingReads.filter((r) => r.seq === 0 || g.seq - r.seq <= MAX_READ_AGE_ROUNDS);
  }
}

/**
 * Scratch space for the per-peer values a quorum decision ranks (acked rounds, match indexes):
 * reused, because they are ranked on every acknowledgement and a fresh array each time was a
 * good part of the garbage with many ranges. Steps never interleave, so one array serves all.
 */
const ranked: number[] = [];

/** The `k`-th largest of `ranked[0..n)` (sorts that part in place, descending). */
function kthLargest(n: number, k: number): number {
  for (let i = 1; i < n; i++) {
    const v = ranked[i] as number;
    let j = i - 1;
    while (j >= 0 && (ranked[j] as number) < v) {
      ranked[j + 1] = ranked[j] as number;
      j--;
    }
    ranked[j + 1] = v;
  }
  return k <= n ? (ranked[k - 1] as number) : 0;
}

/** The newest heartbeat round a quorum (self included) has acknowledged. */
function quorumSeq(g: Group, self: NodeId): number {
  const n = g.peers.length;
  for (let i = 0; i < n; i++) {
    const p = g.peers[i] as NodeId;
    ranked[i] = p === self ? g.seq : (g.progress.get(p)?.ackSeq ?? 0);
  }
  return kthLargest(n, quorum(g));
}

/** Extends the lease and serves confirmed reads after a round gained a quorum. */
function onRoundAcked(g: Group, env: Env): void {
  if (g.role !== 'leader') return;
  const q = quorumSeq(g, env.ctx.self);
  const sent = g.seqSentAt.get(q);
  if (sent !== undefined && q >= g.leaseFloorSeq) {
    g.leaseStart = sent;
    for (const k of g.seqSentAt.keys()) if (k < q) g.seqSentAt.delete(k); // deleting while iterating a Map is safe
  }
  if (g.pendingReads.length === 0) return;
  const keep: PendingRead[] = [];
  for (const r of g.pendingReads) {
    if (r.seq > 0 && r.seq <= q && g.applied >= r.readIndex) serveRead(g, r.req, env);
    else keep.push(r);
  }
  g.pendingReads = keep;
}

export function committedInTerm(g: Group): boolean {
  return termAt(g.log, g.commit) === g.term;
}

/** Leader lease: valid on this node's own clock, only after committing in its term and not while handing over. */
export function leaseValid(g: Group, env: Env): boolean {
  return (
    g.role === 'leader' &&
    g.leaseStart !== null &&
    g.transferee === null &&
    committedInTerm(g) &&
    env.ctx.now() < g.leaseStart + env.cfg.lease_us
  );
}

/** Leader: a linearizable read. Lease mode serves at once while the lease holds; otherwise a read-index round. */
export function leaderRead(g: Group, req: RoutedRequest, env: Env): void {
  if (env.cfg.reads === 'lease' && leaseValid(g, env)) {
    env.metrics.lease_reads++;
    serveRead(g, req, env);
    return;
  }
  env.metrics.read_index_reads++;
  if (g.pendingReads === noneArray<PendingRead>()) g.pendingReads = [];
  if (committedInTerm(g)) {
    g.pendingReads.push({ req, seq: g.seq + 1, readIndex: g.commit });
    g.roundDue = true;
  } else {
    g.pendingReads.push({ req, seq: 0, readIndex: 0 }); // wait for the term's first commit
  }
}

function serveRead(g: Group, req: RoutedRequest, env: Env): void {
  env.deliver(g, req, { type: 'ok', value: readValue(g.machine, env.cfg.model, req.key) });
}

/** Commit = the highest index a quorum holds, if it is from the current term (Figure 8). */
function maybeCommit(g: Group, env: Env): void {
  if (g.role !== 'leader') return;
  const self = env.ctx.self;
  const n = g.peers.length;
  for (let i = 0; i < n; i++) {
    const p = g.peers[i] as NodeId;
    ranked[i] = p === self ? lastIndex(g.log) : (g.progress.get(p)?.match ?? 0);
  }
  const q = kthLargest(n, quorum(g));
  if (q > g.commit && termAt(g.log, q) === g.term) {
    const before = committedInTerm(g);
    commitTo(g, q, env);
    if (!before && g.role === 'leader') {
      for (const r of g.pendingReads) {
        if (r.seq === 0) {
          r.seq = g.seq + 1;
          r.readIndex = g.commit;
          g.roundDue = true;
        }
      }
    }
  }
}

/** A log position as `apply` records (and reservations' `version`) name it. */
function entryVersion(g: Group, index: number, term: number): string {
  return `r${g.range}/i${index}/t${term}`;
}

function commitTo(g: Group, index: number, env: Env): void {
  if (index < g.commit) {
    env.ctx.invariant(`commit went back: range ${g.range} on ${env.ctx.self} from ${g.commit} to ${index}`);
    return;
  }
  g.commit = Math.min(index, lastIndex(g.log));
  while (g.applied < g.commit) {
    g.applied++;
    const index_ = g.applied;
    const e = g.log[index_ - 1];
    if (!e || !e.op) continue;
    const version = entryVersion(g, index_, e.term);
    const out = applyOp(ownMachine(g), env.cfg.model, e.op, version);
    if (out.changed !== undefined && !out.duplicate) env.ctx.applied(e.op.key, out.changed, opId(e.op.op), version);
    const waiter = g.waiters.get(index_);
    if (waiter) {
      g.waiters.delete(index_);
      if (waiter.op === e.op.op) env.deliver(g, waiter, out.result);
    }
  }
}

/** Leader with a placement preference it does not satisfy: hand leadership to a caught-up preferred replica. */
function maybeTransfer(g: Group, env: Env): void {
  if (g.preferred.length === 0 || g.preferred.includes(env.ctx.self) || g.transferee !== null) return;
  if (!committedInTerm(g)) return;
  for (const p of g.preferred) {
    const pr = g.progress.get(p);
    if (pr && pr.active && pr.match === lastIndex(g.log)) {
      g.transferee = p;
      g.transferElapsed = 0;
      env.metrics.transfers++;
      env.send(p, { type: 'timeout-now', range: g.range, term: g.term });
      return;
    }
  }
}

/** Sends any due read-confirmation round (batched: one round per step, whatever the number of reads). */
export function flushRound(g: Group, env: Env): void {
  if (g.role === 'leader' && g.roundDue) broadcastHeartbeat(g, env);
}

// ---- quiescent ranges (spec.quiesce), as CockroachDB quiesces idle ranges ----

/**
 * A leader may let its range go quiet when nothing is in flight: every entry is committed in
 * its term, every follower holds all of them and acknowledged the latest round (which carried
 * that commit index, so followers know it), and no read, write or leadership transfer waits.
 */
export function canQuiesce(g: Group, env: Env): boolean {
  if (g.role !== 'leader' || g.transferee !== null || g.roundDue) return false;
  if (g.waiters.size > 0 || g.pendingReads.length > 0) return false;
  if (g.preferred.length > 0 && !g.preferred.includes(env.ctx.self)) return false; // a transfer is still due
  const last = lastIndex(g.log);
  if (g.commit !== last || termAt(g.log, last) !== g.term || g.roundCommit !== last) return false;
  for (const pr of g.progress.values()) if (pr.match !== last || pr.ackSeq !== g.seq) return false;
  return true;
}

/** Tells every follower the range is idle (an empty append flagged `quiesce`) and stops heartbeating it. */
function quiesce(g: Group, env: Env): void {
  const last = lastIndex(g.log);
  for (const p of g.peers) {
    if (p === env.ctx.self) continue;
    env.send(p, {
      type: 'app',
      range: g.range,
      term: g.term,
      prevIndex: last,
      prevTerm: termAt(g.log, last) ?? 0,
      prevChain: chainAt(g.log, last),
      entries: noneArray(),
      commit: g.commit,
      commitChain: chainAt(g.log, g.commit),
      seq: g.seq,
      quiesce: true,
    });
  }
  g.quiesced = true;
}

/**
 * Wakes a quiet group. `sinceLeaderNode`: ticks since this node last heard the leader's node.
 * A follower counts its leader's silence from there: a live leader node means a live leader (a
 * quiet leader keeps its role until a message wakes it), so the follower neither votes nor
 * campaigns early, and a lease it acknowledged stays protected, since the node was heard no
 * earlier than the last round of the range. A dead leader node lets it campaign as soon as
 * the silence passes its randomized timeout, as without quiescence. A leader resumes its
 * heartbeats at the next tick, with a fresh check-quorum period.
 */
export function wakeGroup(g: Group, sinceLeaderNode: number, env: Env): void {
  g.quiesced = false;
  if (g.role === 'leader') {
    g.electionElapsed = 0;
    g.heartbeatElapsed = env.cfg.heartbeatTicks;
    for (const pr of g.progress.values()) pr.active = true;
    return;
  }
  g.electionElapsed = sinceLeaderNode;
  if (sinceLeaderNode > g.sinceLeader) g.sinceLeader = sinceLeaderNode;
}
