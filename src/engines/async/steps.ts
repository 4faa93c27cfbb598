/**
 * The async engine's step functions: one per client request, per message type and per timer
 * kind, each a pure function of (config, node state, input, ctx) like raft/group.ts's steps.
 * engine.ts only dispatches to them.
 */
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest, Ctx } from '../engine.js';
import type { AsyncCfg } from './config.js';
import { ownerOf } from './ownership.js';
import { ack, onRetry, pump } from './queue.js';
import { commitLocal, execute, feedRepair, mergeInto, queueFull, readOf } from './replica.js';
import { observeTs } from './timestamp.js';
import type { AsyncMsg, AsyncState, AsyncTimer } from './types.js';

type Msg<T extends AsyncMsg['type']> = Extract<AsyncMsg, { type: T }>;

// ---- client requests ----

/**
 * A client's request at its node: a quorum read is coordinated here; a read under
 * `read_from: leader`, or a write under `ownership: home`, is forwarded to the key's owner
 * unless this node is it; everything else runs here and is answered at once.
 */
export function stepRequest(c: AsyncCfg, s: AsyncState, req: ClientRequest, ctx: Ctx<AsyncMsg>): void {
  if (req.f === 'read' && c.readFrom === 'quorum') {
    c.quorum.start(s, req, ctx);
    return;
  }
  if (req.f === 'read' ? c.readFrom === 'leader' : c.spec.ownership === 'home') {
    const owner = ownerOf(req.key, c.spec.homes, c.topology);
    if (owner !== s.self) {
      s.awaitingFwd.add(req.op);
      if (req.f === 'read') s.stats.readsForwarded = (s.stats.readsForwarded ?? 0) + 1;
      ctx.send(owner, { type: 'fwd', req });
      return;
    }
  }
  ctx.reply(req.op, execute(c, s, req, ctx));
}

// ---- messages ----

/** A batch of a peer's changes: merged in seq order, duplicates skipped, a gap waits for the resend; acked cumulatively. */
export function stepChanges(c: AsyncCfg, s: AsyncState, from: NodeId, msg: Msg<'changes'>, ctx: Ctx<AsyncMsg>): void {
  let got = s.received.get(from) ?? 0;
  // The sender no longer holds seqs below `head` (its volatile queue died with a crash).
  if (msg.head - 1 > got) got = msg.head - 1;
  // Seqs first .. first + n - 1; the part of the batch at or below `got` is a duplicate,
  // already applied.
  const gap = msg.first > got + 1; // a gap: an earlier batch was lost; wait for the resend
  if (!gap) {
    for (let j = Math.max(0, got + 1 - msg.first); j < msg.keys.length; j++) {
      const change = msg.changes[j];
      if (c.spec.timestamps === 'hybrid') {
        const ts = c.rule.stampOf(change);
        if (ts) observeTs(s.hlc, ts, ctx.now());
      }
      mergeInto(c, s, msg.keys[j] as string, change, ctx);
      got = msg.first + j;
    }
  }
  s.received.set(from, got);
  ctx.send(from, { type: 'ack', upto: got });
}

/** A peer's cumulative ack: releases queue entries, feeds any pending repair, sends what the window now allows. */
export function stepAck(c: AsyncCfg, s: AsyncState, from: NodeId, msg: Msg<'ack'>, ctx: Ctx<AsyncMsg>): void {
  const q = s.out.get(from);
  if (!q) return;
  s.pendingChanges -= ack(q, msg.upto);
  feedRepair(c, s, q);
  pump(q, c.batch, ctx);
}

/** A request forwarded to this node as the key's owner. */
export function stepFwd(c: AsyncCfg, s: AsyncState, from: NodeId, msg: Msg<'fwd'>, ctx: Ctx<AsyncMsg>): void {
  // A read is answered from the owner's replica as it is now; nothing to remember.
  if (msg.req.f === 'read') {
    ctx.send(from, { type: 'fwd-reply', op: msg.req.op, result: readOf(c, s, s.store.get(msg.req.key) ?? c.rule.empty(), msg.req, ctx) });
    return;
  }
  // A duplicated forward is answered again, never executed twice.
  let result = s.fwdDone.get(msg.req.op);
  if (!result) {
    result = execute(c, s, msg.req, ctx);
    s.fwdDone.set(msg.req.op, result);
  }
  ctx.send(from, { type: 'fwd-reply', op: msg.req.op, result });
}

/** The owner's answer to a forwarded request: replied to the client once (duplicates dropped). */
export function stepFwdReply(s: AsyncState, msg: Msg<'fwd-reply'>, ctx: Ctx<AsyncMsg>): void {
  if (s.awaitingFwd.delete(msg.op)) ctx.reply(msg.op as never, msg.result);
}

/** Escrow: a peer out of rights asks for some; a transfer is a change like any other (refused when a queue is full). */
export function stepRightsReq(c: AsyncCfg, s: AsyncState, from: NodeId, msg: Msg<'rights-req'>, ctx: Ctx<AsyncMsg>): void {
  const found = s.store.get(msg.key);
  const st = found ?? c.rule.empty();
  const change = c.rule.grant?.(st, from, msg.want, c.envOf(s, ctx));
  if (change !== undefined && !queueFull(c, s)) commitLocal(c, s, msg.key, st, found !== undefined, change, ctx);
}

// ---- timers ----

/** `flush`: ships every queue (after `flush_interval`, or at once after a restart with changes to drain). */
export function onFlush(c: AsyncCfg, s: AsyncState, ctx: Ctx<AsyncMsg>): void {
  s.flushArmed = false;
  for (const q of s.out.values()) pump(q, c.batch, ctx);
}

/** `retry`: a destination queue's go-back-N timeout (queue.ts ignores a stale generation). */
export function onRetryTimer(c: AsyncCfg, s: AsyncState, t: Extract<AsyncTimer, { kind: 'retry' }>, ctx: Ctx<AsyncMsg>): void {
  const q = s.out.get(t.data.dest);
  if (q) onRetry(q, t.data.gen, c.batch, ctx);
}

/** `read-give-up`: forgets a quorum read that never reached a majority. */
export function onReadGiveUp(c: AsyncCfg, s: AsyncState, t: Extract<AsyncTimer, { kind: 'read-give-up' }>): void {
  c.quorum.onGiveUp(s, t.data);
}
