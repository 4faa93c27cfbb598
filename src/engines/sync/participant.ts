/**
 * The participant side of two-phase commit, and local reads.
 *
 * Locks: a prepared transaction holds its key's exclusive lock on every copy in scope until
 * its outcome arrives. Deadlocks between coordinators are avoided by wait-die: a prepare that
 * finds the key locked by a younger transaction waits (at most `lock_timeout`); one that finds
 * it locked by an older transaction votes no at once. Waits therefore only point from older to
 * younger transactions and cannot form a cycle.
 *
 * Reads take a shared lock for the instant of the read: a read of a key that a prepared
 * transaction has locked waits until the outcome is known (at most `lock_timeout`, then `fail`).
 * That is how in-doubt transactions block readers, and why reads are linearizable: between the
 * first copy committing and the last, every other copy is locked.
 */
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest } from '../engine.js';
import { visible } from './model.js';
import { fencedOut } from './recovery.js';
import {
  coordinatorOf,
  entryOf,
  failReq,
  leaseValid,
  markPending,
  okReq,
  sameMembers,
  scopeOf,
  servingCopy,
  type Io,
} from './state.js';
import { older, versionText, compareVersions, type PrepareMsg, type SyncState, type Version } from './types.js';
import type { Value } from '../../history/types.js';

export function onPrepare(s: SyncState, from: NodeId, m: PrepareMsg, io: Io): void {
  const refuse = (error: string): void => io.send(from, { type: 'vote', txn: m.txn, yes: false, error });
  if (s.role !== 'copy') return refuse('not-a-copy');
  if (s.d.decisions.has(m.txn)) return refuse('already-decided');
  if (s.d.prepared.has(m.txn)) return voteYes(s, from, m.txn, m.key, io);
  if (!servingCopy(s)) return refuse(s.d.selfRemoved ? 'copy-removed' : 'copy-recovering');
  if (from !== s.self && s.d.out.has(from)) return refuse('coordinator-out-of-scope');
  if (m.epoch !== s.d.epoch) return refuse('epoch-mismatch');
  if (io.now() < s.holdUntil) return refuse('removal-lease-wait');
  // Both sides must agree on the scope, so no copy can miss a commit unnoticed.
  if (!sameMembers(m.participants, scopeOf(s))) return refuse('scope-mismatch');
  if (fencedOut(s, m.participants) !== null) return refuse('copy-rejoining');
  tryLock(s, from, m, io, s.waitSeq++, true);
}

/** Grants the lock, or waits (older asks younger), or refuses (younger asks older). */
function tryLock(s: SyncState, from: NodeId, m: PrepareMsg, io: Io, id: number, fresh: boolean): void {
  const holder = s.locks.get(m.key);
  if (holder === undefined) {
    s.locks.set(m.key, m.txn);
    s.d.prepared.set(m.txn, {
      txn: m.txn,
      key: m.key,
      coord: from,
      participants: m.participants,
      age: m.age,
      at_us: io.clock(),
    });
    voteYes(s, from, m.txn, m.key, io);
    return;
  }
  const holderRec = s.d.prepared.get(holder);
  if (holderRec && older(m.age, holderRec.age)) {
    const q = s.prepWaits.get(m.key) ?? [];
    q.push({ msg: m, from, id });
    s.prepWaits.set(m.key, q);
    if (fresh) io.timer(s.cfg.spec.lock_timeout_us, { kind: 'prep-wait', data: { key: m.key, id } });
    return;
  }
  io.send(from, { type: 'vote', txn: m.txn, yes: false, error: 'lock-conflict' });
}

function voteYes(s: SyncState, to: NodeId, txn: string, key: string, io: Io): void {
  const e = entryOf(s, key);
  io.send(to, { type: 'vote', txn, yes: true, state: e.state, version: e.version });
}

/** A waiting prepare ran out of `lock_timeout`: vote no. */
export function onPrepWaitTimeout(s: SyncState, key: string, id: number, io: Io): void {
  const q = s.prepWaits.get(key);
  const i = q ? q.findIndex((w) => w.id === id) : -1;
  if (!q || i < 0) return;
  const [w] = q.splice(i, 1);
  if (q.length === 0) s.prepWaits.delete(key);
  if (w) io.send(w.from, { type: 'vote', txn: w.msg.txn, yes: false, error: 'lock-timeout' });
}

/** Releases a key's lock: waiting reads see the new value, then waiting prepares retry in order. */
function release(s: SyncState, key: string, txn: string, io: Io): void {
  if (s.locks.get(key) !== txn) return;
  s.locks.delete(key);
  const reads = s.readWaits.get(key) ?? [];
  s.readWaits.delete(key);
  for (const r of reads) serveRead(s, r.req, io, r.id);
  const preps = s.prepWaits.get(key) ?? [];
  s.prepWaits.delete(key);
  for (const w of preps) {
    if (s.d.decisions.has(w.msg.txn)) continue;
    if (!servingCopy(s) || !sameMembers(w.msg.participants, scopeOf(s))) {
      io.send(w.from, { type: 'vote', txn: w.msg.txn, yes: false, error: 'scope-mismatch' });
      continue;
    }
    tryLock(s, w.from, w.msg, io, w.id, false);
  }
}

/** Applies a commit (from the coordinator or learned from a peer) and releases the lock. */
export function applyCommit(
  s: SyncState,
  m: { txn: string; key: string; state: Value; version: Version; participants: NodeId[]; op?: number },
  io: Io,
): void {
  if (s.d.superseded.has(m.txn)) return; // rolled into the state our sponsor gave us
  const known = s.d.decisions.get(m.txn);
  // a repeated commit (a retry, or an answer after we learned it elsewhere) changes nothing:
  // since then the key may have been overwritten on purpose (a rolled-back split)
  if (known?.outcome === 'commit' && known.applied) return;
  if (known?.outcome === 'abort') {
    // Two-phase commit never decides both ways; only a split brain's rolled-back side can
    // still be sending the commit of a transaction this copy saw aborted.
    if (s.cfg.spec.on_failure !== 'split-brain') {
      io.ctx.invariant(`${s.self}: transaction ${m.txn} on ${m.key} committed after it was aborted here`);
    }
    return;
  }
  finishInDoubt(s, m.txn, io);
  if (known) known.applied = true;
  else {
    s.d.decisions.set(m.txn, {
      outcome: 'commit',
      key: m.key,
      state: m.state,
      version: m.version,
      participants: m.participants,
      coordinator: false,
      op: m.op,
      applied: true,
    });
  }
  const cur = entryOf(s, m.key);
  // A copy that caught up by drain or copy may already hold this or a newer version.
  if (compareVersions(m.version, cur.version) > 0) {
    s.d.data.set(m.key, { state: m.state, version: m.version });
    io.ctx.applied(m.key, visible(s.cfg.model, m.state), m.op as never, versionText(m.version));
    s.recovery?.dirty.add(m.key);
  }
  for (const c of s.cfg.copies) {
    if (c !== s.self && !m.participants.includes(c)) markPending(s, c, m.key);
  }
  release(s, m.key, m.txn, io);
  checkNoLockOf(s, m.txn, io);
}

/**
 * A recovered copy's own in-doubt transactions: the sponsor's copy of every key already holds
 * whatever of them counts (it sent a locked key only once the outcome was known there), and a
 * commit of a side that lost a split must not come back. Release them without applying.
 */
export function supersedeInDoubt(s: SyncState, io: Io): void {
  // our own commits still unacknowledged are the sponsor's business now too: stop pushing them
  for (const dec of s.d.decisions.values()) if (dec.coordinator) dec.acked = undefined;
  for (const rec of [...s.d.prepared.values()]) {
    finishInDoubt(s, rec.txn, io);
    s.d.superseded.add(rec.txn);
    release(s, rec.key, rec.txn, io);
  }
}

export function applyAbort(s: SyncState, txn: string, io: Io): void {
  const rec = s.d.prepared.get(txn);
  finishInDoubt(s, txn, io);
  if (!s.d.decisions.has(txn)) {
    s.d.decisions.set(txn, { outcome: 'abort', key: rec?.key ?? '', participants: rec?.participants ?? [], coordinator: false });
  }
  if (rec) release(s, rec.key, txn, io);
  // a prepare still waiting for the lock is dropped: the txn is over
  for (const [key, q] of s.prepWaits) {
    const rest = q.filter((w) => w.msg.txn !== txn);
    if (rest.length === 0) s.prepWaits.delete(key);
    else s.prepWaits.set(key, rest);
  }
  checkNoLockOf(s, txn, io);
}

function finishInDoubt(s: SyncState, txn: string, io: Io): void {
  const rec = s.d.prepared.get(txn);
  if (!rec) return;
  s.d.prepared.delete(txn);
  s.lastAsk.delete(txn);
  const held_ms = Math.max(0, io.clock() - rec.at_us) / 1000;
  const c = s.d.counters;
  c.max_in_doubt_ms = Math.max(c.max_in_doubt_ms, held_ms);
  if (held_ms * 1000 > s.cfg.spec.prepare_timeout_us) c.in_doubt_blocked_ms += held_ms;
}

/** Invariant: a finished transaction holds no lock. */
export function checkNoLockOf(s: SyncState, txn: string, io: Io): void {
  for (const [key, holder] of s.locks) {
    if (holder === txn) io.ctx.invariant(`${s.self}: lock on ${key} still held by finished transaction ${txn}`);
  }
}

/** Sweep for the same invariant, run on every heartbeat. */
export function checkLocks(s: SyncState, io: Io): void {
  for (const [key, holder] of s.locks) {
    if (s.d.decisions.has(holder) || !s.d.prepared.has(holder)) {
      io.ctx.invariant(`${s.self}: lock on ${key} held by ${holder}, which is not a prepared transaction`);
    }
  }
}

/** A local read: served now, or queued behind a prepared lock. */
export function serveRead(s: SyncState, req: ClientRequest, io: Io, id?: number): void {
  if (!servingCopy(s)) return failReq(io, req.op, s.d.selfRemoved ? 'copy-removed' : 'copy-recovering');
  if (!leaseValid(s, io.now(), io.clock())) return failReq(io, req.op, 'no-read-lease');
  if (s.locks.has(req.key)) {
    const wid = id ?? s.waitSeq++;
    const q = s.readWaits.get(req.key) ?? [];
    q.push({ req, id: wid });
    s.readWaits.set(req.key, q);
    if (id === undefined) io.timer(s.cfg.spec.lock_timeout_us, { kind: 'read-wait', data: { key: req.key, id: wid } });
    return;
  }
  okReq(io, req.op, visible(s.cfg.model, entryOf(s, req.key).state));
}

export function onReadWaitTimeout(s: SyncState, key: string, id: number, io: Io): void {
  const q = s.readWaits.get(key);
  const i = q ? q.findIndex((w) => w.id === id) : -1;
  if (!q || i < 0) return;
  const [w] = q.splice(i, 1);
  if (q.length === 0) s.readWaits.delete(key);
  if (w) failReq(io, w.req.op, 'lock-timeout');
}

/** Fails every waiting read (the node stops serving). */
export function failWaitingReads(s: SyncState, io: Io, error: string): void {
  const all = [...s.readWaits.values()].flat();
  s.readWaits.clear();
  for (const w of all) failReq(io, w.req.op, error);
}

/**
 * Cooperative termination: an in-doubt participant asks the coordinator and the other
 * participants. It stays blocked while none of them knows (the coordinator down and nobody
 * got the decision): the blocking problem of 2PC.
 */
export function askInDoubt(s: SyncState, io: Io): void {
  const now = io.clock();
  const wait = s.cfg.spec.prepare_timeout_us;
  for (const rec of s.d.prepared.values()) {
    if (now - rec.at_us < wait) continue;
    const last = s.lastAsk.get(rec.txn);
    if (last !== undefined && now - last < wait) continue;
    s.lastAsk.set(rec.txn, now);
    const ask = new Set<NodeId>([rec.coord, ...rec.participants]);
    ask.delete(s.self);
    for (const n of ask) io.send(n, { type: 'decision-req', txn: rec.txn, participants: rec.participants });
  }
}

export function onDecisionReq(s: SyncState, from: NodeId, txn: string, participants: NodeId[], io: Io): void {
  if (s.d.superseded.has(txn)) {
    io.send(from, { type: 'decision', txn, outcome: 'unknown' });
    return;
  }
  const dec = s.d.decisions.get(txn);
  if (dec) {
    if (dec.outcome === 'commit') {
      io.send(from, { type: 'decision', txn, outcome: 'commit', key: dec.key, state: dec.state, version: dec.version, op: dec.op });
    } else io.send(from, { type: 'decision', txn, outcome: 'abort' });
    return;
  }
  if (s.active.has(txn) || s.d.prepared.has(txn)) {
    io.send(from, { type: 'decision', txn, outcome: 'unknown' });
    return;
  }
  // The coordinator logs a commit before telling anyone, so no record means no commit
  // (presumed abort); a participant that never voted yes may abort unilaterally.
  if (coordinatorOf(txn) === s.self || participants.includes(s.self)) {
    s.d.decisions.set(txn, { outcome: 'abort', key: '', participants, coordinator: coordinatorOf(txn) === s.self });
    applyAbort(s, txn, io);
    io.send(from, { type: 'decision', txn, outcome: 'abort' });
    return;
  }
  io.send(from, { type: 'decision', txn, outcome: 'unknown' });
}

export function onDecision(
  s: SyncState,
  m: { txn: string; outcome: 'commit' | 'abort' | 'unknown'; key?: string; state?: unknown; version?: Version; op?: number },
  io: Io,
): void {
  const rec = s.d.prepared.get(m.txn);
  if (!rec || m.outcome === 'unknown') return;
  if (m.outcome === 'abort') return applyAbort(s, m.txn, io);
  if (m.version === undefined) return;
  applyCommit(
    s,
    { txn: m.txn, key: rec.key, state: (m.state ?? null) as Value, version: m.version, participants: rec.participants, op: m.op },
    io,
  );
  io.send(rec.coord, { type: 'commit-ack', txn: m.txn });
}
