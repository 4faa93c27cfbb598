/**
 * `read_from: quorum` for the async engine (Cassandra/Dynamo QUORUM reads): the node a client
 * reads from asks every other replica for its state of the key and answers once a majority of
 * all replicas, itself included, have reported, with the value of the merge of those states
 * under the conflict rule. Writes are still acknowledged by one node, so a quorum read is not
 * linearizable: it sees a write only when one of the replicas it heard from has it. It is
 * fresher than a local read because it sees the newest state among a majority, not one node.
 *
 * Without a majority (a partitioned minority, crashed peers) the read is never answered and the
 * client times out (`info`): there is no failure detector to fail fast on. The coordinator
 * forgets such a read after `READ_GIVE_UP_US`. No read repair: the merge is a private copy.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros, SEC } from '../../sim/time.js';
import type { ClientRequest, Ctx, OpResult, Topology } from '../engine.js';
import type { Rule } from './rule.js';
import type { AsyncMsg, AsyncState, AsyncTimer } from './types.js';

/** A quorum read that has not reached a majority by then is dropped (its client timed out long before). */
export const READ_GIVE_UP_US = micros(60 * SEC);

/** Replicas that must report, the coordinator included: a majority of all nodes. */
export function readQuorum(replicas: number): number {
  return Math.floor(replicas / 2) + 1;
}

export interface QuorumReads {
  /** starts a quorum read for `req` (a read) at this node; answers at once on a one-node cluster */
  start(s: AsyncState, req: ClientRequest, ctx: Ctx<AsyncMsg>): void;
  /** a peer asks for this replica's state of a key */
  onReadReq(s: AsyncState, from: NodeId, msg: Extract<AsyncMsg, { type: 'read-req' }>, ctx: Ctx<AsyncMsg>): void;
  /** a peer's state arrives; duplicates, late replies and replies to forgotten reads are ignored */
  onReadRep(s: AsyncState, from: NodeId, msg: Extract<AsyncMsg, { type: 'read-rep' }>, ctx: Ctx<AsyncMsg>): void;
  /** the give-up timer of read `id` */
  onGiveUp(s: AsyncState, id: number): void;
}

/**
 * `answer(s, st, req, ctx)` decides the read against a key state (the merged copy) and
 * returns the client's result.
 */
export function quorumReads(
  rule: Rule<unknown, unknown>,
  topology: Topology,
  answer: (s: AsyncState, st: unknown, req: ClientRequest, ctx: Ctx<AsyncMsg>) => OpResult,
): QuorumReads {
  const need = readQuorum(topology.nodes.length);

  /** A copy of a key's state, built by merging the changes that carry it into an empty state. */
  function copyOf(st: unknown): unknown {
    const c = rule.empty();
    for (const ch of rule.asChanges(st)) rule.merge(c, ch);
    return c;
  }

  return {
    start(s, req, ctx) {
      const local = s.store.get(req.key);
      const merged = local === undefined ? rule.empty() : copyOf(local);
      if (need <= 1) {
        ctx.reply(req.op, answer(s, merged, req, ctx));
        return;
      }
      const id = ++s.readSeq;
      s.pendingReads.set(id, { req, merged, answered: [] });
      s.stats.quorumReads = (s.stats.quorumReads ?? 0) + 1;
      for (const n of topology.nodes) if (n !== s.self) ctx.send(n, { type: 'read-req', id, key: req.key });
      const t: AsyncTimer = { kind: 'read-give-up', data: id };
      ctx.setTimer(READ_GIVE_UP_US, t);
    },
    onReadReq(s, from, msg, ctx) {
      const st = s.store.get(msg.key);
      ctx.send(from, { type: 'read-rep', id: msg.id, changes: st === undefined ? [] : rule.asChanges(st) });
    },
    onReadRep(s, from, msg, ctx) {
      const p = s.pendingReads.get(msg.id);
      if (!p || p.answered.includes(from)) return;
      for (const ch of msg.changes) rule.merge(p.merged, ch);
      p.answered.push(from);
      if (p.answered.length + 1 < need) return;
      s.pendingReads.delete(msg.id);
      ctx.reply(p.req.op, answer(s, p.merged, p.req, ctx));
    },
    onGiveUp(s, id) {
      if (s.pendingReads.delete(id)) s.stats.quorumReadsAbandoned = (s.stats.quorumReadsAbandoned ?? 0) + 1;
    },
  };
}
