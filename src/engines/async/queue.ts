/**
 * Per-destination change queues: go-back-N with cumulative acks. Changes are sent in batches,
 * at most `WINDOW_BATCHES` batches ahead of the last ack; a retry timer resends everything
 * unacknowledged when no ack progressed, doubling its timeout up to `MAX_BACKOFF_US`, so a
 * partition costs a few probes, not a flood, and a heal drains the queue at the next probe.
 */
import { micros, MS, SEC, type Micros } from '../../sim/time.js';
import type { NodeId } from '../../sim/ids.js';
import type { Ctx } from '../engine.js';
import { addCopy, changeOf, dropCopy, keyOf, newLedger, type WriteLedger } from './ledger.js';
import type { AsyncMsg, AsyncTimer, ChangesMsg, Entry, OutQueue } from './types.js';
import { resized } from '../../typed-arrays.js';

export const WINDOW_BATCHES = 8;
export const MAX_BACKOFF_US = 2 * SEC;
export const MIN_RTO_US = 20 * MS;
/** first capacity of a queue's ids column (it doubles as needed) */
const INITIAL_CAPACITY = 64;

/** First retry timeout for a destination: a few round trips of the configured latency. */
export function baseRto(ctx: Ctx<AsyncMsg>, dest: NodeId): Micros {
  return micros(Math.max(MIN_RTO_US, 4 * ctx.topology.baseLatency(ctx.self, dest) + 5 * MS));
}

/**
 * A new queue. After a restart the restored entries may already have reached the destination
 * (an ack can be lost), so none of them may be coalesced into: `sentMax` starts at the end.
 * `ledger` holds the replica's changes and their keys and counts their copies across its
 * queues (one per replica); the restored entries' `pending` must be ids of `ledger` that
 * already count this queue's copy (lifecycle.ts initNode).
 */
export function newQueue(
  dest: NodeId,
  nextSeq: number,
  acked: number,
  entries: readonly Entry[],
  maxDepth: number,
  coalesce = false,
  coalesced = 0,
  ledger: WriteLedger = newLedger(),
): OutQueue {
  const ids = new Int32Array(Math.max(INITIAL_CAPACITY, entries.length));
  entries.forEach((e, i) => {
    ids[i] = e.pending;
  });
  return {
    dest,
    nextSeq,
    ids,
    len: entries.length,
    ledger,
    start: 0,
    acked,
    sentUpto: acked,
    backoff_us: 0,
    retryArmed: false,
    retryGen: 0,
    ackedAtArm: acked,
    maxDepth,
    sentMax: nextSeq - 1,
    probing: false,
    lastByKey: coalesce ? new Map() : undefined,
    coalesced,
    lastBatch: undefined,
  };
}

/** Unacknowledged changes in the queue. */
export function depth(q: OutQueue): number {
  return q.nextSeq - 1 - q.acked;
}

/** The column slot holding `seq` (which must be unacked: acked < seq < nextSeq). */
function slotOf(q: OutQueue, seq: number): number {
  return q.start + (seq - q.acked - 1);
}

/** The unacked entries, in order, as objects (a copy: for a restart and for tests, not the hot path). */
export function unacked(q: OutQueue): Entry[] {
  const out: Entry[] = [];
  for (let i = q.start; i < q.len; i++) {
    out.push({ seq: q.acked + 1 + (i - q.start), key: keyOf(q.ledger, q.ids[i] as number), change: changeOf(q.ledger, q.ids[i] as number), pending: q.ids[i] as number });
  }
  return out;
}

/** Whether merging `newer` makes `older` redundant (see Rule.supersedes). */
export type Supersedes = (newer: unknown, older: unknown) => boolean;

/**
 * Queues change `change`, write `id` of the queue's ledger (the change is handed in too, so
 * coalescing compares it without a rebuild from a packed column). With coalescing, a change
 * that supersedes the key's newest entry, when that entry has never been sent, takes that
 * entry's place (and seq) instead of growing the queue: during a partition the backlog is
 * then one entry per key written, not one per write.
 * Returns how many distinct changes no longer wait for any destination (a replaced change).
 */
export function enqueue(q: OutQueue, key: string, change: unknown, id: number, supersedes?: Supersedes): number {
  const byKey = q.lastByKey;
  if (byKey !== undefined && supersedes !== undefined) {
    const seq = byKey.get(key);
    // Above sentMax the entry never left this node, so it is unacked and its slot is live.
    if (seq !== undefined && seq > q.sentMax) {
      const i = slotOf(q, seq);
      if (supersedes(change, changeOf(q.ledger, q.ids[i] as number))) {
        const released = dropCopy(q.ledger, q.ids[i] as number) ? 1 : 0;
        q.ids[i] = id;
        addCopy(q.ledger, id);
        q.coalesced++;
        return released;
      }
    }
  }
  const seq = q.nextSeq++;
  if (q.len === q.ids.length) grow(q);
  q.ids[q.len] = id;
  q.len++;
  byKey?.set(key, seq);
  addCopy(q.ledger, id);
  const d = depth(q);
  if (d > q.maxDepth) q.maxDepth = d;
  return 0;
}

/** Doubles the capacity of the ids column. */
function grow(q: OutQueue): void {
  q.ids = resized(q.ids, q.ids.length * 2);
}

/**
 * Sends unsent entries in batches of `batch`, up to the window: WINDOW_BATCHES batches past the
 * last ack, or one while probing a silent destination. Arms the retry timer when something is
 * outstanding and no timer is armed.
 */
export function pump(q: OutQueue, batch: number, ctx: Ctx<AsyncMsg>): void {
  const last = q.nextSeq - 1;
  const limit = q.acked + (q.probing ? 1 : WINDOW_BATCHES) * batch;
  while (q.sentUpto < last && q.sentUpto < limit) {
    const from = q.sentUpto + 1;
    const to = Math.min(last, from + batch - 1);
    ctx.send(q.dest, batchOf(q, from, to));
    q.sentUpto = to;
    if (to > q.sentMax) q.sentMax = to;
  }
  if (q.sentUpto > q.acked && !q.retryArmed) armRetry(q, ctx);
}

/**
 * The `changes` message for seqs `from`..`to`. A message already sent for the same seqs with
 * the same `head` is sent again as is: seqs that were sent never change their change (only
 * never-sent entries are coalesced into), and with `head` unchanged none of them was acked,
 * so none was cleared from the ledger. That is a probe through a partition: every retry
 * timeout resends the first batch, and rebuilding its hundred changes (an object and a
 * timestamp each from LWW's packed column) for a message the cut drops was ~45% of all the
 * changes built on the 2-hour partition. Messages are never mutated (a duplicated one is
 * delivered twice already), so sharing one is safe.
 */
function batchOf(q: OutQueue, from: number, to: number): ChangesMsg {
  const head = q.acked + 1;
  const prev = q.lastBatch;
  if (prev !== undefined && prev.first === from && prev.head === head && prev.keys.length === to - from + 1) return prev;
  const keys: string[] = new Array<string>(to - from + 1);
  const changes: unknown[] = new Array<unknown>(to - from + 1);
  const i0 = slotOf(q, from);
  if (slotOf(q, to) >= q.len) throw new Error(`queue ${q.dest}: no entry for seq ${to}`);
  for (let j = 0; j <= to - from; j++) {
    const id = q.ids[i0 + j] as number;
    keys[j] = keyOf(q.ledger, id);
    changes[j] = changeOf(q.ledger, id);
  }
  const msg: ChangesMsg = { type: 'changes', head, first: from, keys, changes };
  q.lastBatch = msg;
  return msg;
}

function armRetry(q: OutQueue, ctx: Ctx<AsyncMsg>): void {
  if (q.backoff_us === 0) q.backoff_us = baseRto(ctx, q.dest);
  q.retryArmed = true;
  q.retryGen++;
  q.ackedAtArm = q.acked;
  const t: AsyncTimer = { kind: 'retry', data: { dest: q.dest, gen: q.retryGen } };
  ctx.setTimer(micros(q.backoff_us), t);
}

/**
 * A cumulative ack: releases entries up to `upto`. Returns how many distinct changes are now
 * acknowledged by every destination.
 */
export function ack(q: OutQueue, upto: number): number {
  let released = 0;
  const before = q.acked;
  const top = Math.min(upto, q.nextSeq - 1);
  while (q.acked < top && q.start < q.len) {
    const id = q.ids[q.start] as number;
    q.start++;
    q.acked++;
    if (dropCopy(q.ledger, id)) released++;
  }
  if (q.sentUpto < q.acked) q.sentUpto = q.acked;
  if (q.acked > before) q.probing = false; // the destination answers again: reopen the window
  // Compact now and then (in place) so the columns do not grow for ever.
  if (q.start > 1024 && q.start * 2 > q.len) {
    q.ids.copyWithin(0, q.start, q.len);
    q.len -= q.start;
    q.start = 0;
  }
  return released;
}

/**
 * The retry timer fired. With ack progress since it was armed the link works: keep waiting,
 * with the base timeout (resending now would duplicate batches still in flight under steady
 * load). Without progress for a whole timeout, go back to the first unacked entry and resend
 * only its batch, as a probe (like TCP's retransmission timeout): the ack it earns reopens the
 * window and the rest follows (a lost batch also held back the ones after it). The timeout
 * doubles up to MAX_BACKOFF_US, so a partition costs one batch per probe, not a window of
 * them, and a heal drains from the next probe on.
 * Stale timers (an older generation) are ignored.
 */
export function onRetry(q: OutQueue, gen: number, batch: number, ctx: Ctx<AsyncMsg>): void {
  if (gen !== q.retryGen) return;
  q.retryArmed = false;
  if (q.acked >= q.nextSeq - 1) {
    q.backoff_us = 0;
    return;
  }
  const progressed = q.acked > q.ackedAtArm;
  if (progressed) {
    q.backoff_us = baseRto(ctx, q.dest);
  } else {
    q.backoff_us = Math.min(MAX_BACKOFF_US, Math.max(q.backoff_us, baseRto(ctx, q.dest)) * 2);
    q.sentUpto = q.acked;
  }
  q.probing = !progressed;
  pump(q, batch, ctx);
  if (!q.retryArmed) armRetry(q, ctx);
}
