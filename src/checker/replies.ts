/**
 * Replies that break "invoke, then exactly one of `ok`, `fail` or `info`" (CHECKING.md), each
 * an `invariant` instance whose witness names the op and both replies:
 * - a second completion after the op's `ok` or `fail` (twice, or contradictory: ok then fail).
 *   After an `info` a later completion only settles what was unknown and is not counted;
 * - a completion or reply naming an op that was never invoked;
 * - an `extra_reply` record: the simulator's note of a reply its engine sent beyond the first
 *   (the first one is the op's completion, when it reached the client).
 * Witnesses come in the order of the offending records' times (then kind, then record order).
 */
import type { CompletionRecord, ExtraReplyRecord, Value } from '../history/types.js';
import type { Witness } from './types.js';
import { MAX_WITNESSES, opRef, sec, show } from './explain.js';
import type { Op } from './ops.js';

/** The offending records, as the table kept them. */
export interface ReplyFacts {
  secondCompletions: ReadonlyArray<{ rec: CompletionRecord }>;
  orphanCompletions: readonly CompletionRecord[];
  extraReplies: readonly ExtraReplyRecord[];
}

/** One reply as a witness's `details` lists it. */
interface ReplyDetail {
  reply: 'ok' | 'fail' | 'info';
  t?: number;
  node?: string;
  value?: Value;
  error?: string;
}

/**
 * Every rule-breaking reply: how many, and the witnesses of the first MAX_WITNESSES (made only
 * for those: an engine that answers every op twice gives one per op).
 */
export function replyWitnesses(
  facts: ReplyFacts,
  byId: { get(id: number): Op | undefined },
): { count: number; witnesses: Witness[] } {
  const found: Array<{ t: number; make: () => Witness }> = [];
  for (const { rec } of facts.secondCompletions) {
    const op = byId.get(rec.op);
    if (op) found.push({ t: rec.t, make: () => second(op, rec) });
  }
  for (const rec of facts.orphanCompletions) found.push({ t: rec.t, make: () => orphan(rec.op, detailOf(rec)) });
  for (const rec of facts.extraReplies) {
    const op = byId.get(rec.op);
    found.push({ t: rec.t, make: () => (op ? extra(op, rec) : orphan(rec.op, detailOf(rec))) });
  }
  // stable: equal times keep the order above
  found.sort((a, b) => a.t - b.t);
  return { count: found.length, witnesses: found.slice(0, MAX_WITNESSES).map((x) => x.make()) };
}

function detailOf(r: CompletionRecord | ExtraReplyRecord): ReplyDetail {
  const d: ReplyDetail = { reply: r.type === 'extra_reply' ? r.reply : r.type, t: r.t };
  if (r.type === 'extra_reply') d.node = r.node;
  if ((r.type === 'ok' || (r.type === 'extra_reply' && r.reply === 'ok')) && r.value !== undefined) d.value = r.value;
  if (r.type !== 'ok' && r.error !== undefined) d.error = r.error;
  return d;
}

/** The op's own completion (the first reply the client saw). */
function completionOf(op: Op): ReplyDetail {
  const d: ReplyDetail = { reply: op.type === 'open' ? 'info' : op.type };
  if (op.complete_t !== null) d.t = op.complete_t;
  if (op.type === 'ok' && op.result !== undefined) d.value = op.result;
  if (op.type !== 'ok' && op.error !== undefined) d.error = op.error;
  return d;
}

/** `ok (300) at 1.001 s from us-east/0`, `fail ("conflict") at 1.2 s` */
function text(d: ReplyDetail): string {
  const what = d.value !== undefined ? ` (${show(d.value)})` : d.error !== undefined ? ` (${JSON.stringify(d.error)})` : '';
  return `${d.reply}${what}${d.t === undefined ? '' : ` at ${sec(d.t)}`}${d.node ? ` from ${d.node}` : ''}`;
}

function opWitness(op: Op, first: ReplyDetail, then: ReplyDetail, explanation: string): Witness {
  const times = [op.invoke_t, ...(first.t === undefined ? [] : [first.t]), ...(then.t === undefined ? [] : [then.t])];
  return {
    ops: [op.id],
    key: op.key,
    clients: [op.client],
    nodes: then.node ? [op.node, then.node] : [op.node],
    times_us: times,
    explanation,
    details: { first, second: then },
  };
}

function second(op: Op, rec: CompletionRecord): Witness {
  const first = completionOf(op);
  const then = detailOf(rec);
  const kind = first.reply === then.reply ? 'twice' : 'with contradictory replies';
  return opWitness(
    op,
    first,
    then,
    `${opRef(op)} by ${op.client} was answered ${kind}: ${text(first)}, then ${text(then)}; ` +
      'an op ends with exactly one of ok, fail or info',
  );
}

function extra(op: Op, rec: ExtraReplyRecord): Witness {
  const seen = completionOf(op);
  const firstKind = rec.first ?? seen.reply;
  // the engine's first reply is the op's completion when the client received it
  const first: ReplyDetail = seen.reply === firstKind ? seen : { reply: firstKind };
  const then = detailOf(rec);
  const received = seen.reply === firstKind ? text(seen) : `${firstKind}, which the client never received (it saw ${text(seen)})`;
  const kind = firstKind === then.reply ? 'twice' : 'with contradictory replies';
  return opWitness(
    op,
    first,
    then,
    `the engine answered ${opRef(op)} by ${op.client} ${kind}: first ${received}, then ${text(then)}; ` +
      'an op gets exactly one reply',
  );
}

function orphan(id: number, then: ReplyDetail): Witness {
  return {
    ops: [id],
    ...(then.node ? { nodes: [then.node] } : {}),
    times_us: then.t === undefined ? [] : [then.t],
    explanation: `a reply ${text(then)} names op ${id}, which was never invoked`,
    details: { second: then },
  };
}
