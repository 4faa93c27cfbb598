/**
 * Lightweight transactions: Cassandra's LWT, single-decree Paxos per partition key, in the
 * four round trips Cassandra makes (CASSANDRA-5062, "Paxos made live" for the commit):
 *
 * 1. prepare/promise: the coordinator picks a ballot from its own clock, made unique by its
 *    node rank and strictly above every ballot it has seen; a replica promises when the
 *    ballot is above any it promised, answering with the proposal it last accepted and the
 *    one it last committed.
 * 2. if a promise carries an accepted proposal newer than the newest commit, that proposal
 *    is finished first (proposed again under the new ballot and committed), then the round
 *    starts over: a proposer that died between accept and commit is completed by the next.
 * 3. read: the key's cells from a quorum of the Paxos participants; the condition (a
 *    register's `cas`, an inventory reservation) is evaluated on them with the shared object
 *    model. A failed condition answers `fail` at once (nothing was proposed).
 * 4. propose/accept, then commit: the new cells carry the ballot's timestamp (as Cassandra's
 *    do), are accepted by a quorum, then committed to every replica; the client's `ok` comes
 *    after a quorum of commit acks.
 *
 * Participants: every replica of the key (SERIAL, a majority of all) or the coordinator
 * region's (LOCAL_SERIAL, a majority there: cheaper, and only linearizable as long as every
 * LWT on the key is coordinated from that region).
 *
 * Plain writes on the same key stay last-writer-wins by their coordinator's clock, so a
 * plain write with a later timestamp silently overrides a committed LWT (and one with an
 * earlier timestamp is silently lost): the checker shows it when the two are mixed.
 *
 * A commit is a write like any other: replicas believed down, and those that have not
 * acknowledged it by the write timeout, get a hint (Cassandra's commitPaxos goes through the
 * hinted write path). And a prepare that finds a replica whose newest commit is older than
 * another's sends it that commit (Cassandra's "repair" of a lagging acceptor).
 *
 * A preempted round retries with a higher ballot after a random backoff (the engine's own
 * stream). Once this coordinator's own proposal may have been accepted, the outcome is
 * unknown until a later round sees it committed (ok) or the round ends: then no reply is
 * given (the client records `info`), never a `fail` that could be false.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { ClientRequest, Ctx, OpResult } from '../engine.js';
import { stepObject } from '../model.js';
import { cellsOf, mergeAll, objectOf, VALUE_CELL, type Cells, type Row } from './cells.js';
import { storeHint } from './hints.js';
import { liveReplicas } from './live.js';
import type { Placement } from './ring.js';
import { getRow, putCells } from './store.js';
import type { QuorumMsg, QuorumState } from './types.js';

/** A Paxos ballot: the coordinator's clock, then its node rank (unique per coordinator). */
export interface Ballot {
  t: number;
  n: number;
}

/** A proposal: the cells a ballot proposes for the key. */
export interface Proposal {
  b: Ballot;
  cells: Cells;
}

/** One key's acceptor state at a replica (Cassandra's system.paxos row): durable. */
export interface PaxosRow {
  promised: Ballot | undefined;
  accepted: Proposal | undefined;
  committed: Proposal | undefined;
}

export interface LwtStats {
  rounds: number;
  proposals: number;
  commits: number;
  contention: number;
  finished: number;
  mismatch: number;
  unavailable: number;
  timeouts: number;
}

/** What survives a crash: the acceptor rows, the highest ballot time used, the counters. */
export interface LwtDurable {
  acceptor: Map<string, PaxosRow>;
  lastBallot_t: number;
  stats: LwtStats;
}

type Phase = 'prepare' | 'read' | 'propose' | 'commit' | 'backoff';

/** An LWT this node coordinates (volatile: lost with a crash, and the client sees `info`). */
interface Round {
  id: number;
  req: ClientRequest;
  p: Placement;
  /** indexes into p.nodes of the Paxos participants */
  members: number[];
  need: number;
  phase: Phase;
  b: Ballot;
  attempt: number;
  /** answers of the current phase: yes and no, by replica index */
  yes: Set<number>;
  no: Set<number>;
  /** the highest ballot a refusal named */
  seen: Ballot | undefined;
  /** prepare: newest accepted and newest committed proposal among the promises */
  inProgress: Proposal | undefined;
  latestCommit: Proposal | undefined;
  /** prepare: each promising replica's newest commit ballot */
  commitOf: Map<number, Ballot | undefined>;
  /** read: the cells answered */
  reads: Cells[];
  /** the proposal of this phase; `own` when it carries this op's write */
  proposal: Proposal | undefined;
  own: boolean;
  /** an earlier attempt's proposal of this op may have been accepted: unknown until seen */
  maybeApplied: boolean;
  /** backing off after this op's own proposal was refused: its late answers still count */
  pendingOwn: boolean;
  result: OpResult | undefined;
}

/** A commit sent and not yet acknowledged by every replica (hinted at the write timeout). */
interface PendingCommit {
  key: string;
  prop: Proposal;
  p: Placement;
  acked: Set<number>;
}

export interface LwtState {
  d: LwtDurable;
  rounds: Map<number, Round>;
  commits: Map<number, PendingCommit>;
  nextId: number;
}

type Body =
  | { kind: 'prepare'; id: number; key: string; b: Ballot }
  | { kind: 'promise'; id: number; b: Ballot; ok: boolean; promised: Ballot | undefined; accepted: Proposal | undefined; committed: Proposal | undefined }
  | { kind: 'read'; id: number; key: string; b: Ballot }
  | { kind: 'read-reply'; id: number; b: Ballot; cells: Cells }
  | { kind: 'propose'; id: number; key: string; prop: Proposal }
  | { kind: 'accept'; id: number; b: Ballot; ok: boolean; promised: Ballot | undefined }
  | { kind: 'commit'; id: number; key: string; prop: Proposal }
  | { kind: 'commit-ack'; id: number; b: Ballot };

/** The LWT module's messages. */
export type LwtMsg = { type: 'lwt'; m: Body };
/** The LWT module's timers: the round's deadline, or the end of a backoff. */
export type LwtTimer = { kind: 'lwt'; data: { id: number; what: 'timeout' | 'retry' | 'commit-timeout'; attempt: number } };

/** Attempts (prepares) one LWT makes at most before giving up. */
export const MAX_ATTEMPTS = 8;
/** Backoff after a preempted attempt: uniform in [0, BACKOFF_US · 2^attempt), at most BACKOFF_MAX_US. */
const BACKOFF_US = 2_000;
const BACKOFF_MAX_US = 100_000;

const newStats = (): LwtStats => ({ rounds: 0, proposals: 0, commits: 0, contention: 0, finished: 0, mismatch: 0, unavailable: 0, timeouts: 0 });

/** < 0, 0, > 0 as ballot a is older, the same, newer than b (undefined is older than any). */
export function compareBallots(a: Ballot | undefined, b: Ballot | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return a.t !== b.t ? a.t - b.t : a.n - b.n;
}

const newer = <T extends { b: Ballot }>(a: T | undefined, b: T | undefined): T | undefined =>
  a === undefined ? b : b === undefined ? a : compareBallots(a.b, b.b) >= 0 ? a : b;

/** The module's state on a fresh node (`durable` undefined) or a restarted one. */
export function initLwt(durable: unknown): LwtState {
  const d = durable as LwtDurable | undefined;
  return { d: d ?? { acceptor: new Map(), lastBallot_t: 0, stats: newStats() }, rounds: new Map(), commits: new Map(), nextId: 0 };
}

/** What of the module's state survives a crash (the same object every step: no copy). */
export function durableLwt(s: QuorumState): unknown {
  return lwtOf(s).d;
}

const lwtOf = (s: QuorumState): LwtState => s.lwt as LwtState;

/** Whether a request goes through LWT: a register's `cas`, every inventory write. */
export function isLwtRequest(model: QuorumState['env']['model'], req: ClientRequest): boolean {
  return (model === 'register' && req.f === 'cas') || (model === 'inventory' && req.f !== 'read');
}

// ---------------------------------------------------------------------------- coordinator

/** Starts an LWT at its coordinator. */
export function onLwtRequest(s: QuorumState, req: ClientRequest, ctx: Ctx<QuorumMsg>): void {
  const L = lwtOf(s);
  const p = s.env.replicasOf(req.key);
  const local = s.env.spec.serial_consistency === 'LOCAL_SERIAL';
  const members: number[] = [];
  for (let i = 0; i < p.nodes.length; i++) if (!local || p.regionIdx[i] === s.regionIdx) members.push(i);
  const need = Math.floor(members.length / 2) + 1;
  // Unavailable as Cassandra decides it: too few participants believed up to ever reach a
  // quorum, known before anything is sent (so nothing happened).
  const view = liveReplicas(s, p, ctx.now());
  let up = 0;
  for (const i of members) if (view.up[i]) up++;
  if (members.length === 0 || up < need) {
    L.d.stats.unavailable++;
    ctx.reply(req.op, { type: 'fail', error: 'unavailable' });
    return;
  }
  const r: Round = {
    id: ++L.nextId,
    req,
    p,
    members,
    need,
    phase: 'prepare',
    b: { t: 0, n: s.rank },
    attempt: 0,
    yes: new Set(),
    no: new Set(),
    seen: undefined,
    inProgress: undefined,
    latestCommit: undefined,
    commitOf: new Map(),
    reads: [],
    proposal: undefined,
    own: false,
    maybeApplied: false,
    pendingOwn: false,
    result: undefined,
  };
  L.rounds.set(r.id, r);
  L.d.stats.rounds++;
  ctx.setTimer(micros(s.env.spec.write_timeout_us), { kind: 'lwt', data: { id: r.id, what: 'timeout', attempt: 0 } });
  prepare(s, r, ctx);
}

/** A new ballot: the clock, strictly above every ballot time used or seen. */
function nextBallot(s: QuorumState, r: Round, ctx: Ctx<QuorumMsg>): Ballot {
  const L = lwtOf(s);
  const floor = Math.max(L.d.lastBallot_t, r.seen?.t ?? 0, r.latestCommit?.b.t ?? 0, r.inProgress?.b.t ?? 0);
  const t = Math.max(ctx.now(), floor + 1);
  L.d.lastBallot_t = t;
  return { t, n: s.rank };
}

function startPhase(r: Round, phase: Phase): void {
  r.phase = phase;
  r.yes.clear();
  r.no.clear();
}

function prepare(s: QuorumState, r: Round, ctx: Ctx<QuorumMsg>): void {
  r.attempt++;
  r.b = nextBallot(s, r, ctx);
  r.inProgress = undefined;
  r.latestCommit = undefined;
  r.commitOf.clear();
  r.proposal = undefined;
  r.own = false;
  startPhase(r, 'prepare');
  toMembers(s, r, { kind: 'prepare', id: r.id, key: r.req.key, b: r.b }, ctx);
}

/** Sends `m` to every participant; this node's own part is answered in place. */
function toMembers(s: QuorumState, r: Round, m: Body, ctx: Ctx<QuorumMsg>): void {
  let selfAt = false;
  for (const i of r.members) {
    const node = r.p.nodes[i] as NodeId;
    if (node === s.self) selfAt = true;
    else ctx.send(node, { type: 'lwt', m });
  }
  if (selfAt) {
    const answer = acceptorStep(s, m, ctx);
    if (answer !== undefined) coordinatorStep(s, s.self, answer, ctx);
  }
}

function onPromise(s: QuorumState, r: Round, i: number, m: Extract<Body, { kind: 'promise' }>, ctx: Ctx<QuorumMsg>): void {
  if (m.ok) {
    r.yes.add(i);
    r.inProgress = newer(r.inProgress, m.accepted);
    r.latestCommit = newer(r.latestCommit, m.committed);
    r.commitOf.set(i, m.committed?.b);
  } else {
    r.no.add(i);
    if (compareBallots(m.promised, r.seen) > 0) r.seen = m.promised;
  }
  if (r.no.size > r.members.length - r.need) return preempted(s, r, ctx);
  if (r.yes.size < r.need) return;
  const commit = r.latestCommit;
  if (commit !== undefined) {
    // Promisers that lack the newest commit get it now (they may have missed it for good).
    for (const [i, b] of r.commitOf) {
      if (compareBallots(b, commit.b) >= 0) continue;
      const node = r.p.nodes[i] as NodeId;
      if (node !== s.self) ctx.send(node, { type: 'lwt', m: { kind: 'commit', id: 0, key: r.req.key, prop: commit } });
    }
  }
  // A ballot not above the newest commit's time would write cells that LWW cannot order
  // after it: start again above it (no backoff: nobody is competing).
  if (commit !== undefined && commit.b.t >= r.b.t) return prepare(s, r, ctx);
  const inProgress = r.inProgress;
  if (inProgress !== undefined && compareBallots(inProgress.b, commit?.b) > 0) {
    // Finish the accepted proposal of a proposer that may have died before committing it.
    lwtOf(s).d.stats.finished++;
    return propose(s, r, { b: r.b, cells: inProgress.cells }, false, ctx);
  }
  startPhase(r, 'read');
  r.reads = commit === undefined ? [] : [commit.cells];
  toMembers(s, r, { kind: 'read', id: r.id, key: r.req.key, b: r.b }, ctx);
}

function onReadReply(s: QuorumState, r: Round, i: number, m: Extract<Body, { kind: 'read-reply' }>, ctx: Ctx<QuorumMsg>): void {
  r.yes.add(i);
  r.reads.push(m.cells);
  if (r.yes.size < r.need) return;
  const row = mergeAll(r.reads);
  const L = lwtOf(s);
  const req = r.req;
  if (r.maybeApplied && ownWriteIn(row, req)) {
    // An earlier attempt's proposal of this op was completed (by this or another coordinator).
    return finish(s, r, ctx);
  }
  const cell = row.get(VALUE_CELL);
  const version = cell === undefined ? 'v0' : `v${cell.ts}`;
  const step = stepObject(s.env.model, objectOf(s.env.model, row), req.f, req.value, { version });
  switch (step.type) {
    case 'write':
      r.result = { type: 'ok', value: step.result };
      return propose(s, r, { b: r.b, cells: [[VALUE_CELL, { ts: r.b.t, v: step.next as never, op: req.op }]] }, true, ctx);
    case 'same':
    case 'read':
      r.result = { type: 'ok', value: step.type === 'same' ? step.result : step.value };
      return finish(s, r, ctx);
    case 'fail':
      L.d.stats.mismatch++;
      // A condition that fails now says nothing about an earlier attempt still in flight.
      if (r.maybeApplied) return drop(s, r);
      r.result = step;
      return finish(s, r, ctx);
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

function ownWriteIn(row: Row, req: ClientRequest): boolean {
  return row.get(VALUE_CELL)?.op === req.op;
}

function propose(s: QuorumState, r: Round, prop: Proposal, own: boolean, ctx: Ctx<QuorumMsg>): void {
  lwtOf(s).d.stats.proposals++;
  r.proposal = prop;
  r.own = own;
  startPhase(r, 'propose');
  toMembers(s, r, { kind: 'propose', id: r.id, key: r.req.key, prop }, ctx);
}

function onAccept(s: QuorumState, r: Round, i: number, m: Extract<Body, { kind: 'accept' }>, ctx: Ctx<QuorumMsg>): void {
  if (m.ok) r.yes.add(i);
  else {
    r.no.add(i);
    if (compareBallots(m.promised, r.seen) > 0) r.seen = m.promised;
  }
  if (r.no.size > r.members.length - r.need) return preempted(s, r, ctx);
  if (r.yes.size < r.need) return;
  // Chosen: commit to every replica of the key (participants or not), count the participants;
  // a replica believed down gets a hint, and so will any that has not acked by the timeout.
  const prop = r.proposal as Proposal;
  startPhase(r, 'commit');
  const m2: Body = { kind: 'commit', id: r.id, key: r.req.key, prop };
  const L = lwtOf(s);
  const pending: PendingCommit = { key: r.req.key, prop, p: r.p, acked: new Set() };
  L.commits.set(r.id, pending);
  ctx.setTimer(micros(s.env.spec.write_timeout_us), { kind: 'lwt', data: { id: r.id, what: 'commit-timeout', attempt: r.attempt } });
  const now = ctx.now();
  const view = liveReplicas(s, r.p, now);
  let selfAt = -1;
  for (let k = 0; k < r.p.nodes.length; k++) {
    const node = r.p.nodes[k] as NodeId;
    if (node === s.self) selfAt = k;
    else if (view.up[k]) ctx.send(node, { type: 'lwt', m: m2 });
    else {
      pending.acked.add(k);
      storeHint(s, node, r.req.key, prop.cells, now);
    }
  }
  if (selfAt >= 0) {
    const answer = acceptorStep(s, m2, ctx);
    if (answer !== undefined) coordinatorStep(s, s.self, answer, ctx);
  }
}

function onCommitAck(s: QuorumState, r: Round, i: number, ctx: Ctx<QuorumMsg>): void {
  if (!r.members.includes(i)) return;
  r.yes.add(i);
  if (r.yes.size < r.need) return;
  lwtOf(s).d.stats.commits++;
  if (r.own) return finish(s, r, ctx);
  // The in-progress proposal of another is done: now this op's own round.
  prepare(s, r, ctx);
}

/** A quorum refused: back off and try again with a higher ballot, or give up. */
function preempted(s: QuorumState, r: Round, ctx: Ctx<QuorumMsg>): void {
  const L = lwtOf(s);
  L.d.stats.contention++;
  r.pendingOwn = r.phase === 'propose' && r.own;
  if (r.attempt >= MAX_ATTEMPTS) {
    if (ownMaybeAccepted(r)) return drop(s, r);
    L.rounds.delete(r.id);
    ctx.reply(r.req.op, { type: 'fail', error: 'lwt-contention' });
    return;
  }
  // The answers to a refused proposal of this op keep counting during the backoff (phase
  // 'backoff' keeps yes/no): only when all participants refused is it known not accepted.
  r.phase = 'backoff';
  const span = Math.min(BACKOFF_MAX_US, BACKOFF_US * 2 ** (r.attempt - 1));
  ctx.setTimer(micros(1 + ctx.rng.int(span)), { kind: 'lwt', data: { id: r.id, what: 'retry', attempt: r.attempt } });
}

/** Whether this op's write may have been accepted by some participant (then: never `fail`). */
function ownMaybeAccepted(r: Round): boolean {
  if (r.maybeApplied) return true;
  if (r.pendingOwn || (r.own && (r.phase === 'propose' || r.phase === 'commit'))) return r.yes.size > 0 || r.no.size < r.members.length;
  return false;
}

function finish(s: QuorumState, r: Round, ctx: Ctx<QuorumMsg>): void {
  lwtOf(s).rounds.delete(r.id);
  ctx.reply(r.req.op, r.result ?? { type: 'ok' });
}

/** Ends the round without a reply: the client's timeout records the unknown outcome. */
function drop(s: QuorumState, r: Round): void {
  lwtOf(s).rounds.delete(r.id);
}

export function onLwtTimer(s: QuorumState, timer: LwtTimer, ctx: Ctx<QuorumMsg>): void {
  const L = lwtOf(s);
  if (timer.data.what === 'commit-timeout') {
    const c = L.commits.get(timer.data.id);
    if (c === undefined) return;
    L.commits.delete(timer.data.id);
    const now = ctx.now();
    for (let k = 0; k < c.p.nodes.length; k++) {
      if (!c.acked.has(k) && c.p.nodes[k] !== s.self) storeHint(s, c.p.nodes[k] as NodeId, c.key, c.prop.cells, now);
    }
    return;
  }
  const r = L.rounds.get(timer.data.id);
  if (r === undefined) return;
  if (timer.data.what === 'retry') {
    if (r.phase === 'backoff' && r.attempt === timer.data.attempt) {
      r.maybeApplied = ownMaybeAccepted(r);
      r.pendingOwn = false;
      prepare(s, r, ctx);
    }
    return;
  }
  // The deadline: Cassandra's CAS write timeout. Nothing of this op proposed: definitely not
  // applied (fail); else unknown (no reply).
  L.d.stats.timeouts++;
  L.rounds.delete(r.id);
  const unknown = ownMaybeAccepted(r) || (r.own && r.phase === 'commit');
  if (!unknown) ctx.reply(r.req.op, { type: 'fail', error: 'lwt-timeout' });
}

/** Routes an answer to the round it belongs to; answers of an earlier ballot are ignored. */
function coordinatorStep(s: QuorumState, from: NodeId, m: Body, ctx: Ctx<QuorumMsg>): void {
  if (m.kind === 'prepare' || m.kind === 'read' || m.kind === 'propose' || m.kind === 'commit') return;
  if (m.kind === 'commit-ack') noteCommitAck(s, from, m);
  const r = lwtOf(s).rounds.get(m.id);
  if (r === undefined || compareBallots(m.b, r.b) !== 0) return;
  const i = r.p.nodes.indexOf(from);
  if (i < 0 || r.yes.has(i) || r.no.has(i)) return;
  switch (m.kind) {
    case 'promise':
      if (r.phase === 'prepare') onPromise(s, r, i, m, ctx);
      return;
    case 'read-reply':
      if (r.phase === 'read') onReadReply(s, r, i, m, ctx);
      return;
    case 'accept':
      if (r.phase === 'propose') onAccept(s, r, i, m, ctx);
      else if (r.phase === 'backoff' && r.pendingOwn) (m.ok ? r.yes : r.no).add(i);
      return;
    case 'commit-ack':
      if (r.phase === 'commit') onCommitAck(s, r, i, ctx);
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown lwt answer ${JSON.stringify(never)}`);
    }
  }
}

/** A replica has the commit: no hint needed for it (whether or not the round still waits). */
function noteCommitAck(s: QuorumState, from: NodeId, m: Extract<Body, { kind: 'commit-ack' }>): void {
  const L = lwtOf(s);
  const c = L.commits.get(m.id);
  if (c === undefined || compareBallots(c.prop.b, m.b) !== 0) return;
  const k = c.p.nodes.indexOf(from);
  if (k >= 0) c.acked.add(k);
  if (c.acked.size >= c.p.nodes.length) L.commits.delete(m.id);
}

// ---------------------------------------------------------------------------- acceptor

function rowOf(s: QuorumState, key: string): PaxosRow {
  const acc = lwtOf(s).d.acceptor;
  let row = acc.get(key);
  if (row === undefined) {
    row = { promised: undefined, accepted: undefined, committed: undefined };
    acc.set(key, row);
  }
  return row;
}

/** A replica's part: returns its answer (undefined for none). */
function acceptorStep(s: QuorumState, m: Body, ctx: Ctx<QuorumMsg>): Body | undefined {
  switch (m.kind) {
    case 'prepare': {
      const row = rowOf(s, m.key);
      const ok = compareBallots(m.b, row.promised) > 0;
      if (ok) row.promised = m.b;
      return { kind: 'promise', id: m.id, b: m.b, ok, promised: row.promised, accepted: ok ? row.accepted : undefined, committed: ok ? row.committed : undefined };
    }
    case 'read':
      return { kind: 'read-reply', id: m.id, b: m.b, cells: cellsOf(getRow(s, m.key)) };
    case 'propose': {
      const row = rowOf(s, m.key);
      const ok = compareBallots(m.prop.b, row.promised) >= 0;
      if (ok) {
        row.promised = m.prop.b;
        row.accepted = m.prop;
      }
      return { kind: 'accept', id: m.id, b: m.prop.b, ok, promised: row.promised };
    }
    case 'commit': {
      const row = rowOf(s, m.key);
      if (compareBallots(m.prop.b, row.committed?.b) > 0) row.committed = m.prop;
      if (row.accepted !== undefined && compareBallots(row.accepted.b, m.prop.b) <= 0) row.accepted = undefined;
      putCells(s, m.key, m.prop.cells, ctx);
      return { kind: 'commit-ack', id: m.id, b: m.prop.b };
    }
    default:
      return undefined;
  }
}

export function onLwtMessage(s: QuorumState, from: NodeId, msg: LwtMsg, ctx: Ctx<QuorumMsg>): void {
  const answer = acceptorStep(s, msg.m, ctx);
  if (answer !== undefined) ctx.send(from, { type: 'lwt', m: answer });
  else coordinatorStep(s, from, msg.m, ctx);
}

/** The module's metrics (merged into the engine's; the runner sums them over nodes). */
export function lwtMetrics(s: QuorumState): Record<string, number> {
  const st = lwtOf(s).d.stats;
  return {
    lwt_rounds: st.rounds,
    lwt_proposals: st.proposals,
    lwt_commits: st.commits,
    lwt_contention: st.contention,
    lwt_finished_in_progress: st.finished,
    lwt_condition_failed: st.mismatch,
    lwt_unavailable: st.unavailable,
    lwt_timeouts: st.timeouts,
  };
}

/** Test hook: a replica's acceptor row of `key` (undefined when it never took part). */
export function paxosRowOf(s: QuorumState, key: string): PaxosRow | undefined {
  return lwtOf(s).d.acceptor.get(key);
}
