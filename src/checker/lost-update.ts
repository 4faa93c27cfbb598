/**
 * `lost_update`: acknowledged writes that the final state does not reflect.
 *
 * - register: an ok write W is lost at a live replica when its value is not among that
 *   replica's final value(s) and every surviving value was written by an op acknowledged
 *   before W began, or by no acknowledged op (the initial value, no value, an unknown value).
 *   A surviving write concurrent with W, later than W, or of unknown outcome (info/open: it
 *   may have taken effect at any time after its invoke) makes W legitimately overwritten.
 *   When replicas diverge, W is judged against each live replica's final value and counted
 *   once if lost at any of them; the witness names those replicas and says they disagree.
 * - counter: final < initial + Σ ok deltas (+ negative deltas of info ops, which may apply).
 *   Which increments went missing cannot be told apart, so the count is the minimal number of
 *   ok adds whose deltas cover the deficit (largest first); the witness lists those as examples.
 * - set: an ok add of e is lost when e is absent from a live replica's final set and no
 *   remove of e could have taken effect after the add began (remove not failed, and not
 *   acknowledged before the add's invoke). Conservative for OR-set and LWW sets alike.
 * - inventory: (a) two ok reservations based on the same stock version (`version` of the ok
 *   result; else equal `stock_before` on overlapping ops) — each extra one counts, one order
 *   acknowledged twice counting once and a `repeat` reply having no basis; (b) a live
 *   replica's final stock above initial + restocks (ok or unknown) − ok reservations: the
 *   minimal number of ok reservations covering the excess. Per key the larger of (a) and (b).
 */
import type { Value } from '../history/types.js';
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { finalViews, hasFinals, liveNodes, type ReplicaView } from './final-state.js';
import { MAX_WITNESSES, list, nodesText, opRef, sec, show } from './explain.js';
import { initialStock, initialValue } from './model.js';
import { effectEnd, groupBy, numberField, orderOf, valueKey, type History, type Op } from './ops.js';
import {
  elementsOf,
  maxHorizon,
  isRegisterModel,
  registerKeys,
  sourcesOf,
  writtenValue,
  type Source,
} from './register.js';

export interface LostUpdateResult {
  report: AnomalyReport;
  /** lost acknowledged writes that can be named (register writes, set adds), for rpo */
  lost: LostSpan;
  /** false when some loss cannot be pinned to ops (counter, inventory stock): `bound` then holds the candidates */
  identified: boolean;
  /**
   * Where a loss cannot be pinned to ops, the acknowledged ops it must be among: every ok
   * increment of a counter key short of its total, both ops of each pair of reservations on
   * one stock version, every ok reservation of a key whose final stock is too high. Their span
   * bounds rpo from above.
   */
  bound: LostSpan;
}

export function lostUpdate(h: History, opts: CheckOptions): LostUpdateResult {
  if (opts.model === 'multi-register') {
    return notApplicable('multi-register (txn) histories are judged by linearizability only');
  }
  if (!hasFinals(h) && opts.model !== 'inventory') {
    return notApplicable('the history has no `final` records (black-box), so the final state is unknown');
  }
  const acc: Acc = { count: 0, witnesses: [], lost: noLoss(), identified: true, bound: noLoss() };
  if (isRegisterModel(opts.model)) registerLost(h, opts, acc);
  else if (opts.model === 'counter') counterLost(h, opts, acc);
  else if (opts.model === 'set') setLost(h, opts, acc);
  else inventoryLost(h, opts, acc);
  const report: AnomalyReport = { applicable: true, count: acc.count, witnesses: acc.witnesses };
  if (acc.note) report.note = acc.note;
  return { report, lost: acc.lost, identified: acc.identified, bound: acc.bound };
}

/** How many named writes were lost, the earliest invoke and the latest ack among them. */
export interface LostSpan {
  n: number;
  start: number;
  end: number;
}

export function noLoss(): LostSpan {
  return { n: 0, start: Infinity, end: -Infinity };
}

export function noteLost(span: LostSpan, o: Op): void {
  span.n++;
  span.start = Math.min(span.start, o.invoke_t);
  span.end = Math.max(span.end, o.complete_t ?? o.invoke_t);
}

interface Acc {
  count: number;
  witnesses: Witness[];
  lost: LostSpan;
  identified: boolean;
  bound: LostSpan;
  note?: string;
}

function notApplicable(note: string): LostUpdateResult {
  return { report: { applicable: false, count: null, witnesses: [], note }, lost: noLoss(), identified: false, bound: noLoss() };
}

function push(acc: Acc, w: Witness): void {
  if (acc.witnesses.length < MAX_WITNESSES) acc.witnesses.push(w);
}

/** "balance is 300 at all 9 live replicas" / "... at us-east/0 and us-east/1" */
function where(v: ReplicaView, key: string, views: number): string {
  if (v.nodes.length === 0) return `no live replica holds ${key}`;
  if (views === 1 && v.nodes.length > 1) return `${key} is ${show(v.value)} at all ${v.nodes.length} live replicas`;
  return `${key} is ${show(v.value)} at ${nodesText(v.nodes)}`;
}

// ---- register ----

function registerLost(h: History, opts: CheckOptions, acc: Acc): void {
  const initial = initialValue(opts);
  const live = liveNodes(h);
  for (const rk of registerKeys(h).values()) {
    if (!rk.judgeable) continue;
    const okWrites = rk.writes.filter((w) => w.type === 'ok');
    if (okWrites.length === 0) continue;
    const views = finalViews(h, rk.key, initial, live).map((v) => {
      const elems = elementsOf(v.value, initial);
      const sources = elems.map((e) => sourcesOf(rk, e, initial));
      return {
        view: v,
        held: new Set(elems.map((e) => valueKey(e))),
        sources,
        horizon: maxHorizon(sources),
      };
    });
    for (const w of okWrites) {
      const lostAt = views.filter((v) => !v.held.has(valueKey(writtenValue(w))) && w.invoke_t > v.horizon);
      if (lostAt.length === 0) continue;
      acc.count++;
      noteLost(acc.lost, w);
      if (acc.witnesses.length >= MAX_WITNESSES) continue;
      push(acc, registerLostWitness(w, rk.key, lostAt, views.length));
    }
  }
}

/** Where a lost register write is judged: one distinct final state and the sources of its elements. */
export interface LostView {
  view: ReplicaView;
  sources: (readonly Source[])[];
}

/** Ok write `w` of `key` is lost at `lostAt` (non-empty), out of `views` distinct final states. */
export function registerLostWitness(w: Op, key: string, lostAt: readonly LostView[], views: number): Witness {
  const first = lostAt[0] as LostView;
  const survivors = first.sources.flat();
  const survivorOps = survivors.flatMap((s) => (s.kind === 'op' ? [s.op] : []));
  const diverged = views > 1 ? ' (replicas disagree; judged against each live replica)' : '';
  return {
    ops: [w.id, ...survivorOps.map((o) => o.id)],
    key,
    clients: [w.client, ...survivorOps.map((o) => o.client)],
    nodes: [w.node, ...lostAt.flatMap((v) => v.view.nodes)],
    times_us: [w.complete_t ?? w.invoke_t, ...survivorOps.map((o) => o.complete_t ?? o.invoke_t)],
    explanation:
      `${opRef(w)} at ${w.node} was acknowledged at ${sec(w.complete_t ?? w.invoke_t)}, ` +
      `but after settle ${where(first.view, key, views)}, ${survivorText(first.sources, w)}${diverged}`,
    details: {
      lost_at: lostAt.flatMap((v) => v.view.nodes),
      final: first.view.value ?? null,
    },
  };
}

function survivorText(sources: (readonly Source[])[], lost: Op): string {
  const parts = sources.map((ss) => {
    if (ss.length === 0) return 'a value no operation wrote';
    const s = ss.find((x) => x.kind === 'op') ?? ss[0];
    if (!s || s.kind === 'initial') return 'the initial value';
    return `written by ${opRef(s.op)}, which was acknowledged at ${sec(s.op.complete_t ?? 0)}, before op ${lost.id} began`;
  });
  return list(parts);
}

// ---- counter ----

function counterLost(h: History, opts: CheckOptions, acc: Acc): void {
  const initial = numberField(initialValue(opts)) ?? 0;
  const live = liveNodes(h);
  const adds = groupBy(
    h.ops.filter((o) => o.f === 'add' && o.type !== 'fail'),
    (o) => o.key,
  );
  for (const [key, ops] of adds) {
    const ok = ops.filter((o) => o.type === 'ok');
    if (ok.length === 0) continue;
    const delta = (o: Op): number => numberField(o.value, 'delta', 'value') ?? 0;
    let lower = initial;
    for (const o of ops) {
      const d = delta(o);
      if (o.type === 'ok') lower += d;
      else if (d < 0) lower += d;
    }
    let worst: { view: ReplicaView; final: number } | undefined;
    const cviews = finalViews(h, key, initial, live);
    for (const v of cviews) {
      const final = numberField(v.value) ?? initial;
      if (!worst || final < worst.final) worst = { view: v, final };
    }
    if (!worst || worst.final >= lower) continue;
    const deficit = lower - worst.final;
    const byDelta = [...ok].sort((a, b) => delta(b) - delta(a) || a.id - b.id);
    const missing: Op[] = [];
    let covered = 0;
    for (const o of byDelta) {
      if (covered >= deficit) break;
      missing.push(o);
      covered += delta(o);
    }
    acc.count += missing.length;
    acc.identified = false;
    for (const o of ok) noteLost(acc.bound, o); // which increments are missing cannot be told
    push(acc, {
      ops: missing.map((o) => o.id),
      key,
      nodes: worst.view.nodes,
      clients: missing.map((o) => o.client),
      times_us: missing.map((o) => o.complete_t ?? o.invoke_t),
      explanation:
        `after settle ${where(worst.view, key, cviews.length)} but ${ok.length} acknowledged adds ` +
        `bring it to at least ${lower}: ${deficit} is missing, at least ${missing.length} acknowledged ` +
        `increment${missing.length === 1 ? '' : 's'} lost (e.g. ${list(missing.slice(0, 3).map(opRef))})`,
      details: { final: worst.final, expected_at_least: lower, deficit },
    });
  }
}

// ---- set ----

function setLost(h: History, opts: CheckOptions, acc: Acc): void {
  const initial = initialValue(opts);
  const live = liveNodes(h);
  const byKey = groupBy(
    h.ops.filter((o) => (o.f === 'add' || o.f === 'remove') && o.type !== 'fail'),
    (o) => o.key,
  );
  for (const [key, ops] of byKey) {
    const views = finalViews(h, key, initial, live).map((v) => ({
      view: v,
      held: new Set((Array.isArray(v.value) ? v.value : []).map((e) => valueKey(e))),
    }));
    for (const add of ops) {
      if (add.f !== 'add' || add.type !== 'ok') continue;
      const e = valueKey(add.value);
      const removable = ops.some(
        (r) => r.f === 'remove' && valueKey(r.value) === e && effectEnd(r) > add.invoke_t,
      );
      if (removable) continue;
      const lostAt = views.filter((v) => !v.held.has(e));
      const first = lostAt[0];
      if (!first) continue;
      acc.count++;
      noteLost(acc.lost, add);
      if (acc.witnesses.length >= MAX_WITNESSES) continue;
      push(acc, {
        ops: [add.id],
        key,
        clients: [add.client],
        nodes: [add.node, ...lostAt.flatMap((v) => v.view.nodes)],
        times_us: [add.complete_t ?? add.invoke_t],
        explanation:
          `${opRef(add)} at ${add.node} was acknowledged at ${sec(add.complete_t ?? add.invoke_t)} and no ` +
          `remove of ${show(add.value)} followed, but after settle ${where(first.view, key, views.length)}`,
        details: { lost_at: lostAt.flatMap((v) => v.view.nodes), final: first.view.value ?? null },
      });
    }
  }
}

// ---- inventory ----

/** Quantity of a reserve/restock: its `qty`, or the value itself; 1 when absent. */
export function qtyOf(v: Value | undefined): number {
  return numberField(v, 'qty', 'quantity') ?? 1;
}

/**
 * The stock version an ok reservation was based on, and whether it is an explicit version.
 * A reply marked `repeat` (an order already applied, acknowledged again) took no decision on
 * the stock, so it has none.
 */
function basis(o: Op): { text: string; explicit: boolean } | null {
  const r = o.result;
  if (r === null || r === undefined || typeof r !== 'object' || Array.isArray(r)) return null;
  if (r['repeat'] === true) return null;
  const v = r['version'];
  if (v !== undefined && v !== null) return { text: valueKey(v), explicit: true };
  const s = r['stock_before'];
  if (typeof s === 'number') return { text: valueKey(s), explicit: false };
  return null;
}

/** The first reservation of each order (and every one without an order), in history order. */
function distinctOrders(rs: readonly Op[]): Op[] {
  const seen = new Set<string>();
  return rs.filter((o) => {
    const order = orderOf(o.value);
    if (order === null) return true;
    if (seen.has(order)) return false;
    seen.add(order);
    return true;
  });
}

function overlap(a: Op, b: Op): boolean {
  return effectEnd(a) >= b.invoke_t && effectEnd(b) >= a.invoke_t;
}

function inventoryLost(h: History, opts: CheckOptions, acc: Acc): void {
  const s0 = initialStock(opts);
  const finals = hasFinals(h);
  const live = liveNodes(h);
  const byKey = groupBy(
    h.ops.filter((o) => (o.f === 'reserve' || o.f === 'restock') && o.type !== 'fail'),
    (o) => o.key,
  );
  const notes: string[] = [];
  if (s0 === null) notes.push('initial stock unknown: final stock not compared');
  if (!finals) notes.push('no `final` records: final stock not compared');
  for (const [key, ops] of byKey) {
    // An order acknowledged more than once took its stock once (reservations are idempotent per order).
    const reserves = distinctOrders(ops.filter((o) => o.f === 'reserve' && o.type === 'ok'));
    // (a) reservations based on the same stock version
    let collisions = 0;
    const collisionWitnesses: Witness[] = [];
    for (const [, group] of groupBy(
      reserves.filter((o) => basis(o) !== null),
      (o) => basis(o)?.text ?? '',
    )) {
      const distinct = distinctOrders(group);
      const first = distinct[0];
      if (!first) continue;
      const explicit = basis(first)?.explicit ?? false;
      const colliding = explicit
        ? distinct.slice(1)
        : distinct.slice(1).filter((o) => distinct.some((p) => p !== o && overlap(p, o)));
      if (colliding.length === 0) continue;
      collisions += colliding.length;
      // one reservation of each colliding pair was overwritten, which one the history cannot say
      if (explicit) noteLost(acc.bound, first);
      for (const o of colliding) {
        noteLost(acc.bound, o);
        if (!explicit) for (const p of group) if (p !== o && overlap(p, o)) noteLost(acc.bound, p);
      }
      const second = colliding[0];
      if (!second) continue;
      const firstMate = explicit ? first : (distinct.find((p) => p !== second && overlap(p, second)) ?? first);
      const b = basis(firstMate)?.text ?? '';
      collisionWitnesses.push({
        ops: [second.id, firstMate.id],
        key,
        clients: [second.client, firstMate.client],
        nodes: [second.node, firstMate.node],
        times_us: [second.complete_t ?? 0, firstMate.complete_t ?? 0],
        explanation:
          `${opRef(second)} at ${second.node} (acknowledged at ${sec(second.complete_t ?? 0)}) and ` +
          `${opRef(firstMate)} at ${firstMate.node} (acknowledged at ${sec(firstMate.complete_t ?? 0)}) were both ` +
          `based on ${explicit ? 'stock version' : 'stock before ='} ${b} of ${key}, so one reservation overwrote the other`,
        details: { basis: b, reservations: distinct.map((o) => o.id) },
      });
    }
    // (b) final stock above what the acknowledged reservations allow
    let excessCount = 0;
    let excessWitness: Witness | undefined;
    if (s0 !== null && finals && reserves.length > 0) {
      let restocked = 0;
      let reserved = 0;
      for (const o of ops) if (o.f === 'restock') restocked += qtyOf(o.value);
      for (const o of reserves) reserved += qtyOf(o.value);
      const upper = s0 + restocked - reserved;
      let worst: { view: ReplicaView; stock: number } | undefined;
      const iviews = finalViews(h, key, s0, live);
      for (const v of iviews) {
        const stock = numberField(v.value ?? null, 'stock', 'remaining') ?? s0;
        if (!worst || stock > worst.stock) worst = { view: v, stock };
      }
      if (worst && worst.stock > upper) {
        const excess = worst.stock - upper;
        for (const o of reserves) noteLost(acc.bound, o); // any of them may be the one not reflected
        const missing: Op[] = [];
        let covered = 0;
        for (const o of [...reserves].sort((a, b) => qtyOf(b.value) - qtyOf(a.value) || a.id - b.id)) {
          if (covered >= excess) break;
          missing.push(o);
          covered += qtyOf(o.value);
        }
        excessCount = missing.length;
        excessWitness = {
          ops: missing.map((o) => o.id),
          key,
          nodes: worst.view.nodes,
          clients: missing.map((o) => o.client),
          times_us: missing.map((o) => o.complete_t ?? 0),
          explanation:
            `after settle ${where(worst.view, key, iviews.length)}, but initial stock ${s0} + up to ${restocked} restocked ` +
            `− ${reserved} taken by ${reserves.length} acknowledged reservations leaves at most ${upper}: ` +
            `${excess} units too many, so at least ${missing.length} acknowledged ` +
            `reservation${missing.length === 1 ? ' is' : 's are'} not reflected (e.g. ${list(missing.slice(0, 3).map(opRef))})`,
          details: { final_stock: worst.stock, at_most: upper, excess, restocked, reserved },
        };
      }
    }
    const n = Math.max(collisions, excessCount);
    if (n === 0) continue;
    acc.count += n;
    acc.identified = false;
    for (const w of collisionWitnesses) push(acc, w);
    if (excessWitness) push(acc, excessWitness);
  }
  if (notes.length > 0) acc.note = notes.join('; ');
}
