/**
 * A conflict rule: how one key's replicated state is changed by a local operation and how a
 * change shipped from another replica is merged. Every `merge` is idempotent and commutative
 * across origins (and in order per origin), so replicas that have merged the same changes hold
 * the same state: that is the convergence property the tests check.
 */
import type { Value } from '../../history/types.js';
import type { NodeId } from '../../sim/ids.js';
import type { ChangeColumn } from './change-column.js';
import type { ClientRequest, OpResult } from '../engine.js';
import type { Ts } from './timestamp.js';

/** What a rule may ask of its node while handling a local operation. */
export interface Env {
  readonly self: NodeId;
  /** this node's index in topology.nodes */
  readonly rank: number;
  /** all node ids in topology order */
  readonly nodes: readonly NodeId[];
  /** a fresh LWW timestamp (ticks the node's HLC when timestamps are hybrid) */
  stamp(): Ts;
  /** a fresh id unique across the cluster (`NODE#n`), for OR-set tags and dots */
  uid(): string;
}

/**
 * A local operation either answers at once (read, fail, idempotent repeat) or makes a change.
 * A change's `reply` is the answer once it is merged: a result known in advance, or a
 * function of the key's state after the merge (a reservation reports the stock left).
 */
export type LocalOutcome<Ch, St> =
  | { type: 'reply'; result: OpResult }
  | { type: 'change'; change: Ch; reply: OpResult | ((after: St) => OpResult) };

export interface Rule<St, Ch> {
  empty(): St;
  /** Decides a local operation against this replica's state; does not mutate it. */
  local(st: St, req: ClientRequest, env: Env): LocalOutcome<Ch, St>;
  /**
   * Optional: the answer to a plain `read` of this state, the same `local` gives, for rules
   * whose reads depend on the state alone (no env, no siblings to count): the hot path then
   * skips the outcome objects `local` builds (three per read).
   */
  read?(st: St): OpResult;
  /** Merges a change in place (a local one too); true when the visible value may have changed. */
  merge(st: St, ch: Ch): boolean;
  visible(st: St): Value;
  /** version text for `apply` records */
  version(st: St): string;
  /** the LWW timestamp a change carries, so a hybrid clock can move past it */
  stampOf(ch: Ch): Ts | undefined;
  /** the op whose effect a change carries */
  opOf(ch: Ch): number | undefined;
  /**
   * Whether merging `newer` makes merging `older` redundant on every replica, so a queue may
   * ship only `newer` (`coalesce: true`). Rules whose changes do not dominate each other
   * (siblings, tags, escrow transfers) leave it out and every change is queued.
   */
  supersedes?(newer: Ch, older: Ch): boolean;
  /** Sibling rules only: how many concurrent versions the key holds. */
  siblings?(st: St): number;
  /**
   * Escrow rules only: after a local request failed for want of local rights, which peer to ask
   * for more (the one this replica believes holds the most), and how many.
   */
  shortage?(st: St, req: ClientRequest, env: Env): { from: NodeId; want: number } | undefined;
  /** Escrow rules only: a transfer of some of this node's rights to `to`, if it has any to spare. */
  grant?(st: St, to: NodeId, want: number, env: Env): Ch | undefined;
  /**
   * Anti-entropy: changes that carry this replica's whole state of a key (empty when it holds
   * nothing), so a peer that merges them holds at least this state. Merging them is idempotent
   * and commutative like any change, so offering a state twice, or after the changes it
   * contains, is harmless. A node re-offers its store after a restart that lost its queues.
   */
  asChanges(st: St): Ch[];
  /**
   * Restore (optional): the key state whose visible value and version are these (an `apply`
   * record's). Rules without it are rebuilt by local operations (lifecycle.ts restoreNode).
   */
  restored?(value: Value, version: string | undefined): St;
  /**
   * Optional: a packed column for this rule's changes in the replica's change log (holding
   * `initial` first), so a long partition's backlog costs flat buffers, not objects per change.
   * Its `get` must rebuild changes equal field for field to those stored.
   */
  column?(initial: readonly unknown[]): ChangeColumn;
}

/**
 * The ok result a write returns once merged; a reservation reports the stock left at this
 * replica after the merge (less than it took when a newer value won here), beside the stock
 * and version its decision saw.
 */
export function okAfter(req: ClientRequest, reply: Value, visibleAfter: Value): OpResult {
  if (req.f !== 'reserve') return { type: 'ok', value: reply };
  const r = reply !== null && typeof reply === 'object' && !Array.isArray(reply) ? reply : {};
  return { type: 'ok', value: { ...r, remaining: visibleAfter } };
}
