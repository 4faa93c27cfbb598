/**
 * The coordinator side of two-phase commit. The node that receives a client's write becomes
 * its coordinator: prepare (lock the key on every copy in scope), decide, log the decision
 * durably, commit everywhere, and acknowledge the client only when every copy in scope has
 * acknowledged the commit. Any `no` vote or a `prepare_timeout` aborts: the client gets
 * `fail`, which is safe because no copy can have committed without a logged commit decision.
 */
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest } from '../engine.js';
import { evaluate, initialState, isRead } from './model.js';
import { failReq, okReq, scopeOf, servingCopy, type Io } from './state.js';
import { serveRead } from './participant.js';
import { compareVersions, versionText, type ActiveTxn, type SyncState, type Version } from './types.js';
import type { Value } from '../../history/types.js';

export function onClientRequest(s: SyncState, req: ClientRequest, io: Io): void {
  if (s.role !== 'copy') return failReq(io, req.op, 'not-a-copy');
  if (isRead(req)) return serveRead(s, req, io);
  if (!servingCopy(s)) return failReq(io, req.op, s.d.selfRemoved ? 'copy-removed' : 'copy-recovering');
  const txn = `${s.self}#${++s.d.txnSeq}`;
  const participants = scopeOf(s);
  const t: ActiveTxn = {
    txn,
    op: req.op,
    req,
    key: req.key,
    age: { ts: io.clock(), txn },
    participants,
    votes: new Map(),
    phase: 'preparing',
  };
  s.active.set(txn, t);
  for (const p of participants) {
    io.send(p, { type: 'prepare', epoch: s.d.epoch, txn, key: req.key, age: t.age, participants });
  }
  io.timer(s.cfg.spec.prepare_timeout_us, { kind: 'prepare-timeout', data: txn });
}

export function onVote(
  s: SyncState,
  from: NodeId,
  m: { txn: string; yes: true; state: Value; version: Version | null } | { txn: string; yes: false; error: string },
  io: Io,
): void {
  const t = s.active.get(m.txn);
  if (!t || t.phase !== 'preparing' || !t.participants.includes(from)) return;
  if (!m.yes) return abortTxn(s, t, m.error, io);
  t.votes.set(from, { state: m.state, version: m.version });
  if (t.votes.size === t.participants.length) decide(s, t, io);
}

function decide(s: SyncState, t: ActiveTxn, io: Io): void {
  const votes = t.participants.map((p) => t.votes.get(p)).filter((v) => v !== undefined);
  let newest = votes[0] ?? { state: initialState(s.cfg.model), version: null };
  for (const v of votes) if (compareVersions(v.version, newest.version) > 0) newest = v;
  // Invariant: every copy in scope has committed the same writes of this key in the same order,
  // so the locked copies all report one version. A split brain is the one policy that allows not.
  if (s.cfg.spec.on_failure !== 'split-brain') {
    const differing = t.participants.filter((p) => compareVersions(t.votes.get(p)?.version ?? null, newest.version) !== 0);
    if (differing.length > 0) {
      io.ctx.invariant(
        `key ${t.key}: copies ${differing.join(', ')} hold a different committed version than ${versionText(newest.version)} when ${t.txn} prepared (writes committed in different orders)`,
        [t.op],
      );
    }
  }
  // The committed version the decision is based on (reported by reservations: rule (a) of lost_update).
  const ev = evaluate(s.cfg.model, t.req, newest.state, newest.version === null ? 'initial' : versionText(newest.version));
  if (!ev.ok) return abortTxn(s, t, ev.error, io);
  const version: Version = { ts: Math.max(io.clock(), (newest.version?.ts ?? 0) + 1), txn: t.txn };
  // The commit point: logged before any copy hears of it.
  s.d.decisions.set(t.txn, {
    outcome: 'commit',
    key: t.key,
    state: ev.state,
    version,
    participants: t.participants,
    acked: [],
    coordinator: true,
    op: t.op,
  });
  t.phase = 'committing';
  t.result = ev.result;
  sendCommit(s, t.txn, t.participants, io);
  io.timer(s.cfg.spec.prepare_timeout_us, { kind: 'commit-retry', data: t.txn });
}

function sendCommit(s: SyncState, txn: string, to: NodeId[], io: Io): void {
  const dec = s.d.decisions.get(txn);
  if (!dec || dec.outcome !== 'commit' || !dec.version) return;
  for (const p of to) {
    io.send(p, {
      type: 'commit',
      txn,
      key: dec.key,
      state: dec.state ?? null,
      version: dec.version,
      participants: dec.participants,
      op: dec.op,
    });
  }
}

export function abortTxn(s: SyncState, t: ActiveTxn, error: string, io: Io): void {
  s.d.decisions.set(t.txn, { outcome: 'abort', key: t.key, participants: t.participants, coordinator: true });
  s.active.delete(t.txn);
  s.d.counters.aborts++;
  for (const p of t.participants) io.send(p, { type: 'abort', txn: t.txn });
  failReq(io, t.op, error);
}

export function onPrepareTimeout(s: SyncState, txn: string, io: Io): void {
  const t = s.active.get(txn);
  if (t && t.phase === 'preparing') abortTxn(s, t, 'prepare-timeout', io);
}

export function onCommitAck(s: SyncState, from: NodeId, txn: string, io: Io): void {
  const dec = s.d.decisions.get(txn);
  if (!dec || !dec.coordinator || !dec.acked) return;
  if (!dec.acked.includes(from)) dec.acked.push(from);
  checkCommitDone(s, txn, io);
}

/** Every copy still in scope has the commit: the client gets its `ok`. */
export function checkCommitDone(s: SyncState, txn: string, io: Io): boolean {
  const dec = s.d.decisions.get(txn);
  if (!dec || !dec.acked) return true;
  const waiting = unacked(s, txn);
  if (waiting.length > 0) return false;
  const t = s.active.get(txn);
  if (t) {
    s.active.delete(txn);
    s.d.counters.commits++;
    okReq(io, t.op, t.result);
  }
  dec.acked = undefined;
  return true;
}

function unacked(s: SyncState, txn: string): NodeId[] {
  const dec = s.d.decisions.get(txn);
  if (!dec || !dec.acked) return [];
  const acked = dec.acked;
  // A copy removed from scope no longer holds commits up; it catches up when it rejoins.
  return dec.participants.filter((p) => !acked.includes(p) && !s.d.out.has(p));
}

/** Re-sends the commit to copies that have not acknowledged it (lost message, crashed copy). */
export function onCommitRetry(s: SyncState, txn: string, io: Io): void {
  if (checkCommitDone(s, txn, io)) return;
  sendCommit(s, txn, unacked(s, txn), io);
  io.timer(s.cfg.spec.prepare_timeout_us, { kind: 'commit-retry', data: txn });
}

/** Settles transactions affected by a copy leaving scope. */
export function onCopyRemoved(s: SyncState, copy: NodeId, io: Io): void {
  for (const t of [...s.active.values()]) {
    if (!t.participants.includes(copy)) continue;
    if (t.phase === 'preparing') abortTxn(s, t, 'copy-removed', io);
    else checkCommitDone(s, t.txn, io);
  }
}

/** The node stops serving: transactions still preparing abort. Decided ones carry on. */
export function abortPreparing(s: SyncState, error: string, io: Io): void {
  for (const t of [...s.active.values()]) if (t.phase === 'preparing') abortTxn(s, t, error, io);
}
