/**
 * Who is in the replication scope. Engines do not see the network, so reachability is judged
 * from heartbeats: every copy pings every other copy each `heartbeat_us`; a copy unheard for
 * `remove_delay_us` is removed from scope (policy `pause` only with `remove_after` or an
 * operator `remove`; `split-brain` on its own; `witness` only with the witness's grant, and
 * then copies follow the witness's numbered memberships). A copy that learns it is out, or
 * restarts, stops serving and recovers (recovery.ts). After a split brain, the side whose
 * lexicographically first region is smaller wins and the other side's copies recover from it.
 */
import type { NodeId } from '../../sim/ids.js';
import { abortPreparing, onCommitRetry, onCopyRemoved } from './coordinator.js';
import { askInDoubt, checkLocks, failWaitingReads } from './participant.js';
import { coordinatorOf, scopeOf, servingCopy, sideOf, type Io } from './state.js';
import { retrySponsorship, sendJoin } from './recovery.js';
import { setMembers } from './witness.js';
import { antiEntropyTick } from './antientropy.js';
import type { Beat, SyncState } from './types.js';

export function beatFor(s: SyncState, to: NodeId, now: number): Beat {
  const out = s.d.out.get(to);
  return {
    sent_us: now,
    inc: s.d.incarnation,
    epoch: s.d.epoch,
    config: s.d.config,
    out: out !== undefined,
    outInc: out?.inc ?? 0,
    operatorOut: out?.reason === 'operator',
    serving: servingCopy(s),
    side: sideOf(s),
  };
}

export function onHeartbeat(s: SyncState, io: Io): void {
  const clock = io.clock();
  const anomaly = Math.abs(clock - s.tick.clock_us - s.tick.after_us) > s.cfg.heartbeat_us / 2;
  s.tick = { mono_us: s.tick.mono_us + s.tick.after_us, clock_us: clock, after_us: s.cfg.heartbeat_us };
  // a jumped clock or a paused process: answers counted so far no longer prove the lease
  if (anomaly) s.lastAcked.clear();
  io.timer(s.cfg.heartbeat_us, { kind: 'hb' });
  if (s.role !== 'copy') return;
  const now = io.now();
  for (const c of s.cfg.copies) if (c !== s.self) io.send(c, { type: 'ping', ...beatFor(s, c, now) });
  checkLocks(s, io);
  askInDoubt(s, io);
  s.ticks++;
  antiEntropyTick(s, io);
  if (servingCopy(s)) removeSilent(s, now, io);
  for (const sp of [...s.sponsoring.values()]) retrySponsorship(s, sp, now, io);
  for (const [node, peers] of s.announce) {
    for (const p of peers) io.send(p, { type: 'rejoined', node });
  }
  const r = s.recovery;
  if (r && r.sponsor !== null && now - r.progress_us > 3 * s.cfg.spec.prepare_timeout_us) {
    r.sponsor = null; // the sponsor went quiet: take the next serving copy that answers
  }
  if (r && r.sponsor === null && restartedTogether(s, now)) s.recovery = null;
}

/**
 * Every copy restarted (a whole-cluster crash, or a single copy): no copy serves, so none can
 * sponsor, and waiting for one stopped the cluster for good. Without a witness, a restarted copy
 * resumes on its own when it holds every copy in scope and every other copy is recovering too
 * and counts it in: a commit needs every copy in scope, so they hold the same committed writes
 * (in-doubt ones are settled by asking the coordinator, as usual).
 * With a witness the membership may have changed behind our back: wait for a sponsor.
 */
function restartedTogether(s: SyncState, now: number): boolean {
  // Only with every copy in our scope: copies that each hold the others out (an operator took
  // them all out, a split) may have committed apart, and resuming alone would split the brain.
  if (s.cfg.arbiter !== null || s.d.selfRemoved || s.d.out.size > 0) return false;
  const recent = 3 * s.cfg.heartbeat_us;
  return s.cfg.copies.every((c) => {
    if (c === s.self) return true;
    const heard = s.peersRecovering.get(c);
    return heard !== undefined && now - heard <= recent;
  });
}

/** Removes (or asks the witness to remove) copies unheard for `remove_delay_us`. */
function removeSilent(s: SyncState, now: number, io: Io): void {
  if (!Number.isFinite(s.cfg.remove_delay_us)) return;
  for (const c of scopeOf(s)) {
    if (c === s.self) continue;
    const heard = s.lastHeard.get(c) ?? now;
    if (now - heard <= s.cfg.remove_delay_us) continue;
    if (s.cfg.arbiter !== null) askWitness(s, c, io);
    else removeCopy(s, c, 'auto', io);
  }
}

/** A peer follows a newer membership: fetch it from the witness (at most once per heartbeat). */
function askScope(s: SyncState, io: Io): void {
  if (s.cfg.arbiter === null) return;
  const now = io.now();
  if (now - s.scopeAsked < s.cfg.heartbeat_us) return;
  s.scopeAsked = now;
  io.send(s.cfg.arbiter, { type: 'scope-req' });
}

/**
 * Follows the witness's membership `epoch`: copies it counts are in scope, others out. Safe to
 * re-add: the witness adds a copy only after its sponsor drained it while refusing commits
 * without it. A copy the witness no longer counts stops serving and recovers.
 */
export function adoptScope(s: SyncState, epoch: number, members: NodeId[], io: Io): void {
  if (s.role !== 'copy' || epoch <= s.d.epoch) return;
  s.d.epoch = epoch;
  for (const c of s.cfg.copies) {
    if (c === s.self) continue;
    const o = s.d.out.get(c);
    if (members.includes(c)) {
      if (o && o.reason !== 'operator') {
        s.d.out.delete(c);
        s.d.pending.delete(c);
        s.sponsoring.delete(c);
      }
    } else if (!o) removeCopy(s, c, 'auto', io);
  }
  if (!members.includes(s.self) && servingCopy(s)) startRecovery(s, null, io);
}

/** Asks the witness to take `target` out of scope, at most once per heartbeat per target. */
function askWitness(s: SyncState, target: NodeId, io: Io): void {
  if (s.cfg.arbiter === null) return;
  const now = io.now();
  const last = s.witnessAsked.get(target);
  if (last !== undefined && now - last < s.cfg.heartbeat_us) return;
  s.witnessAsked.set(target, now);
  io.send(s.cfg.arbiter, { type: 'remove-req', target });
}

export function removeCopy(s: SyncState, c: NodeId, reason: 'auto' | 'operator', io: Io): void {
  const prev = s.d.out.get(c);
  if (prev && (prev.reason === 'operator' || reason === 'auto')) return;
  s.d.out.set(c, { reason, since_us: io.clock(), inc: s.knownInc.get(c) ?? 0 });
  // Our last "you are in scope" answer may still back its read lease: commit nothing without
  // it until that lease has surely run out (it lasts less than remove_delay from our answer).
  const acked = s.lastAckSent.get(c);
  if (s.cfg.read_lease && acked !== undefined) s.holdUntil = Math.max(s.holdUntil, acked + s.cfg.remove_delay_us);
  if (!prev) {
    s.d.counters.removals++;
    if (!s.d.pending.has(c)) s.d.pending.set(c, new Set());
  }
  s.sponsoring.delete(c);
  s.announce.delete(c);
  onCopyRemoved(s, c, io);
}

export function onPing(s: SyncState, from: NodeId, b: Beat, io: Io): void {
  const now = io.now();
  s.lastHeard.set(from, now);
  const pong = beatFor(s, from, now);
  if (!pong.out && pong.serving) s.lastAckSent.set(from, now);
  io.send(from, { type: 'pong', echo_us: b.sent_us, ...pong });
  onBeat(s, from, b, io);
}

export function onPong(s: SyncState, from: NodeId, b: Beat & { echo_us: number }, io: Io): void {
  const now = io.now();
  s.lastHeard.set(from, now);
  // Only an answer that still counts us in scope extends the read lease, and only from the
  // moment our ping left: the peer heard from us then, so it cannot remove us before then + delay.
  if (!b.out && b.serving && b.echo_us <= now) {
    s.lastAcked.set(from, Math.max(s.lastAcked.get(from) ?? -Infinity, b.echo_us));
  }
  onBeat(s, from, b, io);
}

/** What a peer's heartbeat says about us: out of its scope, removed by the operator, split. */
function onBeat(s: SyncState, from: NodeId, beat: Beat, io: Io): void {
  if (s.role !== 'copy') return;
  noteIncarnation(s, from, beat.inc);
  if (beat.epoch > s.d.epoch) askScope(s, io);
  // A claim about an earlier incarnation of us was sent before the sender learned that we
  // rejoined (a heartbeat in flight): it says nothing about us now.
  const current = beat.out && beat.outInc < s.d.incarnation ? { ...beat, out: false, operatorOut: false } : beat;
  // Sent before an operator remove/rejoin we applied: what it says the operator decided is
  // stale (a removal undone since, or none yet where we have one). Its "you are out" still
  // counts as a plain one.
  const staleOperator = beat.config < s.d.config;
  const b = staleOperator ? { ...current, operatorOut: false } : current;
  // our sponsor stopped serving (it lost a split itself, or was removed): find another
  if (!b.serving && s.recovery?.sponsor === from) s.recovery.sponsor = null;
  if (!b.serving && !b.out) s.peersRecovering.set(from, io.now());
  else s.peersRecovering.delete(from);
  if (!b.serving) return;
  if (b.operatorOut) {
    if (!s.d.selfRemoved) stopServing(s, 'copy-removed', io);
    s.d.selfRemoved = true;
    s.recovery = null;
    return;
  }
  if (b.out && s.d.selfRemoved && !staleOperator) {
    // the operator's rejoin reached the others while we were down
    s.d.selfRemoved = false;
    startRecovery(s, null, io);
  }
  if (servingCopy(s)) {
    if (!b.out) return;
    // With a witness, scope follows the witness's numbered memberships: a newer one was
    // fetched above; a claim under the same or an older one is stale.
    if (s.cfg.arbiter !== null) return;
    if (s.d.out.has(from)) {
      // Each side removed the other: a split brain. The stated rule picks the winner.
      const mine = sideOf(s);
      const wins = mine < b.side || (mine === b.side && s.self < from);
      if (wins) return;
    }
    startRecovery(s, from, io);
    return;
  }
  const r = s.recovery;
  if (r && r.sponsor === null) {
    r.sponsor = from;
    r.progress_us = io.now();
    r.dirty.clear();
    sendJoin(s, from, io);
  }
}

/** A copy we hold out of scope came back in a new incarnation: our removal now means that one. */
function noteIncarnation(s: SyncState, from: NodeId, inc: number): void {
  if ((s.knownInc.get(from) ?? 0) >= inc) return;
  s.knownInc.set(from, inc);
  const o = s.d.out.get(from);
  if (o && o.inc < inc) s.d.out.set(from, { ...o, inc });
}

function stopServing(s: SyncState, error: string, io: Io): void {
  abortPreparing(s, error, io);
  failWaitingReads(s, io, error);
}

/**
 * This copy is out of scope (or restarted): stop serving and catch up through a sponsor. The
 * sponsor's state is authoritative: every key where ours differs is overwritten, so writes
 * made on a side that lost a split are rolled back.
 */
export function startRecovery(s: SyncState, sponsor: NodeId | null, io: Io): void {
  stopServing(s, 'copy-recovering', io);
  // no longer in scope: whoever we were bringing back must find a sponsor that is
  s.sponsoring.clear();
  s.announce.clear();
  const now = io.now();
  s.recovery = { started_us: io.clock(), sponsor, dirty: new Set(), progress_us: now };
  if (sponsor !== null) sendJoin(s, sponsor, io);
}

/** The witness answered a removal request: follow its membership; refused means we are out. */
export function onRemoveRes(s: SyncState, target: NodeId, granted: boolean, epoch: number, members: NodeId[], io: Io): void {
  adoptScope(s, epoch, members, io);
  if (!servingCopy(s)) return;
  if (granted) removeCopy(s, target, 'auto', io);
  else startRecovery(s, null, io);
}

// ---- operator -------------------------------------------------------------------------------

/** Copies named by an operator target: a node id, a region, or `REGION/*`. */
export function targetsOf(s: SyncState, target: string): NodeId[] {
  const region = target.endsWith('/*') ? target.slice(0, -2) : target;
  return s.cfg.copies.filter((c) => c === target || s.cfg.regionOfNode[c] === region);
}

export function onAdmin(s: SyncState, kind: 'remove' | 'rejoin', target: string, config: number, io: Io): void {
  const nodes = targetsOf(s, target);
  s.d.config = Math.max(s.d.config, config);
  if (s.role === 'arbiter' && s.d.arbiterScope !== null && kind === 'remove') {
    const left = s.d.arbiterScope.filter((c) => !nodes.includes(c));
    if (left.length !== s.d.arbiterScope.length) setMembers(s, left);
  }
  if (s.role !== 'copy') return;
  for (const n of nodes) {
    if (kind === 'remove') {
      if (n === s.self) {
        if (!s.d.selfRemoved) stopServing(s, 'copy-removed', io);
        s.d.selfRemoved = true;
        s.recovery = null;
      } else removeCopy(s, n, 'operator', io);
    } else if (n === s.self) {
      if (s.d.selfRemoved) {
        s.d.selfRemoved = false;
        startRecovery(s, null, io);
      }
    } else {
      const o = s.d.out.get(n);
      if (o?.reason === 'operator') s.d.out.set(n, { ...o, reason: 'auto' });
    }
  }
}

/**
 * Restarted coordinator: finish the commits it logged but could not deliver, and abort its own
 * transactions that never reached a decision (presumed abort: no commit record, no commit).
 */
export function resumeAfterRestart(s: SyncState, io: Io): void {
  for (const [txn, dec] of s.d.decisions) {
    if (dec.coordinator && dec.outcome === 'commit' && dec.acked) onCommitRetry(s, txn, io);
  }
  for (const rec of [...s.d.prepared.values()]) {
    if (coordinatorOf(rec.txn) !== s.self || s.d.decisions.has(rec.txn)) continue;
    s.d.decisions.set(rec.txn, { outcome: 'abort', key: rec.key, participants: rec.participants, coordinator: true });
    for (const p of rec.participants) io.send(p, { type: 'abort', txn: rec.txn });
  }
}

