/**
 * Who is in the replication scope. Engines do not see the network, so reachability is judged
 * from heartbeats: every copy pings every other copy each `heartbeat_us`; a copy unheard for
 * `remove_delay_us` is removed from scope (policy `pause` only with `remove_after` or an
 * operator `remove`; `split-brain` on its own; `witness` only with the witness's grant).
 *
 * A copy that is out of scope, or restarted, recovers through a sponsor (a serving copy that
 * knows it is out): the sponsor sends the keys committed without it (`queue-drain`) or every
 * key (`online-copy`) in batches, one round trip each, while writes go on; when nothing is left
 * to send and no prepared transaction lacks the copy, the sponsor puts it back in scope and
 * tells everyone. After a split brain, the side whose lexicographically first region is
 * smaller wins: each copy of the other side rolls back the keys its side wrote and recovers.
 */
import type { NodeId } from '../../sim/ids.js';
import { abortPreparing, onCommitRetry, onCopyRemoved } from './coordinator.js';
import { askInDoubt, checkLocks, failWaitingReads } from './participant.js';
import { coordinatorOf, entryOf, scopeOf, servingCopy, sideOf, type Io } from './state.js';
import { visible } from './model.js';
import { compareVersions, versionText, type Beat, type Entry, type OutInfo, type Sponsorship, type SyncState } from './types.js';

export function beatFor(s: SyncState, to: NodeId, now: number): Beat {
  const out = s.d.out.get(to);
  return {
    sent_us: now,
    inc: s.d.incarnation,
    epoch: s.d.epoch,
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
  if (servingCopy(s)) removeSilent(s, now, io);
  for (const sp of [...s.sponsoring.values()]) retrySponsorship(s, sp, now, io);
  for (const [node, peers] of s.announce) {
    for (const p of peers) io.send(p, { type: 'rejoined', node });
  }
  const r = s.recovery;
  if (r && r.sponsor !== null && now - r.progress_us > 3 * s.cfg.spec.prepare_timeout_us) {
    r.sponsor = null; // the sponsor went quiet: take the next serving copy that answers
  }
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
  const b = beat.out && beat.outInc < s.d.incarnation ? { ...beat, out: false, operatorOut: false } : beat;
  // our sponsor stopped serving (it lost a split itself, or was removed): find another
  if (!b.serving && s.recovery?.sponsor === from) s.recovery.sponsor = null;
  if (!b.serving) return;
  if (b.operatorOut) {
    if (!s.d.selfRemoved) stopServing(s, 'copy-removed', io);
    s.d.selfRemoved = true;
    s.recovery = null;
    return;
  }
  if (b.out && s.d.selfRemoved) {
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

/** Asks a sponsor to bring us back, telling it which version of each key we hold. */
function sendJoin(s: SyncState, to: NodeId, io: Io, again = false): void {
  const digest: Array<[string, string]> = [...s.d.data.entries()].map(([k, e]) => [k, versionText(e.version)]);
  io.send(to, { type: 'join', again, digest: digest.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) });
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

// ---- sponsor side -------------------------------------------------------------------------

/**
 * A copy asks to come back. Its digest says which version of each key it holds: `queue-drain`
 * sends the keys where ours differs (what was committed while it was out, and what its side
 * wrote if it lost a split) plus whatever commits meanwhile; `online-copy` sends every key.
 */
export function onJoin(s: SyncState, from: NodeId, digest: Array<[string, string]>, again: boolean, io: Io): void {
  if (!servingCopy(s) || s.d.out.get(from)?.reason === 'operator') return;
  const todo = new Set<string>();
  const theirs = new Map(digest);
  for (const [k, v] of theirs) if (versionText(entryOf(s, k).version) !== v) todo.add(k);
  for (const [k, e] of s.d.data) if (theirs.get(k) !== versionText(e.version)) todo.add(k);
  for (const k of s.d.pending.get(from) ?? []) todo.add(k);
  // (a copy asking again after a late commit needs only the difference)
  if (s.cfg.spec.recovery === 'online-copy' && !again) for (const k of s.d.data.keys()) todo.add(k);
  const sp: Sponsorship = {
    target: from,
    todo,
    inflight: null,
    seq: 0,
    phase: 'draining',
    witnessOk: false,
    fence: false,
    rounds: 0,
    stalls: 0,
    progress_us: io.now(),
  };
  s.sponsoring.set(from, sp);
  advance(s, sp, io);
}

/** After this many passes over a queue that refills as fast as it drains, fence anyway. */
const MAX_DRAIN_ROUNDS = 5;

/** Does a prepared transaction here leave `x` out (its commit would queue for `x` again)? */
function lacking(s: SyncState, x: NodeId): boolean {
  for (const rec of s.d.prepared.values()) if (!rec.participants.includes(x)) return true;
  return false;
}

/**
 * One step of bringing `x` back: send the next batch; when the queue is short (or after
 * MAX_DRAIN_ROUNDS passes), fence: refuse new commits without `x`, wait for those already
 * prepared, send what they queued, then (with the witness's consent) put `x` back in scope.
 * While fenced, writes fail for about one round trip: the switch-over of a synchronous copy.
 */
function advance(s: SyncState, sp: Sponsorship, io: Io): void {
  if (sp.inflight !== null) return;
  const x = sp.target;
  const pend = s.d.pending.get(x) ?? new Set<string>();
  if (sp.todo.size === 0) {
    if (!sp.fence && (pend.size <= s.cfg.batch_keys || sp.rounds >= MAX_DRAIN_ROUNDS)) sp.fence = true;
    if (sp.fence && lacking(s, x)) return; // retried on the heartbeat
    sp.rounds++;
    for (const k of pend) sp.todo.add(k);
  }
  if (sp.todo.size > 0) {
    // A key locked by an in-doubt txn is about to change: send it once the outcome is known
    // (retried on the heartbeat), or the copy could keep a value the txn then replaces.
    const keys = [...sp.todo].filter((k) => !s.locks.has(k)).sort().slice(0, s.cfg.batch_keys);
    if (keys.length === 0) return;
    for (const k of keys) sp.todo.delete(k);
    const entries = keys.map((key) => ({ key, entry: entryOf(s, key) }));
    sp.seq++;
    sp.inflight = { seq: sp.seq, versions: entries.map((e) => [e.key, versionText(e.entry.version)]) };
    io.send(x, { type: 'catchup', seq: sp.seq, entries });
    return;
  }
  if (!s.d.out.has(x) && s.cfg.arbiter === null) {
    // never out of our scope (a restart under `pause`): nothing to re-add or announce
    s.sponsoring.delete(x);
    sendWelcome(s, x, io);
    return;
  }
  if (s.cfg.arbiter !== null && !sp.witnessOk) {
    if (sp.phase !== 'asking-witness') io.send(s.cfg.arbiter, { type: 'add-req', target: x });
    sp.phase = 'asking-witness';
    return;
  }
  s.sponsoring.delete(x);
  s.d.out.delete(x);
  s.d.pending.delete(x);
  s.d.counters.rejoins++;
  sendWelcome(s, x, io);
  const peers = new Set(s.cfg.copies.filter((c) => c !== s.self && c !== x));
  s.announce.set(x, peers);
  for (const p of peers) io.send(p, { type: 'rejoined', node: x });
}

/** A fenced sponsor refuses prepares that leave its copy out. */
export function fencedOut(s: SyncState, participants: readonly NodeId[]): NodeId | null {
  for (const sp of s.sponsoring.values()) if (sp.fence && !participants.includes(sp.target)) return sp.target;
  return null;
}

function sendWelcome(s: SyncState, x: NodeId, io: Io): void {
  io.send(x, {
    type: 'welcome',
    epoch: s.d.epoch,
    out: [...s.d.out.entries()].filter(([n]) => n !== x),
    pending: [...s.d.pending.entries()].filter(([n]) => n !== x).map(([n, keys]) => [n, [...keys].sort()]),
  });
}

export function onCatchupAck(s: SyncState, from: NodeId, seq: number, dirty: string[], io: Io): void {
  const sp = s.sponsoring.get(from);
  if (!sp || !sp.inflight || sp.inflight.seq !== seq) return;
  // keys a late commit changed at the copy after its digest: send ours again
  for (const k of dirty) sp.todo.add(k);
  const pend = s.d.pending.get(from);
  for (const [key, vtext] of sp.inflight.versions) {
    // a key committed again since it was sent stays queued and goes in a later batch
    if (versionText(entryOf(s, key).version) === vtext) pend?.delete(key);
  }
  s.d.counters.keys_copied += sp.inflight.versions.length;
  sp.inflight = null;
  sp.stalls = 0;
  sp.progress_us = io.now();
  advance(s, sp, io);
}

function retrySponsorship(s: SyncState, sp: Sponsorship, now: number, io: Io): void {
  const heard = s.lastHeard.get(sp.target) ?? now;
  if (!servingCopy(s) || now - heard > 3 * s.cfg.spec.prepare_timeout_us) {
    // the copy went away (or we did): drop the fence, or writes would stay refused
    s.sponsoring.delete(sp.target);
    return;
  }
  if (now - sp.progress_us < s.cfg.spec.prepare_timeout_us) {
    if (sp.phase === 'draining') advance(s, sp, io);
    return;
  }
  sp.progress_us = now;
  // a copy that stopped answering (it picked another sponsor) is let go after a few tries
  if (++sp.stalls > 5) {
    s.sponsoring.delete(sp.target);
    return;
  }
  if (sp.inflight) {
    const entries = sp.inflight.versions.map(([key]) => ({ key, entry: entryOf(s, key) }));
    sp.inflight.versions = entries.map((e) => [e.key, versionText(e.entry.version)]);
    io.send(sp.target, { type: 'catchup', seq: sp.inflight.seq, entries });
  } else if (sp.phase === 'asking-witness' && s.cfg.arbiter !== null) {
    io.send(s.cfg.arbiter, { type: 'add-req', target: sp.target });
  } else {
    advance(s, sp, io);
  }
}

export function onAddRes(s: SyncState, target: NodeId, granted: boolean, epoch: number, members: NodeId[], io: Io): void {
  const sp = s.sponsoring.get(target);
  const mine = sp !== undefined && sp.phase === 'asking-witness';
  if (granted && mine) s.sponsoring.delete(target);
  // the witness's answer carries its membership: follow it (we may be the ones out)
  adoptScope(s, epoch, members, io);
  if (!granted || !mine || !servingCopy(s)) return;
  // Drained while fenced, and now counted by the witness: the copy is back in scope.
  s.d.out.delete(target);
  s.d.pending.delete(target);
  s.d.counters.rejoins++;
  sendWelcome(s, target, io);
}

// ---- recovering side ------------------------------------------------------------------------

export function onCatchup(s: SyncState, from: NodeId, seq: number, entries: Array<{ key: string; entry: Entry }>, io: Io): void {
  const r = s.recovery;
  // only our current sponsor speaks for the scope (no ack: a former sponsor gives up)
  if (r !== null && r.sponsor !== from) return;
  for (const { key, entry } of entries) {
    const cur = entryOf(s, key);
    // recovering: the sponsor's version wins, older or not; otherwise only newer ones
    const cmp = compareVersions(entry.version, cur.version);
    if (r === null ? cmp <= 0 : cmp === 0) continue;
    // a key the sponsor never had is rolled back to not existing at all
    if (entry.version === null) s.d.data.delete(key);
    else s.d.data.set(key, entry);
    io.ctx.applied(key, visible(s.cfg.model, entry.state), undefined, versionText(entry.version));
  }
  const dirty = r ? [...r.dirty].sort() : [];
  if (r) {
    r.progress_us = io.now();
    r.dirty.clear();
  }
  io.send(from, { type: 'catchup-ack', seq, dirty });
}

export function onWelcome(
  s: SyncState,
  from: NodeId,
  out: Array<[NodeId, OutInfo]>,
  pending: Array<[NodeId, string[]]>,
  epoch: number,
  io: Io,
): void {
  const r = s.recovery;
  if (!r || r.sponsor !== from) return; // a late welcome from a sponsor we gave up on
  if (epoch < s.d.epoch) {
    // the sponsor follows an older membership than one we have seen: find another
    r.sponsor = null;
    return;
  }
  if (r.dirty.size > 0) {
    // a commit (decided before we left, say) changed keys after our digest: ask again
    r.dirty.clear();
    r.progress_us = io.now();
    sendJoin(s, from, io, true);
    return;
  }
  const now = io.now();
  s.d.out = new Map(out.filter(([n]) => n !== s.self));
  s.d.epoch = Math.max(s.d.epoch, epoch);
  s.d.pending = new Map(pending.filter(([n]) => n !== s.self).map(([n, keys]) => [n, new Set(keys)]));
  s.d.counters.max_rejoin_ms = Math.max(s.d.counters.max_rejoin_ms, (io.clock() - r.started_us) / 1000);
  s.recovery = null;
  s.d.incarnation++;
  for (const c of s.cfg.copies) s.lastHeard.set(c, now);
}

export function onRejoined(s: SyncState, from: NodeId, node: NodeId, io: Io): void {
  io.send(from, { type: 'rejoined-ack', node });
  // only a sponsor on our side of a split speaks for our scope
  if (node === s.self || s.d.out.has(from) || s.d.out.get(node)?.reason === 'operator') return;
  if (s.d.out.delete(node)) s.d.pending.delete(node);
  s.sponsoring.delete(node);
}

export function onRejoinedAck(s: SyncState, from: NodeId, node: NodeId): void {
  const peers = s.announce.get(node);
  if (!peers) return;
  peers.delete(from);
  if (peers.size === 0) s.announce.delete(node);
}

// ---- witness arbiter ------------------------------------------------------------------------

/**
 * The witness is the membership authority: it grants a removal or an addition only to a copy
 * it still counts in scope (so one side wins a partition), numbers every change, and answers
 * with the current membership either way.
 */
export function onRemoveReq(s: SyncState, from: NodeId, target: NodeId, io: Io): void {
  const scope = s.d.arbiterScope;
  if (s.role !== 'arbiter' || scope === null) return;
  const granted = scope.includes(from);
  if (granted && scope.includes(target)) setMembers(s, scope.filter((c) => c !== target));
  io.send(from, { type: 'remove-res', target, granted, epoch: s.d.epoch, members: s.d.arbiterScope ?? [] });
}

export function onAddReq(s: SyncState, from: NodeId, target: NodeId, io: Io): void {
  const scope = s.d.arbiterScope;
  if (s.role !== 'arbiter' || scope === null) return;
  const granted = scope.includes(from);
  if (granted && !scope.includes(target)) setMembers(s, s.cfg.copies.filter((c) => c === target || scope.includes(c)));
  io.send(from, { type: 'add-res', target, granted, epoch: s.d.epoch, members: s.d.arbiterScope ?? [] });
}

export function onScopeReq(s: SyncState, from: NodeId, io: Io): void {
  if (s.role !== 'arbiter' || s.d.arbiterScope === null) return;
  io.send(from, { type: 'scope', epoch: s.d.epoch, members: s.d.arbiterScope });
}

function setMembers(s: SyncState, members: NodeId[]): void {
  s.d.arbiterScope = members;
  s.d.epoch++;
}

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

export function onAdmin(s: SyncState, kind: 'remove' | 'rejoin', target: string, io: Io): void {
  const nodes = targetsOf(s, target);
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

