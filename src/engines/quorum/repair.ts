/**
 * Anti-entropy repair (Cassandra's `nodetool repair`): replicas compare Merkle trees of their
 * data per token range and stream each other the cells of the parts that differ, so that
 * replicas that missed writes beyond the reach of hints (a partition longer than the hint
 * window, hints lost with a coordinator) converge.
 *
 * A session runs at one node X, on schedule (`repair: { every }`, staggered by node rank) or
 * when an operator asks (`repair` in the fault timeline):
 * 1. X sends every other node Y its tree of the keys both should hold: per token range (the
 *    ring's vnode ranges), 16 leaves, each the XOR of the hashes of its keys' cells (a key's
 *    leaf is its token's low 4 bits). X sends to every node, not only to those it shares keys
 *    with, so that a replica that holds nothing at all is repaired too.
 * 2. Y builds the same tree from its own keys, compares range by range (the root: all 16
 *    leaves) and then leaf by leaf, and answers with its cells for the keys of the leaves that
 *    differ, naming those leaves.
 * 3. X merges Y's cells (newest cell wins, as everywhere) and sends back its own cells for the
 *    named leaves; Y merges them. Both now hold the newest of both.
 * Counted: sessions, ranges compared, ranges that differed, cells streamed, keys changed.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { AdminAction, Ctx } from '../engine.js';
import { cellsOf, digestOf, type Cells } from './cells.js';
import { firstTokenAtOrAfter, token } from './ring.js';
import { putCells } from './store.js';
import type { QuorumMsg, QuorumState } from './types.js';

/** Leaves per range: a key's leaf is its token's low bits. */
export const LEAVES = 16;

export interface RepairStats {
  sessions: number;
  rangesCompared: number;
  rangesMismatched: number;
  cellsStreamed: number;
  keysRepaired: number;
}

export const newRepairStats = (): RepairStats => ({ sessions: 0, rangesCompared: 0, rangesMismatched: 0, cellsStreamed: 0, keysRepaired: 0 });

/** A tree: range index → its 16 leaf hashes (ranges with no key are absent). */
export type Tree = Map<number, number[]>;

export type RepairMsg =
  /** step 1: the initiator's tree of the keys both nodes should hold */
  | { type: 'merkle'; session: number; tree: Array<[number, number[]]> }
  /** step 2: the peer's cells of the differing leaves, and the leaves (range·16 + leaf) it wants */
  | { type: 'merkle-diff'; session: number; rows: Array<[string, Cells]>; want: number[] }
  /** step 3: the initiator's cells of those leaves */
  | { type: 'repair-stream'; session: number; rows: Array<[string, Cells]> };

/** The range (index of the first ring token at or after the key's token, wrapping) of a key. */
export function rangeOfToken(tokens: readonly number[], t: number): number {
  const i = firstTokenAtOrAfter(tokens, t);
  return i === tokens.length ? 0 : i;
}

/** range · LEAVES + leaf of a key. */
function leafOf(s: QuorumState, key: string): number {
  const t = token(key);
  return rangeOfToken(s.env.ring.tokens, t) * LEAVES + (t & (LEAVES - 1));
}

/** The keys this node holds that `peer` should hold too, sorted (map order is insertion order). */
function sharedKeys(s: QuorumState, peer: NodeId): string[] {
  const out: string[] = [];
  for (const key of s.store.keys()) if (s.env.replicasOf(key).nodes.includes(peer)) out.push(key);
  return out.sort();
}

/** The tree of `keys` at this node. */
export function treeOf(s: QuorumState, keys: readonly string[]): Tree {
  const tree: Tree = new Map();
  for (const key of keys) {
    const id = leafOf(s, key);
    const range = Math.floor(id / LEAVES);
    let leaves = tree.get(range);
    if (leaves === undefined) {
      leaves = new Array<number>(LEAVES).fill(0);
      tree.set(range, leaves);
    }
    const h = token(`${key}\u0000${digestOf(cellsOf(s.store.get(key)))}`);
    leaves[id % LEAVES] = ((leaves[id % LEAVES] as number) ^ h) >>> 0;
  }
  return tree;
}

/** The leaves (range·16 + leaf) where two trees differ; counts ranges compared and differing. */
export function diffTrees(mine: Tree, theirs: Tree, stats: RepairStats): number[] {
  const ranges = [...new Set([...mine.keys(), ...theirs.keys()])].sort((a, b) => a - b);
  const out: number[] = [];
  for (const r of ranges) {
    stats.rangesCompared++;
    const a = mine.get(r);
    const b = theirs.get(r);
    let differs = false;
    for (let l = 0; l < LEAVES; l++) {
      if ((a?.[l] ?? 0) !== (b?.[l] ?? 0)) {
        differs = true;
        out.push(r * LEAVES + l);
      }
    }
    if (differs) stats.rangesMismatched++;
  }
  return out;
}

function rowsOfLeaves(s: QuorumState, peer: NodeId, leaves: ReadonlySet<number>): Array<[string, Cells]> {
  const out: Array<[string, Cells]> = [];
  for (const key of sharedKeys(s, peer)) if (leaves.has(leafOf(s, key))) out.push([key, cellsOf(s.store.get(key))]);
  return out;
}

function merge(s: QuorumState, rows: Array<[string, Cells]>, ctx: Ctx<QuorumMsg>): void {
  const st = s.repair;
  for (const [key, cells] of rows) {
    st.cellsStreamed += cells.length;
    if (putCells(s, key, cells, ctx)) st.keysRepaired++;
  }
}

/** Starts a repair session at this node: its trees to every other node. */
export function startRepair(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  s.repair.sessions++;
  const session = ++s.seq;
  for (const peer of s.env.topology.nodes) {
    if (peer === s.self) continue;
    const tree = treeOf(s, sharedKeys(s, peer));
    ctx.send(peer, { type: 'merkle', session, tree: [...tree.entries()] });
  }
}

export function onMerkle(s: QuorumState, from: NodeId, msg: Extract<RepairMsg, { type: 'merkle' }>, ctx: Ctx<QuorumMsg>): void {
  const mine = treeOf(s, sharedKeys(s, from));
  const differ = diffTrees(mine, new Map(msg.tree), s.repair);
  if (differ.length === 0) return;
  ctx.send(from, { type: 'merkle-diff', session: msg.session, rows: rowsOfLeaves(s, from, new Set(differ)), want: differ });
}

export function onMerkleDiff(s: QuorumState, from: NodeId, msg: Extract<RepairMsg, { type: 'merkle-diff' }>, ctx: Ctx<QuorumMsg>): void {
  // Our own rows of those leaves first (before merging theirs), so each side gets what it lacked.
  const rows = rowsOfLeaves(s, from, new Set(msg.want));
  merge(s, msg.rows, ctx);
  if (rows.length > 0) ctx.send(from, { type: 'repair-stream', session: msg.session, rows });
}

export function onRepairStream(s: QuorumState, _from: NodeId, msg: Extract<RepairMsg, { type: 'repair-stream' }>, ctx: Ctx<QuorumMsg>): void {
  merge(s, msg.rows, ctx);
}

/** Arms the scheduled repair: the first at every·(rank+1)/nodes, so nodes take turns. */
export function scheduleRepair(s: QuorumState, ctx: Ctx<QuorumMsg>, first: boolean): void {
  const every = s.env.spec.repair_every_us;
  if (every === null) return;
  const n = s.env.topology.nodes.length;
  const after = first ? Math.max(1, Math.floor((every * (s.rank + 1)) / n)) : every;
  ctx.setTimer(micros(after), { kind: 'repair' });
}

export function onRepairTimer(s: QuorumState, ctx: Ctx<QuorumMsg>): void {
  startRepair(s, ctx);
  scheduleRepair(s, ctx, false);
}

/** An operator's `repair` on this node, its region (`REGION` or `REGION/*`), or elsewhere. */
export function onRepairAdmin(s: QuorumState, action: AdminAction, ctx: Ctx<QuorumMsg>): void {
  if (action.kind !== 'repair') return;
  const region = s.env.topology.regionOf(s.self);
  if (action.target === s.self || action.target === region || action.target === `${region}/*`) startRepair(s, ctx);
}

/** The repair counters (summed over nodes by the runner). */
export function repairMetrics(s: QuorumState): Record<string, number> {
  const st = s.repair;
  return {
    repair_sessions: st.sessions,
    repair_ranges_compared: st.rangesCompared,
    repair_ranges_mismatched: st.rangesMismatched,
    repair_cells_streamed: st.cellsStreamed,
    repair_keys_repaired: st.keysRepaired,
  };
}
