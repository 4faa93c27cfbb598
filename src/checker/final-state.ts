/**
 * The state replicas were left in after settle, from `final` records. A node that emitted no
 * `final` record at all is taken to be down at the end, unless the history's `live` record
 * lists it. The replicas of a key are the live nodes that hold it at the end, ever applied it
 * (partial replication, e.g. Raft ranges, keeps a key on a few nodes only), or should hold it
 * by the history's `replicas` records (CHECKING.md: written by the runner from the scenario's
 * placement, never by an engine). A live replica of a key with no `final` for it holds no
 * value: "absent" (lost, or never arrived: e.g. a node that came back empty after a volatile
 * restart and was never sent the key).
 */
import type { Value } from '../history/types.js';
import { valueKey, type History } from './ops.js';

export interface ReplicaView {
  /** live replicas holding this value, sorted */
  nodes: string[];
  /** undefined: no value at all (lost, or never arrived) */
  value: Value | undefined;
}

/**
 * Whether the replicas' end state is known. A simulator history (it has `apply` records) ends
 * with a `final` of every live node, so one with none had every node down at the end: its
 * state is known (empty), and what was acknowledged is lost, not unknown. Only a history
 * with neither (black-box, imported) leaves the final state unknown.
 */
export function hasFinals(h: History): boolean {
  // a `live` record says which nodes were up: their `final` records (or none) are the end state
  if (h.placement?.live) return true;
  return h.scope ? h.scope.anyFinal || h.scope.anyApply : h.finals.length > 0 || h.applies.length > 0;
}

/** Nodes with a `final` record, and those the `live` record lists (a node up with nothing to report). */
export function liveNodes(h: History): Set<string> {
  if (h.scope) return h.scope.live;
  const live = new Set(h.finals.map((f) => f.node));
  for (const n of h.placement?.live ?? []) live.add(n);
  return live;
}

interface KeyIndex {
  finals: Map<string, Map<string, Value>>;
  appliers: Map<string, Set<string>>;
}

const indexCache = new WeakMap<History, KeyIndex>();

/** finals and applying nodes by key, built once per history (histories are immutable here) */
function keyIndex(h: History): KeyIndex {
  let ix = indexCache.get(h);
  if (ix) return ix;
  ix = { finals: new Map(), appliers: new Map() };
  for (const f of h.finals) {
    let m = ix.finals.get(f.key);
    if (!m) ix.finals.set(f.key, (m = new Map()));
    m.set(f.node, f.value);
  }
  for (const a of h.applies) {
    let m = ix.appliers.get(a.key);
    if (!m) ix.appliers.set(a.key, (m = new Set()));
    m.add(a.node);
  }
  if (h.scope) {
    // a one-key slice: its finals' keys and its ops' key (all ops share it)
    const keys = new Set<string>(ix.finals.keys());
    const key = h.key ?? h.ops[0]?.key;
    if (key !== undefined) keys.add(key);
    for (const k of keys) ix.appliers.set(k, new Set(h.scope.appliers(k)));
  }
  indexCache.set(h, ix);
  return ix;
}

/** Live replica → final value (undefined when it has none), nodes sorted. */
export function replicaValues(h: History, key: string, live = liveNodes(h)): Map<string, Value | undefined> {
  const ix = keyIndex(h);
  const values = ix.finals.get(key) ?? new Map<string, Value>();
  const holders = new Set<string>(values.keys());
  for (const n of ix.appliers.get(key) ?? []) if (live.has(n)) holders.add(n);
  for (const n of h.placement?.replicasOf(key) ?? []) if (live.has(n)) holders.add(n);
  const out = new Map<string, Value | undefined>();
  for (const n of [...holders].sort()) out.set(n, values.get(n));
  return out;
}

/**
 * Distinct final states of a key, each with the replicas holding it. Sibling arrays compare
 * as sets. With no live replica at all the key is gone: one view with no nodes and no value.
 */
export function finalViews(
  h: History,
  key: string,
  initial: Value,
  live = liveNodes(h),
): ReplicaView[] {
  const byValue = new Map<string, ReplicaView>();
  for (const [node, value] of replicaValues(h, key, live)) {
    const k = setKey(value ?? initial);
    const v = byValue.get(k);
    if (v) v.nodes.push(node);
    else byValue.set(k, { nodes: [node], value });
  }
  if (byValue.size === 0) return [{ nodes: [], value: undefined }];
  return [...byValue.values()];
}

/**
 * Equality key treating arrays as sets (sibling sets, set elements); an empty array is no
 * value. Callers pass the model's initial value for a replica with no value, so that a
 * replica that never received a key equals one holding the initial state.
 */
export function setKey(v: Value | undefined): string {
  if (Array.isArray(v) && v.length === 0) return 'null';
  if (Array.isArray(v)) return valueKey([...new Set(v.map((x) => valueKey(x)))].sort());
  return valueKey(v ?? null);
}

/** Every key mentioned by finals, applies or ops, sorted. */
export function allKeys(h: History): string[] {
  const s = new Set<string>();
  for (const f of h.finals) s.add(f.key);
  for (const a of h.applies) s.add(a.key);
  for (const o of h.ops) s.add(o.key);
  return [...s].sort();
}
