/**
 * Inventory as a bounded counter with escrow (Balegas et al., "Putting consistency back into
 * eventual consistency", 2015). The stock is split into rights, one share per node (initial
 * stock divided in topology order); a node may reserve only from the rights it holds, so the
 * sum of all reservations can never exceed the stock, partition or not: no oversell without
 * coordination. The price: a node whose share is used up answers `out-of-stock` while others
 * still hold stock. It then asks the peer it believes richest for rights; the peer transfers
 * some of its own (never more than it holds) through the ordinary change queues.
 *
 * State is grow-only per node (restocked, used, transferred i→j), merged by maximum, plus the
 * set of orders applied (the idempotency keys).
 */
import type { NodeId } from '../../../sim/ids.js';
import { INITIAL_STOCK } from '../../../workload/ops.js';
import type { Rule } from '../rule.js';
import type { Value } from '../../../history/types.js';
import { reserveArgs, stepObject, type InventoryState } from '../../model.js';

export interface BoundedState {
  restocked: Record<string, number>;
  used: Record<string, number>;
  /** `FROM>TO` → total rights transferred */
  moved: Record<string, number>;
  orders: Set<string>;
}

export type BoundedChange =
  | { kind: 'use'; node: NodeId; total: number; order: string; op: number }
  | { kind: 'restock'; node: NodeId; total: number; op: number }
  | { kind: 'move'; from: NodeId; to: NodeId; total: number }
  /**
   * anti-entropy: a replica's whole state, merged entry by entry by maximum. Every entry is a
   * grow-only total, so offering it twice, or after the changes it sums, moves nothing twice:
   * a rights transfer stays counted once (`moved` is the running total FROM>TO, not a delta).
   */
  | { kind: 'bounded-state'; restocked: Record<string, number>; used: Record<string, number>; moved: Record<string, number>; orders: string[] };

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** Raises each entry of `into` to the one in `from`; true when any grew. */
function maxInto(into: Record<string, number>, from: Record<string, number>): boolean {
  let grew = false;
  for (const [k, v] of Object.entries(from)) {
    if ((into[k] ?? 0) >= v) continue;
    into[k] = v;
    grew = true;
  }
  return grew;
}

/** Node `rank`'s share of the initial stock: equal parts, the remainder to the first nodes. */
export function initialShare(rank: number, nodes: number): number {
  return Math.floor(INITIAL_STOCK / nodes) + (rank < INITIAL_STOCK % nodes ? 1 : 0);
}

export function boundedRule(nodes: readonly NodeId[]): Rule<BoundedState, BoundedChange> {
  const stock = (st: BoundedState): number => INITIAL_STOCK + sum(st.restocked) - sum(st.used);
  const rights = (st: BoundedState, node: NodeId): number => {
    let r = initialShare(nodes.indexOf(node), nodes.length) + (st.restocked[node] ?? 0) - (st.used[node] ?? 0);
    for (const other of nodes) {
      r += (st.moved[`${other}>${node}`] ?? 0) - (st.moved[`${node}>${other}`] ?? 0);
    }
    return r;
  };
  return {
    empty: () => ({ restocked: {}, used: {}, moved: {}, orders: new Set() }),
    local(st, req, env) {
      // The whole-value model decides validity, repeats and replies; only "is there enough"
      // is asked of this node's rights instead of the stock.
      // (Only the asked order is passed on: copying every applied order per request would cost O(n).)
      const asked = req.f === 'reserve' ? reserveArgs(req.value) : undefined;
      const order = asked !== undefined && !('error' in asked) ? asked.order : '';
      const whole: InventoryState = { stock: stock(st), orders: order !== '' && st.orders.has(order) ? [order] : [] };
      const used = st.used[env.self] ?? 0;
      // A reservation here spends this node's rights from `used` on: no other decision can share that.
      const o = stepObject('inventory', whole, req.f, req.value, { version: `rights:${env.self}:${used}` });
      switch (o.type) {
        case 'read':
          return { type: 'reply', result: { type: 'ok', value: o.value } };
        case 'same':
          return { type: 'reply', result: { type: 'ok', value: o.result } };
        case 'fail':
          return { type: 'reply', result: o };
        case 'write':
          break;
        default: {
          const never: never = o;
          throw new Error(`unknown step ${JSON.stringify(never)}`);
        }
      }
      if (req.f === 'restock') {
        const q = o.result as number;
        const total = (st.restocked[env.self] ?? 0) + q;
        return { type: 'change', change: { kind: 'restock', node: env.self, total, op: req.op }, reply: () => ({ type: 'ok', value: q }) };
      }
      const a = asked;
      if (a === undefined || 'error' in a) throw new Error(`bounded: reserve ${JSON.stringify(req.value)} accepted by the model`);
      if (rights(st, env.self) < a.qty) return { type: 'reply', result: { type: 'fail', error: 'out-of-stock' } };
      const result = o.result as Record<string, Value>;
      return {
        type: 'change',
        change: { kind: 'use', node: env.self, total: used + a.qty, order: a.order, op: req.op },
        reply: (after) => ({ type: 'ok', value: { ...result, remaining: stock(after) } }),
      };
    },
    merge(st, ch) {
      switch (ch.kind) {
        case 'use': {
          const fresh = ch.order !== '' && !st.orders.has(ch.order);
          if (fresh) st.orders.add(ch.order);
          if ((st.used[ch.node] ?? 0) >= ch.total) return false;
          st.used[ch.node] = ch.total;
          return true;
        }
        case 'restock':
          if ((st.restocked[ch.node] ?? 0) >= ch.total) return false;
          st.restocked[ch.node] = ch.total;
          return true;
        case 'move': {
          const k = `${ch.from}>${ch.to}`;
          if ((st.moved[k] ?? 0) >= ch.total) return false;
          st.moved[k] = ch.total;
          return false; // the stock is unchanged: only who may sell it moved
        }
        case 'bounded-state': {
          const before = stock(st);
          for (const o of ch.orders) st.orders.add(o);
          maxInto(st.moved, ch.moved);
          maxInto(st.restocked, ch.restocked);
          maxInto(st.used, ch.used);
          return stock(st) !== before;
        }
        default: {
          const never: never = ch;
          throw new Error(`unknown bounded-counter change ${JSON.stringify(never)}`);
        }
      }
    },
    // A restore knows the stock, not who used or restocked what: the difference from the
    // initial stock is booked to a pseudo-node `restore`, which holds no rights; the orders
    // applied are not in the value, so none is remembered.
    restored: (value): BoundedState => {
      const d = typeof value === 'number' ? value - INITIAL_STOCK : 0;
      const restocked: Record<string, number> = {};
      const used: Record<string, number> = {};
      if (d > 0) restocked['restore'] = d;
      if (d < 0) used['restore'] = -d;
      return { restocked, used, moved: {}, orders: new Set<string>() };
    },
    asChanges: (st) =>
      Object.keys(st.restocked).length + Object.keys(st.used).length + Object.keys(st.moved).length + st.orders.size === 0
        ? []
        : [{ kind: 'bounded-state', restocked: { ...st.restocked }, used: { ...st.used }, moved: { ...st.moved }, orders: [...st.orders] }],
    visible: stock,
    version: (st) => `stock:${stock(st)}`,
    stampOf: () => undefined,
    opOf: (ch) => (ch.kind === 'move' || ch.kind === 'bounded-state' ? undefined : ch.op),
    shortage(st, req, env) {
      const a = reserveArgs(req.value);
      if ('error' in a || stock(st) < a.qty) return undefined; // nothing left anywhere, as far as we know
      let best: NodeId | undefined;
      let most = 0;
      for (const n of nodes) {
        if (n === env.self) continue;
        const r = rights(st, n);
        if (r > most) {
          most = r;
          best = n;
        }
      }
      return best === undefined ? undefined : { from: best, want: a.qty - rights(st, env.self) };
    },
    grant(st, to, want, env) {
      const mine = rights(st, env.self);
      const give = Math.min(mine, Math.max(want, Math.floor(mine / 2)));
      if (give <= 0) return undefined;
      const k = `${env.self}>${to}`;
      return { kind: 'move', from: env.self, to, total: (st.moved[k] ?? 0) + give };
    },
  };
}
