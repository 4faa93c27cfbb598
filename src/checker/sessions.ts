/**
 * Session guarantees per client: `read_your_writes` (a client's read reflects its own earlier
 * acknowledged writes) and `monotonic_read` (a client's later read is not older than one it
 * already saw). "Older" uses the same real-time precedence as stale_read: X is older than Y
 * when X was acknowledged before Y began.
 *
 * Decision: only `sessions: 'sticky'` promises these, so only then are violations counted.
 * Otherwise (`none`, or unset as for imported histories, whose clients are processes with no
 * known session promise) the family is not applicable: `count: null`, `would_violate` holds
 * the number of reads that would violate, and the witnesses are kept (each explanation starts
 * with "would violate") so a learner can see what sticky sessions would prevent.
 * Inventory reads are stock levels that every reservation changes: not applicable.
 */
import type { Value } from '../history/types.js';
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { collector, opRef, readRef, sec, show, type Collector } from './explain.js';
import { initialValue } from './model.js';
import { groupBy, isRead, numberField, valueKey, type History, type Op } from './ops.js';
import { isRegisterModel, maxHorizon, registerKeys, sourceOps, type RegisterKey, type Source } from './register.js';
import { deltaOf, missingFrom, nonNegativeAdds, readSources, returnedText, setKeys } from './stale-read.js';

export interface SessionReports {
  read_your_writes: AnomalyReport;
  monotonic_read: AnomalyReport;
}

export function sessions(h: History, opts: CheckOptions): SessionReports {
  return sessionReports(sessionPart(h, opts), opts);
}

/** One pass's findings, mergeable across per-key slices (sink.ts). */
export interface SessionPart {
  /** set when the family does not apply to the model */
  na?: string;
  ryw: Collector;
  mr: Collector;
}

export function sessionPart(h: History, opts: CheckOptions): SessionPart {
  const ryw = collector();
  const mr = collector();
  const note = sessionsNotApplicable(opts);
  if (note !== undefined) return { na: note, ryw, mr };
  if (isRegisterModel(opts.model)) registerSessions(h, opts, ryw, mr);
  else if (opts.model === 'counter') counterSessions(h, opts, ryw, mr);
  else setSessions(h, ryw, mr);
  return { ryw, mr };
}

/**
 * Why the session families do not apply to the model, or undefined when they do: what
 * `sessionPart` says of any history, known without running it (sink.ts asks once per history).
 */
export function sessionsNotApplicable(opts: CheckOptions): string | undefined {
  if (opts.model === 'inventory') return 'inventory reads are stock levels that every reservation changes; no session order to judge';
  if (opts.model === 'multi-register') return 'multi-register (txn) histories are judged by linearizability only';
  return undefined;
}

export function sessionReports(p: SessionPart, opts: CheckOptions): SessionReports {
  if (p.na !== undefined) {
    const note = p.na;
    const na = (): AnomalyReport => ({ applicable: false, count: null, witnesses: [], note });
    return { read_your_writes: na(), monotonic_read: na() };
  }
  const sticky = opts.sessions === 'sticky';
  return {
    read_your_writes: wrap(p.ryw, sticky, 'read-your-writes'),
    monotonic_read: wrap(p.mr, sticky, 'monotonic reads'),
  };
}

function wrap(all: Collector, sticky: boolean, what: string): AnomalyReport {
  const kept = all.witnesses;
  if (sticky) return { applicable: true, count: all.count, witnesses: kept };
  // Not promised, so not applicable: count null (never 0), the would-be violations beside it.
  return {
    applicable: false,
    count: null,
    would_violate: all.count,
    witnesses: kept.map((w) => ({ ...w, explanation: `would violate ${what} under sticky sessions: ${w.explanation}` })),
    note: `sessions are not sticky, so ${what} is not promised; ${all.count} read(s) would violate it under sticky sessions`,
  };
}

/** Per client and key, its ops in invocation order. */
function byClientKey(h: History): Map<string, Op[]> {
  // two levels instead of a joined string per op; the groups sorted by the joined text
  const byKey = new Map<string, Map<string, Op[]>>();
  for (const o of h.ops) {
    const key = o.key;
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = new Map()));
    const client = o.client;
    const g = m.get(client);
    if (g) g.push(o);
    else m.set(client, [o]);
  }
  const groups: Array<[string, Op[]]> = [];
  for (const [key, m] of byKey) for (const [client, ops] of m) groups.push([`${client}\u0000${key}`, ops]);
  return new Map(groups.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * Feeds, in completion order, the reads of one client/key that completed before `t`; `t` must
 * not decrease between calls (reads are visited in invocation order), so each read is fed once.
 */
function completedBefore(reads: Op[]): (t: number, feed: (r: Op) => void) => void {
  // sorted through typed keys: reading an op's fields is a lookup in the columns
  const n = reads.length;
  const sortT = new Float64Array(n);
  const doneT = new Float64Array(n);
  const ids = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = reads[k] as Op;
    const c = r.complete_t;
    sortT[k] = c ?? 0;
    doneT[k] = c ?? Infinity;
    ids[k] = r.id;
  }
  // a plain array: V8 sorts it with TimSort, fast on the nearly sorted input this is
  const order: number[] = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => (sortT[a] as number) - (sortT[b] as number) || (ids[a] as number) - (ids[b] as number) || a - b);
  let i = 0;
  return (t, feed) => {
    while (i < n && (doneT[order[i] as number] as number) < t) feed(reads[order[i++] as number] as Op);
  };
}

/** Same for writes acknowledged before `t`, sorted by ack. */
const ackedBefore = completedBefore;

// ---- register ----

/**
 * The latest invoke time X must be acknowledged before for X to be older than what `read`
 * returned: for some element, every write that could have produced it began after X was
 * acknowledged. -Infinity when nothing is older (an initial value was read).
 */
function floorOf(sources: (readonly Source[])[]): number {
  let floor = -Infinity;
  for (const ss of sources) {
    let m = Infinity;
    for (const s of ss) m = Math.min(m, s.kind === 'initial' ? -Infinity : s.op.invoke_t);
    floor = Math.max(floor, m);
  }
  return floor;
}

const ownCache = new WeakMap<RegisterKey, Map<string, Op[]>>();

/** A key's acknowledged writes by client, each list in ack order (as `okByAck`). */
function ownByClient(rk: RegisterKey): Map<string, Op[]> {
  let m = ownCache.get(rk);
  if (m) return m;
  m = new Map();
  for (const w of rk.okByAck) {
    const c = w.client;
    const list = m.get(c);
    if (list) list.push(w);
    else m.set(c, [w]);
  }
  ownCache.set(rk, m);
  return m;
}

function registerSessions(h: History, opts: CheckOptions, ryw: Collector, mr: Collector): void {
  const regs = registerKeys(h);
  for (const [group, ops] of byClientKey(h)) {
    const rk = regs.get(ops[0]?.key ?? '');
    if (rk && !rk.judgeable) continue;
    const reads = ops.filter((o) => isRead(o.f) && o.type === 'ok');
    if (reads.length === 0) continue;
    const ownWrites = rk ? (ownByClient(rk).get(reads[0]?.client ?? '') ?? []) : [];
    const feedOwn = ackedBefore(ownWrites);
    const feedEarlier = completedBefore(reads);
    const floors = new Map<number, number>();
    // the own write acknowledged so far with the latest invoke; the earlier read with the highest floor
    let own: Op | undefined;
    let prev: Op | undefined;
    let prevFloor = -Infinity;
    const onOwn = (w: Op): void => {
      if (!own || w.invoke_t > own.invoke_t) own = w;
    };
    const onEarlier = (p: Op): void => {
      const f = floors.get(p.id) ?? -Infinity;
      if (f > prevFloor) {
        prevFloor = f;
        prev = p;
      }
    };
    for (const r of reads) {
      const sources = readSources(rk, r, opts);
      if (sources) floors.set(r.id, floorOf(sources));
      feedOwn(r.invoke_t, onOwn);
      feedEarlier(r.invoke_t, onEarlier);
      if (!sources) continue;
      const hz = maxHorizon(sources);
      if (own && hz < own.invoke_t) {
        const ownOp = own;
        ryw.add(() => registerRywWitness(r, ownOp, sources), group);
      }
      if (prev && hz < prevFloor) {
        const prevOp = prev;
        mr.add(() => registerMrWitness(r, prevOp, sources), group);
      }
    }
  }
}

/** Read `r` did not reflect its client's own acknowledged write `own`; `sources` wrote what it returned. */
export function registerRywWitness(r: Op, own: Op, sources: (readonly Source[])[]): Witness {
  return {
    ops: [r.id, own.id, ...sourceOps(sources.flat()).map((o) => o.id)],
    key: r.key,
    clients: [r.client],
    nodes: [r.node, own.node],
    times_us: [r.complete_t ?? 0, own.complete_t ?? 0],
    explanation:
      `client ${r.client}'s ${readRef(r)} ${returnedText(r, sources)}, ` +
      `although the same client's ${opRef(own)} was acknowledged at ${sec(own.complete_t ?? 0)}, before the read began`,
  };
}

/** Read `r` returned something older than its client's earlier read `prev` had. */
export function registerMrWitness(r: Op, prev: Op, sources: (readonly Source[])[]): Witness {
  return {
    ops: [r.id, prev.id],
    key: r.key,
    clients: [r.client],
    nodes: [r.node, prev.node],
    times_us: [r.complete_t ?? 0, prev.complete_t ?? 0],
    explanation:
      `client ${r.client}'s ${readRef(r)} ${returnedText(r, sources)}, ` +
      `older than ${show(prev.result)} which its read op ${prev.id} at ${prev.node} returned at ${sec(prev.complete_t ?? 0)}`,
  };
}

// ---- counter ----

function counterSessions(h: History, opts: CheckOptions, ryw: Collector, mr: Collector): void {
  const initial = numberField(initialValue(opts)) ?? 0;
  const judgeable = new Set<string>();
  for (const [key, ops] of groupBy(h.ops, (o) => o.key)) if (nonNegativeAdds(ops)) judgeable.add(key);
  for (const [group, ops] of byClientKey(h)) {
    const key = ops[0]?.key ?? '';
    if (!judgeable.has(key)) continue;
    const reads = ops.filter((o) => isRead(o.f) && o.type === 'ok' && numberField(o.result) !== null);
    const feedOwn = ackedBefore(ops.filter((o) => o.f === 'add' && o.type === 'ok'));
    const feedEarlier = completedBefore(reads);
    let floor = initial;
    let last: Op | undefined;
    let prev: Op | undefined;
    let prevGot = -Infinity;
    for (const r of reads) {
      const got = numberField(r.result) ?? 0;
      feedOwn(r.invoke_t, (a) => {
        floor += deltaOf(a);
        last = a;
      });
      feedEarlier(r.invoke_t, (p) => {
        const v = numberField(p.result) ?? -Infinity;
        if (v > prevGot) {
          prevGot = v;
          prev = p;
        }
      });
      if (last && got < floor) {
        const lastOp = last;
        ryw.add(() => ({
          ops: [r.id, lastOp.id],
          key,
          clients: [r.client],
          nodes: [r.node, lastOp.node],
          times_us: [r.complete_t ?? 0, lastOp.complete_t ?? 0],
          explanation:
            `client ${r.client}'s ${readRef(r)} returned ${got} at ${sec(r.complete_t ?? 0)}, ` +
            `below the ${floor} its own acknowledged adds require (the latest, ${opRef(lastOp)}, acknowledged at ${sec(lastOp.complete_t ?? 0)})`,
        }), group);
      }
      if (prev && got < prevGot) {
        const prevOp = prev;
        mr.add(() => ({
          ops: [r.id, prevOp.id],
          key,
          clients: [r.client],
          nodes: [r.node, prevOp.node],
          times_us: [r.complete_t ?? 0, prevOp.complete_t ?? 0],
          explanation:
            `client ${r.client}'s ${readRef(r)} returned ${got} at ${sec(r.complete_t ?? 0)}, ` +
            `less than the ${prevGot} its read op ${prevOp.id} at ${prevOp.node} returned at ${sec(prevOp.complete_t ?? 0)}`,
        }), group);
      }
    }
  }
}

// ---- set ----

function setSessions(h: History, ryw: Collector, mr: Collector): void {
  const keys = setKeys(h);
  for (const [group, ops] of byClientKey(h)) {
    const key = ops[0]?.key ?? '';
    const client = ops[0]?.client ?? '';
    const s = keys.get(key);
    if (!s) continue;
    const reads = ops.filter((o) => isRead(o.f) && o.type === 'ok' && Array.isArray(o.result));
    const own = s.addsByAck.filter((a) => a.client === client);
    const feedEarlier = completedBefore(reads);
    // every element an earlier completed read returned → the first such read
    const seen = new Map<string, { read: Op; e: Value }>();
    for (const r of reads) {
      feedEarlier(r.invoke_t, (p) => {
        for (const e of Array.isArray(p.result) ? p.result : []) {
          const k = valueKey(e);
          if (!seen.has(k)) seen.set(k, { read: p, e });
        }
      });
      const a = missingFrom(r, own, s.firstRemove, r.invoke_t);
      if (a) {
        ryw.add(() => ({
          ops: [r.id, a.id],
          key,
          clients: [client],
          nodes: [r.node, a.node],
          times_us: [r.complete_t ?? 0, a.complete_t ?? 0],
          explanation:
            `client ${client}'s ${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? 0)}, ` +
            `without ${show(a.value)} although its own ${opRef(a)} was acknowledged at ${sec(a.complete_t ?? 0)}, before the read began`,
        }), group);
      }
      if (seen.size === 0) continue;
      const held = new Set((Array.isArray(r.result) ? r.result : []).map((e) => valueKey(e)));
      for (const [k, { read: p, e }] of seen) {
        if (held.has(k) || (s.firstRemove.get(k) ?? Infinity) < (r.complete_t ?? Infinity)) continue;
        mr.add(() => ({
          ops: [r.id, p.id],
          key,
          clients: [client],
          nodes: [r.node, p.node],
          times_us: [r.complete_t ?? 0, p.complete_t ?? 0],
          explanation:
            `client ${client}'s ${readRef(r)} returned ${show(r.result)} at ${sec(r.complete_t ?? 0)}, ` +
            `without ${show(e)} which its read op ${p.id} at ${p.node} had returned at ${sec(p.complete_t ?? 0)}, and no remove of it was invoked`,
        }), group);
        break;
      }
    }
  }
}
