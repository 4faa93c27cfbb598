/**
 * Recovery of a copy that was out of scope or restarted. The copy asks a sponsor (a serving
 * copy) to bring it back and sends a digest of its key versions; the sponsor's state is
 * authoritative. `queue-drain` sends the keys where the versions differ (committed while the
 * copy was out, or written by a side that lost a split) plus whatever commits meanwhile;
 * `online-copy` sends every key. Batches of `batch_keys`, one round trip each, while writes go
 * on; then the sponsor fences, sends the tail, and puts the copy back in scope.
 */
import type { NodeId } from '../../sim/ids.js';
import { visible } from './model.js';
import { adoptScope } from './membership.js';
import { supersedeInDoubt } from './participant.js';
import { entryOf, servingCopy, type Io } from './state.js';
import { compareVersions, versionText, type Entry, type OutInfo, type Sponsorship, type SyncState } from './types.js';

/** Asks a sponsor to bring us back, telling it which version of each key we hold. */
export function sendJoin(s: SyncState, to: NodeId, io: Io, again = false): void {
  const digest: Array<[string, string]> = [...s.d.data.entries()].map(([k, e]) => [k, versionText(e.version)]);
  const inDoubt = [...new Set([...s.d.prepared.values()].map((p) => p.key))].sort();
  io.send(to, { type: 'join', again, inDoubt, digest: digest.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) });
}

/**
 * A copy asks to come back. Its digest says which version of each key it holds: `queue-drain`
 * sends the keys where ours differs (what was committed while it was out, and what its side
 * wrote if it lost a split) plus whatever commits meanwhile; `online-copy` sends every key.
 */
export function onJoin(
  s: SyncState,
  from: NodeId,
  digest: Array<[string, string]>,
  inDoubt: string[],
  again: boolean,
  io: Io,
): void {
  if (!servingCopy(s) || s.d.out.get(from)?.reason === 'operator') return;
  const todo = new Set<string>();
  const theirs = new Map(digest);
  for (const [k, v] of theirs) if (versionText(entryOf(s, k).version) !== v) todo.add(k);
  for (const [k, e] of s.d.data) if (theirs.get(k) !== versionText(e.version)) todo.add(k);
  for (const k of s.d.pending.get(from) ?? []) todo.add(k);
  // the copy's in-doubt keys: ours holds their outcome (sent once no longer locked here), and
  // the copy releases those transactions without applying them when it is welcomed
  for (const k of inDoubt) todo.add(k);
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
    config: s.d.config,
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

export function retrySponsorship(s: SyncState, sp: Sponsorship, now: number, io: Io): void {
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
  config: number,
  io: Io,
): void {
  const r = s.recovery;
  if (!r || r.sponsor !== from) return; // a late welcome from a sponsor we gave up on
  // The sponsor follows an older membership than one we have seen: find another (or ask it
  // again). Under the witness, an older epoch; under the operator, a welcome sent before a
  // remove/rejoin we applied since: its `out` would undo that decision (a rejoined copy held
  // out again, for good).
  if (epoch < s.d.epoch || config < s.d.config) {
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
  s.d.config = config;
  s.d.pending = new Map(pending.filter(([n]) => n !== s.self).map(([n, keys]) => [n, new Set(keys)]));
  s.d.counters.max_rejoin_ms = Math.max(s.d.counters.max_rejoin_ms, (io.clock() - r.started_us) / 1000);
  s.recovery = null;
  supersedeInDoubt(s, io);
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

