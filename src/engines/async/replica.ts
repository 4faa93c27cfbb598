/**
 * What one async replica does locally, whatever input led there: run an operation against its
 * store, merge a change, queue a change for every peer and ship the queues, re-offer its store
 * after a restart that lost its queues (anti-entropy), ask a peer for escrow rights.
 */
import { SEC } from '../../sim/time.js';
import type { ClientRequest, Ctx, OpResult } from '../engine.js';
import type { AsyncCfg } from './config.js';
import { depth, enqueue, pump } from './queue.js';
import { copiesOf, issue } from './ledger.js';
import type { AsyncMsg, AsyncState, AsyncTimer, OutQueue } from './types.js';

/** An out-of-rights node asks a peer again for the same key after this long (its own clock). */
export const RIGHTS_ASK_INTERVAL_US = SEC;

function stateOf(c: AsyncCfg, s: AsyncState, key: string): unknown {
  let st = s.store.get(key);
  if (st === undefined) {
    st = c.rule.empty();
    s.store.set(key, st);
  }
  return st;
}

/** Merges a change into this replica and records the apply when the visible value moved. */
export function mergeInto(c: AsyncCfg, s: AsyncState, key: string, change: unknown, ctx: Ctx<AsyncMsg>): void {
  mergeState(c, stateOf(c, s, key), key, change, ctx);
}

/** `mergeInto` with the key's state in the store already looked up (`st` is the stored object). */
function mergeState(c: AsyncCfg, st: unknown, key: string, change: unknown, ctx: Ctx<AsyncMsg>): void {
  if (!c.rule.merge(st, change)) return;
  const op = c.rule.opOf(change);
  ctx.applied(key, c.rule.visible(st), op === undefined ? undefined : (op as never), c.rule.version(st));
}

/** Sends what the queues allow now, or arms the flush timer when `flush_interval` batches sends. */
export function ship(c: AsyncCfg, s: AsyncState, ctx: Ctx<AsyncMsg>): void {
  if (c.spec.flush_interval_us > 0) {
    if (!s.flushArmed) {
      s.flushArmed = true;
      const t: AsyncTimer = { kind: 'flush' };
      ctx.setTimer(c.spec.flush_interval_us, t);
    }
    return;
  }
  for (const q of s.out.values()) pump(q, c.batch, ctx);
}

/** Backpressure: a change is refused, never dropped, when any destination's queue is full. */
export function queueFull(c: AsyncCfg, s: AsyncState): boolean {
  if (c.queueLimit === Infinity) return false; // no limit set: the change log takes every write
  for (const q of s.out.values()) if (depth(q) >= c.queueLimit) return true;
  return false;
}

/**
 * Applies a change made here and queues it for every other node. `st`: the key's state as the
 * caller read it (`store.get(key) ?? rule.empty()`), `stored` whether that lookup found it, so
 * after the set below it is the stored object and neither the merge nor this needs another
 * lookup.
 */
export function commitLocal(c: AsyncCfg, s: AsyncState, key: string, st: unknown, stored: boolean, change: unknown, ctx: Ctx<AsyncMsg>): void {
  if (!stored) s.store.set(key, st);
  mergeState(c, st, key, change, ctx);
  const id = issue(s.ledger, false, change, key);
  for (const q of s.out.values()) s.pendingChanges -= enqueue(q, key, change, id, c.supersedes);
  if (copiesOf(s.ledger, id) > 0) s.pendingChanges++;
  ship(c, s, ctx);
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
export function feedRepair(c: AsyncCfg, s: AsyncState, q: OutQueue): void {
  const r = s.repair.get(q.dest);
  if (!r) return;
  while (r.next < r.keys.length) {
    const key = r.keys[r.next] as string;
    const st = s.store.get(key);
    const changes = st === undefined ? [] : c.rule.asChanges(st);
    if (changes.length > 0 && depth(q) > 0 && depth(q) + changes.length > c.queueLimit) return;
    r.next++;
    if (changes.length === 0) continue;
    // One write id per change (the log holds one change per id); a key's offers differ in
    // origin, so none of them coalesces into another and the count is as with one id per key.
    for (const ch of changes) {
      const id = issue(s.ledger, true, ch, key);
      s.pendingChanges -= enqueue(q, key, ch, id, c.supersedes);
      if (copiesOf(s.ledger, id) > 0) s.pendingChanges++;
    }
    s.stats.antiEntropyKeys++;
  }
  s.repair.delete(q.dest);
}

/** Runs an operation at this replica (the client's node, or the owner of a forwarded write). */
export function execute(c: AsyncCfg, s: AsyncState, req: ClientRequest, ctx: Ctx<AsyncMsg>): OpResult {
  // A read must not create the key: replicas that were only read would list it in `final`.
  const found = s.store.get(req.key);
  const st = found ?? c.rule.empty();
  if (req.f === 'read' && c.rule.read !== undefined) return c.rule.read(st);
  const out = c.rule.local(st, req, c.envOf(s, ctx));
  if (out.type === 'reply') {
    if (req.f === 'read' && c.rule.siblings) s.stats.maxSiblingsRead = Math.max(s.stats.maxSiblingsRead, c.rule.siblings(st));
    if (out.result.type === 'fail' && out.result.error === 'out-of-stock') askForRights(c, s, st, req, ctx);
    return out.result;
  }
  if (queueFull(c, s)) {
    s.stats.refusedQueueFull++;
    return { type: 'fail', error: 'queue-full' };
  }
  commitLocal(c, s, req.key, st, found !== undefined, out.change, ctx);
  return typeof out.reply === 'function' ? out.reply(st) : out.reply;
}

/** Answers a read from a key state that is not necessarily this replica's (a quorum merge). */
export function readOf(c: AsyncCfg, s: AsyncState, st: unknown, req: ClientRequest, ctx: Ctx<AsyncMsg>): OpResult {
  const out = c.rule.local(st, req, c.envOf(s, ctx));
  if (out.type !== 'reply') throw new Error(`async: a read of ${req.key} made a change`);
  if (c.rule.siblings) s.stats.maxSiblingsRead = Math.max(s.stats.maxSiblingsRead, c.rule.siblings(st));
  return out.result;
}

/** Escrow: out of local rights, ask the richest peer for some (at most once per key per second). */
function askForRights(c: AsyncCfg, s: AsyncState, st: unknown, req: ClientRequest, ctx: Ctx<AsyncMsg>): void {
  const need = c.rule.shortage?.(st, req, c.envOf(s, ctx));
  if (!need) return;
  const last = s.askedRights.get(req.key);
  if (last !== undefined && ctx.now() - last < RIGHTS_ASK_INTERVAL_US) return;
  s.askedRights.set(req.key, ctx.now());
  ctx.send(need.from, { type: 'rights-req', key: req.key, want: need.want });
}
