/**
 * Version vectors with siblings (Riak with allow_mult, Dynamo), kept as dotted version vector
 * sets. Each key holds its siblings, each tagged with the dot (node, n) of the write that made
 * it, and the key's causal context: a version vector of every dot this replica has seen.
 *
 * The rule: a write at node X supersedes exactly the siblings X had seen when it wrote (every
 * sibling in X's replica at that moment, i.e. every dot covered by X's context), and is
 * concurrent with everything else. Concurrent writes are kept side by side; a register read
 * returns all of them (sorted ascending), and the next write made after that read replaces them.
 *
 * For counter, set and inventory the siblings are whole values, and reads and writes work on
 * the application's resolution of them (Dynamo's shopping cart): counter the largest total,
 * set the union, inventory the lowest stock with the union of orders. The resolution cannot
 * know what each sibling added, so concurrent increments are lost and removed elements come
 * back: that is why CRDTs exist.
 */
import type { Value } from '../../../history/types.js';
import type { NodeId } from '../../../sim/ids.js';
import type { WorkloadModel } from '../../../scenario/types.js';
import { okAfter, type Rule } from '../rule.js';
import { compareElements } from '../../model.js';
import { initialWhole, sameValue, visibleWhole, wholeOp, type InventoryWhole, type Whole } from '../whole.js';
import { unknownModel } from '../../objects/unknown.js';

export interface Sibling {
  node: NodeId;
  n: number;
  w: Whole;
  op: number;
}

export interface DvvState {
  sibs: Sibling[];
  /** node → highest n seen for this key */
  vv: Record<string, number>;
}

export type DvvChange =
  | {
      kind: 'dvv';
      sib: Sibling;
      /** the writer's context after the write: what it supersedes */
      ctx: Record<string, number>;
    }
  /** anti-entropy: a replica's whole state of the key, joined with the receiver's */
  | { kind: 'dvv-state'; sibs: Sibling[]; vv: Record<string, number> };

const covered = (node: string, n: number, vv: Record<string, number>): boolean => (vv[node] ?? 0) >= n;
const sameDot = (a: Sibling, b: Sibling): boolean => a.node === b.node && a.n === b.n;
const holds = (sibs: Sibling[], s: Sibling): boolean => sibs.some((x) => sameDot(x, s));

/** Sibling values for reads: one value, or an ascending array of distinct values. */
function registerVisible(sibs: Sibling[]): Value {
  if (sibs.length === 0) return null;
  const vals: Value[] = [];
  for (const s of sibs) if (!vals.some((v) => sameValue(v, s.w))) vals.push(s.w as Value);
  if (vals.length === 1) return vals[0] ?? null;
  return vals.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
}

/** The application's resolution of whole-value siblings (see the module comment). */
export function resolve(model: WorkloadModel, sibs: Sibling[]): Whole {
  if (sibs.length === 0) return initialWhole(model);
  const ws = sibs.map((s) => s.w);
  switch (model) {
    case 'register':
      return registerVisible(sibs);
    case 'counter':
      return Math.max(...(ws as number[]));
    case 'set':
      return [...new Set((ws as Value[][]).flat())].sort(compareElements);
    case 'inventory': {
      const inv = ws as InventoryWhole[];
      const orders = [...new Set(inv.flatMap((x) => x.orders))].sort();
      return { stock: Math.min(...inv.map((x) => x.stock)), orders };
    }
    default:
      throw unknownModel(model);
  }
}

function joinVv(into: Record<string, number>, vv: Record<string, number>): void {
  for (const [node, n] of Object.entries(vv)) if ((into[node] ?? 0) < n) into[node] = n;
}

export function dvvRule(model: WorkloadModel, nodes: readonly NodeId[]): Rule<DvvState, DvvChange> {
  const visible = (st: DvvState): Value => visibleWhole(model, resolve(model, st.sibs));
  const bySibling = (a: Sibling, b: Sibling): number => nodes.indexOf(a.node) - nodes.indexOf(b.node) || a.n - b.n;
  /**
   * The join of two dotted version vector sets (Almeida et al. 2014): a sibling survives when
   * both sides hold it, or when the other side has never seen its dot; a sibling one side has
   * seen and no longer holds was superseded there. True when the siblings changed.
   */
  function join(st: DvvState, sibs: Sibling[], vv: Record<string, number>): boolean {
    const kept = st.sibs.filter((s) => holds(sibs, s) || !covered(s.node, s.n, vv));
    const added = sibs.filter((s) => !holds(st.sibs, s) && !covered(s.node, s.n, st.vv));
    const changed = kept.length !== st.sibs.length || added.length > 0;
    if (changed) st.sibs = [...kept, ...added].sort(bySibling);
    joinVv(st.vv, vv);
    return changed;
  }
  const versionOf = (st: DvvState): string =>
    nodes
      .filter((n) => st.vv[n])
      .map((n) => `${n}:${st.vv[n]}`)
      .join(',');
  return {
    empty: () => ({ sibs: [], vv: {} }),
    local(st, req, env) {
      // The causal context names the siblings the decision resolved: equal contexts, equal states.
      const o = wholeOp(model, resolve(model, st.sibs), req, versionOf(st) || 'initial');
      switch (o.type) {
        case 'read':
          return { type: 'reply', result: { type: 'ok', value: o.value } };
        case 'noop':
          return { type: 'reply', result: o.result };
        case 'fail':
          return { type: 'reply', result: { type: 'fail', error: o.error } };
        case 'write': {
          const n = (st.vv[env.self] ?? 0) + 1;
          return {
            type: 'change',
            change: { kind: 'dvv', sib: { node: env.self, n, w: o.next, op: req.op }, ctx: { ...st.vv, [env.self]: n } },
            reply: (after) => okAfter(req, o.result, visible(after)),
          };
        }
        default: {
          const never: never = o;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    },
    merge(st, ch) {
      if (ch.kind === 'dvv-state') return join(st, ch.sibs, ch.vv);
      // Seen already (itself, or a write that superseded it): nothing to do.
      if (covered(ch.sib.node, ch.sib.n, st.vv)) return false;
      st.sibs = st.sibs.filter((s) => !covered(s.node, s.n, ch.ctx));
      st.sibs.push(ch.sib);
      // A stable sibling order, whatever the arrival order.
      st.sibs.sort(bySibling);
      joinVv(st.vv, ch.ctx);
      return true;
    },
    // Sibling objects are never mutated (merges build new arrays), so sharing them is safe.
    asChanges: (st) => (st.sibs.length === 0 && Object.keys(st.vv).length === 0 ? [] : [{ kind: 'dvv-state', sibs: [...st.sibs], vv: { ...st.vv } }]),
    visible,
    version: versionOf,
    stampOf: () => undefined,
    opOf: (ch) => (ch.kind === 'dvv' ? ch.sib.op : undefined),
    siblings: (st) => st.sibs.length,
  };
}
