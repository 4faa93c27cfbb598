/**
 * `invariant`: domain rules broken. Counted one per instance:
 * - each `{type:'fault', fault:'invariant', message, ops}` record (engine safety: two leaders
 *   in a term, a commit lost, a lock held by a dead transaction...);
 * - inventory oversell, one per key: a live replica's final stock below zero, an ok
 *   reservation reporting `remaining` below zero, or ok reservations exceeding the initial
 *   stock plus every restock that may have happened (ok, info or open);
 * - inventory double apply, one per (node, order): one order's reservation applied twice at
 *   a node (reservations are idempotent per `order`).
 * The rules judged from client ops alone (set duplicates, phantom elements, orders billed
 * twice, counter overcount, superseded siblings) are in history-invariants.ts; the sink adds
 * their findings to this family.
 * Black-box histories (no apply/final records, not inventory) carry no engine invariants:
 * not applicable, unless those rules apply (counter, set, sibling reads).
 */
import type { FaultRecord, Value } from '../history/types.js';
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { finalViews, hasFinals, liveNodes } from './final-state.js';
import { MAX_WITNESSES, list, opRef, sec, show } from './explain.js';
import { qtyOf } from './lost-update.js';
import { initialStock } from './model.js';
import { groupBy, numberField, orderOf, valueKey, type History, type Op } from './ops.js';

/**
 * The invariant family of a black-box history (no applies, finals or engine invariant records)
 * outside the inventory model: nothing to judge. Shared by the record and the columnar paths.
 */
export function blackBoxInvariant(): AnomalyReport {
  return {
    applicable: false,
    count: null,
    witnesses: [],
    note: 'black-box history: no engine invariant records or replica state to judge',
  };
}

export function invariant(h: History, opts: CheckOptions): AnomalyReport {
  // imported histories may carry nemesis events as faults; only invariant reports count here
  const whiteBox = h.applies.length > 0 || hasFinals(h) || h.faults.some((f) => f.fault === 'invariant');
  if (!whiteBox && opts.model !== 'inventory') return blackBoxInvariant();
  const found: Witness[] = [];
  let count = 0;
  const add = (w: Witness): void => {
    count++;
    if (found.length < MAX_WITNESSES) found.push(w);
  };
  for (const f of h.faults) if (f.fault === 'invariant') add(engineInvariant(f, h));
  if (opts.model === 'inventory') {
    oversell(h, opts, add);
    doubleApply(h, add);
  }
  return { applicable: true, count, witnesses: found };
}

export function engineInvariant(f: FaultRecord, h: History): Witness {
  const ops = Array.isArray(f['ops']) ? (f['ops'] as unknown[]).filter((x): x is number => typeof x === 'number') : [];
  const message = typeof f['message'] === 'string' ? f['message'] : 'an engine safety invariant was broken';
  const known = ops.flatMap((id) => {
    const op = h.byId.get(id);
    return op ? [op] : [];
  });
  const w: Witness = {
    ops,
    times_us: [f.t],
    explanation: `at ${sec(f.t)} the engine reported a broken safety invariant: ${message}`,
    details: { message },
  };
  if (known.length > 0) {
    w.clients = known.map((o) => o.client);
    w.nodes = known.map((o) => o.node);
  }
  const node = typeof f['node'] === 'string' ? f['node'] : undefined;
  if (node) w.nodes = [node, ...(w.nodes ?? [])];
  return w;
}

export function oversell(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  const s0 = initialStock(opts);
  const live = liveNodes(h);
  const byKey = groupBy(
    h.ops.filter((o) => (o.f === 'reserve' || o.f === 'restock') && o.type !== 'fail'),
    (o) => o.key,
  );
  for (const [key, ops] of byKey) {
    const reserves = ops.filter((o) => o.f === 'reserve' && o.type === 'ok');
    const negative = reserves.find((o) => (numberField(o.result, 'remaining') ?? 0) < 0);
    if (negative) {
      add({
        ops: [negative.id],
        key,
        clients: [negative.client],
        nodes: [negative.node],
        times_us: [negative.complete_t ?? 0],
        explanation:
          `oversell: ${opRef(negative)} at ${negative.node} was acknowledged at ${sec(negative.complete_t ?? 0)} ` +
          `leaving ${numberField(negative.result, 'remaining')} of ${key} in stock`,
      });
      continue;
    }
    if (hasFinals(h) && s0 !== null) {
      const below = finalViews(h, key, s0, live).find((v) => (numberField(v.value ?? null, 'stock', 'remaining') ?? s0) < 0);
      if (below) {
        add({
          ops: reserves.slice(-3).map((o) => o.id),
          key,
          nodes: below.nodes,
          explanation: `oversell: after settle ${key} has stock ${show(below.value)} at ${list(below.nodes)}, below zero`,
          details: { final: below.value ?? null },
        });
        continue;
      }
    }
    if (s0 === null) continue;
    let stocked = s0;
    for (const o of ops) if (o.f === 'restock') stocked += qtyOf(o.value);
    let reserved = 0;
    let tipping: Op | undefined;
    // One order takes its units once: a retried order acknowledged again (a `repeat` reply, or
    // a second ok of the same order, which orders-billed-twice judges) is not a second taking.
    const orders = new Set<string>();
    for (const o of [...reserves].sort((a, b) => (a.complete_t ?? 0) - (b.complete_t ?? 0) || a.id - b.id)) {
      const order = orderOf(o.value);
      if (order !== null) {
        if (orders.has(order)) continue;
        orders.add(order);
      }
      reserved += qtyOf(o.value);
      if (!tipping && reserved > stocked) tipping = o;
    }
    if (tipping) {
      add({
        ops: [tipping.id],
        key,
        clients: [tipping.client],
        nodes: [tipping.node],
        times_us: [tipping.complete_t ?? 0],
        explanation:
          `oversell: ${reserves.length} acknowledged reservations of ${key} took ${reserved} units, more than the ` +
          `${stocked} ever stocked (initial ${s0} plus restocks); the limit was passed by ${opRef(tipping)} ` +
          `acknowledged at ${sec(tipping.complete_t ?? 0)}`,
        details: { reserved, stocked },
      });
    }
  }
}

export function doubleApply(h: History, add: (w: Witness) => void): void {
  const applied = h.applies.flatMap((a) => {
    const op = a.op === undefined ? undefined : h.byId.get(a.op);
    if (!op || op.f !== 'reserve') return [];
    // An operator's reapply after a restore (client `REGION/operator`) applies the order again
    // on purpose, after the restore rolled the first apply back; whether that bills it twice
    // depends on the rollback, which restore.ts judges ("reapplied twice").
    if (op.client.endsWith('/operator')) return [];
    const order = orderOf(op.value);
    return order === null ? [] : [{ a, op, order }];
  });
  for (const [, group] of groupBy(applied, (x) => `${x.a.node}\u0000${x.op.key}\u0000${x.order}`)) {
    if (group.length < 2) continue;
    const [x, y] = group;
    if (!x || !y) continue;
    add({
      ops: [...new Set(group.map((g) => g.op.id))],
      key: x.op.key,
      nodes: [x.a.node],
      clients: [x.op.client],
      times_us: group.map((g) => g.a.t),
      explanation:
        `double apply: order ${x.order} of ${x.op.key} was reserved ${group.length} times at ${x.a.node} ` +
        `(op ${x.op.id} at ${sec(x.a.t)}, op ${y.op.id} at ${sec(y.a.t)}) although reservations are idempotent per order`,
      details: { order: x.order },
    });
  }
}
