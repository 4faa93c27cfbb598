/**
 * Anti-entropy for `split-brain` only. After several sides of a split have reconciled pairwise
 * by the side rule, copies can in rare orders of events (crashes and cuts while reconciling)
 * still differ on a key. Once a second each copy sends one peer in its scope a digest of its
 * key versions; the peer answers with its entries that are newer (by commit timestamp). Keys
 * locked by a prepared transaction on either side are left to that transaction.
 */
import type { NodeId } from '../../sim/ids.js';
import { visible } from './model.js';
import { entryOf, scopeOf, servingCopy, type Io } from './state.js';
import { compareVersions, versionText, type Entry, type SyncState } from './types.js';

/** Heartbeats between two anti-entropy rounds of one copy. */
const TICKS_PER_ROUND = 10;

export function antiEntropyTick(s: SyncState, io: Io): void {
  if (s.cfg.spec.on_failure !== 'split-brain' || !servingCopy(s) || s.ticks % TICKS_PER_ROUND !== 0) return;
  const peers = scopeOf(s).filter((c) => c !== s.self);
  const peer = peers[(s.ticks / TICKS_PER_ROUND) % Math.max(1, peers.length)];
  if (peer === undefined) return;
  const digest: Array<[string, string]> = [...s.d.data.entries()].map(([k, e]) => [k, versionText(e.version)]);
  io.send(peer, { type: 'ae', digest: digest.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) });
}

function peerInScope(s: SyncState, from: NodeId): boolean {
  return s.cfg.spec.on_failure === 'split-brain' && servingCopy(s) && !s.d.out.has(from);
}

export function onAntiEntropy(s: SyncState, from: NodeId, digest: Array<[string, string]>, io: Io): void {
  if (!peerInScope(s, from)) return;
  const theirs = new Map(digest);
  const entries: Array<{ key: string; entry: Entry }> = [];
  for (const [key, e] of [...s.d.data.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (s.locks.has(key) || theirs.get(key) === versionText(e.version)) continue;
    entries.push({ key, entry: e });
  }
  if (entries.length > 0) io.send(from, { type: 'ae-entries', entries });
}

export function onAntiEntropyEntries(s: SyncState, from: NodeId, entries: Array<{ key: string; entry: Entry }>, io: Io): void {
  if (!peerInScope(s, from)) return;
  for (const { key, entry } of entries) {
    if (s.locks.has(key) || compareVersions(entry.version, entryOf(s, key).version) <= 0) continue;
    s.d.data.set(key, entry);
    io.ctx.applied(key, visible(s.cfg.model, entry.state), undefined, versionText(entry.version));
  }
}
