/**
 * The checker as a streaming sink: records go in one by one and are kept only as columns
 * (table.ts), never as record objects; `finish()` then judges the history one key at a time,
 * building `Op` objects for that key's ops only and merging each family's findings into what
 * a whole-history pass reports (same counts, same witnesses in the same order). Metrics read
 * the columns directly; linearizability builds each key's ops when its search starts.
 */
import type { ApplyRecord, FinalRecord, HistoryRecord, OpFn, Value } from '../history/types.js';
import type { AnomalyName, AnomalyReport, CheckOptions, CheckReport, Witness } from './types.js';
import { divergence } from './divergence.js';
import { collector, MAX_WITNESSES, mergeCollectors, type Collector } from './explain.js';
import { faultWindows } from './faults.js';
import { blackBoxInvariant, doubleApply, engineInvariant, oversell } from './invariant.js';
import { abortedApplyWitness, abortedReadNotApplicable, abortedReadsOfKey } from './aborted-read.js';
import { hasHistoryInvariants, historyInvariants } from './history-invariants.js';
import { linModelOptions, nonLinearizable } from './linearizable.js';
import type { LinOp, LinSource } from './lin/ops.js';
import type { ZoneOps } from './lin/zones.js';
import { lostUpdate, noLoss, type LostUpdateResult } from './lost-update.js';
import { computeMetrics } from './metrics.js';
import { restoreMetrics, type RestoreSummary } from './restore.js';
import { isRead, placementOf, type History, type HistoryScope, type Op, type OpStatus } from './ops.js';
import { replyWitnesses } from './replies.js';
import { isRegisterModel, isRegisterWrite } from './register.js';
import { registerKeyCols, registerScratch } from './register-cols.js';
import { registerZonesCols, zoneFns } from './register-zones.js';
import { finalViews } from './final-state.js';
import { initialValue } from './model.js';
import { sessionPart, sessionReports, sessionsNotApplicable, type SessionPart } from './sessions.js';
import { splitBrain } from './split-brain.js';
import { staleReadNotApplicable, staleReadPart, staleReport, type StalePart } from './stale-read.js';
import { INFO, OK, OPEN, OpTable, STATUS, FAIL, V_NUM, V_SIDE, type NameColumn } from './table.js';

/** Client operation counts by outcome; ops still open count as `info`. */
export interface OpSummary {
  total: number;
  ok: number;
  fail: number;
  info: number;
}

export interface CheckSink {
  /** Ingests one record (records in history order). */
  push(r: HistoryRecord): void;
  /** Judges everything pushed. Call once. */
  finish(): CheckReport;
  /** Operation counts so far. */
  summary(): OpSummary;
}

/** Expected size of the history, so columns are allocated once (a guess; they still grow past it). */
export interface SinkCapacity {
  ops?: number;
  applies?: number;
}

/** A sink that checks the records pushed into it under `opts` (see `checkHistory`). */
export function createCheckSink(opts: CheckOptions, capacity?: SinkCapacity): CheckSink {
  const T = new OpTable(capacity);
  return {
    push: T.push.bind(T), // no wrapper call per record
    finish: () => judge(T, opts),
    summary: () => summarize(T),
  };
}

function summarize(T: OpTable): OpSummary {
  const out = { total: T.n, ok: 0, fail: 0, info: 0 };
  for (let r = 0; r < T.n; r++) {
    const x = T.type[r];
    if (x === OK) out.ok++;
    else if (x === FAIL) out.fail++;
    else if (x === INFO || x === OPEN) out.info++;
  }
  return out;
}

/**
 * The op at `row` as the families read it: a view over the columns (two fields), not a copy
 * (eleven fields and two boxed times). A key's ops live while the key is judged, long enough
 * to reach the old generation, so their size is what the check's heap grows by.
 */
class ColOp implements Op {
  constructor(
    private readonly T: OpTable,
    readonly row: number,
  ) {}
  get id(): number {
    return this.T.opId(this.row);
  }
  get client(): string {
    return this.T.names.list[this.T.client[this.row] as number] as string;
  }
  get node(): string {
    return this.T.names.list[this.T.node[this.row] as number] as string;
  }
  get f(): OpFn {
    return this.T.fn(this.row);
  }
  get key(): string {
    return this.T.names.list[this.T.key[this.row] as number] as string;
  }
  get value(): Value | undefined {
    return this.T.value(this.row);
  }
  get result(): Value | undefined {
    return this.T.result(this.row);
  }
  get invoke_t(): number {
    return this.T.invokeT[this.row] as number;
  }
  get complete_t(): number | null {
    return this.T.type[this.row] === OPEN ? null : (this.T.completeT[this.row] as number);
  }
  get type(): OpStatus {
    return STATUS[this.T.type[this.row] as number] as OpStatus;
  }
  get error(): string | undefined {
    return this.T.errorText(this.row);
  }
}

function opAt(T: OpTable, row: number): Op {
  return new ColOp(T, row);
}

/** Rows grouped by a column's value with a counting sort; rows stay in order inside a group. */
function groupRows(col: NameColumn, n: number, groups: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let r = 0; r < n; r++) start[(col[r] as number) + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g] as number;
  const fill = start.slice(0, groups);
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[fill[col[r] as number]!++] = r;
  return { start, rows };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** How `judgeTable` may judge; the tests vary these, results must not change. */
export interface JudgeTuning {
  /** false: every key through the per-op families, none through register-cols.ts */
  columnar?: boolean;
  /** rows per batch of register-gather.ts copies */
  batchRows?: number;
}

/**
 * Facts of the whole history when `T` holds only part of it (a key bucket of the partitioned
 * check, src/checker/partition): families read them as if every record were in `T`.
 */
export interface WholeHistoryFacts {
  /** nodes with a `final` record anywhere in the history */
  finalNodes: readonly string[];
  /** the history has `apply` records */
  anyApply: boolean;
}

/** Judges a table (what `finish` does); `whole` when `T` is one part of a bigger history. */
export function judgeTable(T: OpTable, opts: CheckOptions, tuning: JudgeTuning = {}, whole?: WholeHistoryFacts): CheckReport {
  return judge(T, opts, tuning, whole);
}

function judge(T: OpTable, opts: CheckOptions, tuning: JudgeTuning = {}, whole?: WholeHistoryFacts): CheckReport {
  const finalsByKey = new Map<number, FinalRecord[]>();
  for (const f of T.finals) {
    const k = T.names.id(f.key);
    const list = finalsByKey.get(k);
    if (list) list.push(f);
    else finalsByKey.set(k, [f]);
  }
  const byKey = groupRows(T.key, T.n, T.names.list.length);
  // nodes that applied each key (by name index), in order of their first apply
  const appliers: Array<number[] | undefined> = new Array<number[] | undefined>(T.names.list.length);
  for (let i = 0; i < T.na; i++) {
    const k = T.aKey[i] as number;
    const node = T.aNode[i] as number;
    const list = appliers[k];
    if (!list) appliers[k] = [node];
    else if (!list.includes(node)) list.push(node);
  }
  const placement = placementOf(T.replicas, T.live);
  const live = new Set(T.finals.map((f) => f.node));
  for (const n of whole?.finalNodes ?? []) live.add(n);
  for (const n of T.live ?? []) live.add(n);
  const anyFinal = T.finals.length > 0 || (whole?.finalNodes.length ?? 0) > 0;
  const anyApply = T.na > 0 || (whole?.anyApply ?? false);
  const scope: HistoryScope = {
    live,
    anyFinal,
    anyApply,
    appliers: (key) => {
      const k = T.names.find(key);
      return (k === undefined ? undefined : appliers[k]?.map((n) => T.names.list[n] as string)) ?? [];
    },
  };
  const byId = { get: (id: number): Op | undefined => (T.row(id) < 0 ? undefined : opAt(T, T.row(id))) };
  const slice = (ops: Op[], finals: FinalRecord[]): History => ({
    ops,
    byId,
    applies: [],
    finals,
    faults: T.faults,
    end_t: T.end_t,
    scope,
    ...(placement ? { placement } : {}),
  });

  // every key named by an op, an apply or a final, sorted
  const named = new Uint8Array(T.names.list.length);
  for (let r = 0; r < T.n; r++) named[T.key[r] as number] = 1;
  for (let i = 0; i < T.na; i++) named[T.aKey[i] as number] = 1;
  for (const k of finalsByKey.keys()) named[k] = 1;
  const keys: number[] = [];
  for (let k = 0; k < named.length; k++) if (named[k]) keys.push(k);
  keys.sort((a, b) => cmp(T.names.list[a] as string, T.names.list[b] as string));

  // what each family says of an empty slice: applicability and whole-history notes
  const empty = slice([], []);
  const divBase = divergence(empty, opts, []);
  const lostBase = lostUpdate(empty, opts);
  // stale_read and the session families say nothing of an empty slice but whether they apply:
  // asked directly, so a history the column path judges whole never runs (nor compiles) the
  // per-op families
  const staleBase = { na: staleReadNotApplicable(opts) };
  const sessBase = { na: sessionsNotApplicable(opts), ryw: collector(), mr: collector() };

  const divParts: AnomalyReport[] = [];
  const lostParts: Array<{ order: number; r: LostUpdateResult }> = [];
  const staleParts: Collector[] = [];
  const skipped: string[] = [];
  const ryw: Collector[] = [];
  const mr: Collector[] = [];
  const oversold: Witness[] = [];
  let oversoldCount = 0;
  // history-only invariant rules (history-invariants.ts) and aborted reads, per key
  const ruled = collector();
  const aborted = collector();
  const rulesNeedOps = opsRulesNeeded(T, opts);
  let ruledApplies = hasHistoryInvariants(opts.model);
  const registerOrder = opts.model === 'register' || opts.model === 'cas-register' || opts.model === 'kv';
  let scratch =
    tuning.columnar !== false && isRegisterModel(opts.model)
      ? registerScratch(T, keys, (k) => (byKey.start[k + 1] as number) - (byKey.start[k] as number), tuning.batchRows)
      : null;
  const initial = initialValue(opts);
  // lin/zones.ts's answer per key (name index; -1 not asked), worked out from the register
  // copies while they are at hand (register-zones.ts) for linearizable.ts to use
  const zoneProof = scratch && (opts.model === 'register' || opts.model === 'cas-register') ? new Int8Array(T.names.list.length).fill(-1) : null;
  const zoneFnKinds = zoneProof ? zoneFns(T.fns.list) : null;
  const zoneModelOpts = linModelOptions(opts);

  for (const k of keys) {
    const key = T.names.list[k] as string;
    const a = byKey.start[k] as number;
    const b = byKey.start[k + 1] as number;
    // the key's op views, built when a family first reads them (the columnar path does not)
    let built: Op[] | undefined;
    const h: History = {
      ...slice([], finalsByKey.get(k) ?? []),
      get ops(): Op[] {
        if (!built) {
          built = [];
          for (let j = a; j < b; j++) built.push(opAt(T, byKey.rows[j] as number));
        }
        return built;
      },
      ...(b > a ? { key } : {}),
    };
    const ops = (): Op[] => h.ops;
    if (divBase.applicable) keepReport(divParts, divergence(h, opts, [key]));
    if (rulesNeedOps.aborted(k)) abortedReadsOfKey(h, opts, (w) => aborted.add(() => w));
    if (rulesNeedOps.invariants(k) && historyInvariants(h, opts, (w) => ruled.add(() => w))) ruledApplies = true;
    const cols = scratch
      ? registerKeyCols(
          scratch,
          k,
          key,
          opts,
          lostBase.report.applicable ? finalViews(h, key, initial, scope.live) : null,
          (r) => opAt(T, r),
        )
      : null;
    if (zoneProof && b > a) zoneProof[k] = registerZonesCols(scratch!.G, k, zoneFnKinds!, zoneModelOpts) ? 1 : 0;
    if (cols) {
      if (cols.lost && findsLoss(cols.lost)) lostParts.push({ order: firstWriteRow(T, byKey.rows.subarray(a, b)), r: cols.lost });
      keep(staleParts, cols.stale);
      keep(ryw, cols.ryw);
      keep(mr, cols.mr);
      continue;
    }
    if (lostBase.report.applicable) {
      // register witnesses come in order of each key's first write (registerKeys' insertion order)
      let order = 0;
      if (registerOrder) {
        const first = ops().find((o) => o.f === 'append' || o.f === 'txn' || (isRegisterWrite(o) && o.type !== 'fail'));
        order = first?.row ?? Infinity;
      }
      const r = lostUpdate(h, opts);
      if (findsLoss(r)) lostParts.push({ order, r });
    }
    if (!staleBase.na) {
      const p: StalePart = staleReadPart(h, opts);
      keep(staleParts, p.c);
      skipped.push(...p.skipped);
    }
    if (sessBase.na === undefined) {
      const p: SessionPart = sessionPart(h, opts);
      keep(ryw, p.ryw);
      keep(mr, p.mr);
    }
    if (opts.model === 'inventory') {
      oversell(h, opts, (w) => {
        oversoldCount++;
        if (oversold.length < MAX_WITNESSES) oversold.push(w);
      });
    }
  }

  scratch = null; // its copies and buffers (tens of MB on long runs) can go before the metrics
  const div = mergeReports(divBase, divParts);
  lostParts.sort((x, y) => x.order - y.order); // stable: sorted keys inside equal orders
  const lost = mergeLost(lostBase, lostParts.map((p) => p.r));
  const stale = staleBase.na ? staleBase.na : staleReport({ c: mergeCollectors(staleParts), skipped });
  const sess = sessionReports(sessBase.na !== undefined ? sessBase : { ryw: mergeCollectors(ryw), mr: mergeCollectors(mr) }, opts);

  const global: History = {
    ops: [],
    byId,
    applies: [],
    finals: T.finals,
    faults: T.faults,
    end_t: T.end_t,
    ...(placement ? { placement } : {}),
  };
  const inv = invariantReport(T, opts, global, oversold, oversoldCount, ruled, ruledApplies, anyFinal || anyApply);
  const restores = restoreMetrics(T);
  if (restores && restores.restore.reapplied_twice > 0) addReappliedTwice(inv, restores.restore);
  const split = splitBrain(
    { ...global, ops: opts.promisesNoSplitBrain ? okWrites(T) : [] },
    opts,
  );
  const lin = nonLinearizable(linSource(T, byKey, zoneProof), opts);
  const anomalies: Record<AnomalyName, AnomalyReport> = {
    divergence: div,
    lost_update: lost.report,
    aborted_read: abortedReport(T, opts, aborted),
    stale_read: stale,
    read_your_writes: sess.read_your_writes,
    monotonic_read: sess.monotonic_read,
    non_linearizable: lin.report,
    invariant: inv,
    split_brain: split,
  };
  for (const x of Object.values(anomalies)) for (const w of x.witnesses) dedupeNames(w);
  const metrics = computeMetrics({
    table: T,
    windows: faultWindows(global),
    lost,
    diverged: div.applicable ? div.count : null,
  });
  // Only histories with backup records get these: others are unchanged (not zeros).
  if (restores) Object.assign(metrics, restores);
  return { anomalies, metrics, linearizable: lin.verdict };
}

// Per-key findings are kept only when they found something: an empty collector or report adds
// nothing to the merge, and one per key (three families, a million keys) was most of the
// memory `finish()` held on big histories (docs/checker.md, "Big histories").

function keep(parts: Collector[], c: Collector): void {
  if (c.count > 0 || c.witnesses.length > 0 || (c.makers?.length ?? 0) > 0) parts.push(c);
}

function keepReport(parts: AnomalyReport[], r: AnomalyReport): void {
  // count null (a stopped or unknown check) is kept: unknown is never zero
  if (r.count !== 0 || r.unknown || r.witnesses.length > 0) parts.push(r);
}

/** Whether a key's lost_update result adds anything to the merge (mergeLost). */
function findsLoss(r: LostUpdateResult): boolean {
  const rep = r.report;
  return rep.count !== 0 || rep.unknown === true || rep.witnesses.length > 0 || r.lost.n > 0 || r.bound.n > 0 || !r.identified;
}

/** The first row of a key's (simple register) ops that is a write not failed, as the slow path orders lost_update witnesses. */
function firstWriteRow(T: OpTable, rows: Int32Array): number {
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j] as number;
    const f = T.fn(r);
    if (T.type[r] !== FAIL && (f === 'write' || f === 'put' || f === 'cas')) return r;
  }
  return Infinity;
}

/** A node or client named twice in one witness (e.g. the lost write's node is also a replica) is listed once. */
function dedupeNames(w: Witness): void {
  if (w.nodes) w.nodes = [...new Set(w.nodes)];
  if (w.clients) w.clients = [...new Set(w.clients)];
}

/** Per-key reports (key order) → one: counts add up, the first MAX_WITNESSES witnesses kept. */
function mergeReports(base: AnomalyReport, parts: AnomalyReport[]): AnomalyReport {
  if (!base.applicable) return base;
  const out: AnomalyReport = { ...base, count: base.count ?? 0, witnesses: [...base.witnesses] };
  let found = 0;
  for (const p of parts) {
    found += p.count ?? p.at_least ?? 0;
    // unknown is never zero: a key whose check stopped leaves the merged count unknown too
    if (p.count === null && p.unknown) Object.assign(out, { unknown: true, ...(p.note ? { note: p.note } : {}) });
    for (const w of p.witnesses) if (out.witnesses.length < MAX_WITNESSES) out.witnesses.push(w);
  }
  if (out.unknown) return { ...out, count: null, at_least: (base.count ?? 0) + found };
  out.count = (base.count ?? 0) + found;
  return out;
}

function mergeLost(base: LostUpdateResult, parts: LostUpdateResult[]): LostUpdateResult {
  if (!base.report.applicable) return base;
  const lost = noLoss();
  const bound = noLoss();
  let identified = base.identified;
  for (const p of parts) {
    lost.n += p.lost.n;
    lost.start = Math.min(lost.start, p.lost.start);
    lost.end = Math.max(lost.end, p.lost.end);
    bound.n += p.bound.n;
    bound.start = Math.min(bound.start, p.bound.start);
    bound.end = Math.max(bound.end, p.bound.end);
    identified &&= p.identified;
  }
  return { report: mergeReports(base.report, parts.map((p) => p.report)), lost, identified, bound };
}

/** invariant.ts's family, with the per-key oversell findings gathered by the caller. */
function invariantReport(
  T: OpTable,
  opts: CheckOptions,
  h: History,
  oversold: Witness[],
  oversoldCount: number,
  ruled: Collector,
  ruledApplies: boolean,
  wholeApplyOrFinal: boolean,
): AnomalyReport {
  const replies = replyWitnesses(T, h.byId);
  const whiteBox = wholeApplyOrFinal || T.live !== null || T.faults.some((f) => f.fault === 'invariant');
  // a black-box history has no engine records to judge, but the rules judged from client ops
  // (ruledApplies) and a reply that breaks the one-completion rule still count
  if (!whiteBox && !ruledApplies && opts.model !== 'inventory' && replies.count === 0) return blackBoxInvariant();
  const c = collector();
  const add = (w: Witness): void => c.add(() => w);
  for (const f of T.faults) if (f.fault === 'invariant') add(engineInvariant(f, h));
  c.count += replies.count;
  for (const w of replies.witnesses) if (c.witnesses.length < MAX_WITNESSES) c.witnesses.push(w);
  if (opts.model === 'inventory') {
    c.count += oversoldCount;
    for (const w of oversold) if (c.witnesses.length < MAX_WITNESSES) c.witnesses.push(w);
    doubleApply({ ...h, applies: reserveApplies(T) }, add);
  }
  c.count += ruled.count;
  for (const w of ruled.witnesses) if (c.witnesses.length < MAX_WITNESSES) c.witnesses.push(w);
  return { applicable: true, count: c.count, witnesses: c.witnesses };
}

/**
 * Which keys (name index) the per-key aborted-read and history-invariant rules must see the
 * ops of: every key outside the register models; for a register key, aborted reads only when
 * some op of it failed (abortedReadsOfKey finds nothing else), and the invariant rules only
 * when some read returned siblings (an array: the register models' only history-only rule,
 * superseded-sibling.ts, looks at nothing else). So the columnar register path builds no op
 * views for keys these rules cannot fire on, and a key with a failed cas (every etcd history)
 * does not pay for the sibling rule.
 */
function opsRulesNeeded(T: OpTable, opts: CheckOptions): { aborted: (k: number) => boolean; invariants: (k: number) => boolean } {
  if (!isRegisterModel(opts.model)) return { aborted: () => true, invariants: () => true };
  const failed = new Uint8Array(T.names.list.length);
  const sib = new Uint8Array(T.names.list.length);
  const reads = T.fns.list.map((f) => isRead(f as OpFn));
  const siblings = opts.model !== 'kv'; // kv reads are strings: no sibling rule
  for (let r = 0; r < T.n; r++) {
    if (T.type[r] === FAIL) failed[T.key[r] as number] = 1;
    else if (siblings && T.type[r] === OK && reads[T.f[r] as number] && T.resultTag(r) === V_SIDE && Array.isArray(T.result(r))) {
      sib[T.key[r] as number] = 1;
    }
  }
  return { aborted: (k) => failed[k] === 1, invariants: (k) => sib[k] === 1 };
}

/**
 * `aborted_read`: the per-key findings (reads and final states) plus every failed op that a
 * replica applied, one witness per failed op (naming each replica that applied it).
 */
function abortedReport(T: OpTable, opts: CheckOptions, perKey: Collector): AnomalyReport {
  const na = abortedReadNotApplicable(opts);
  if (na) return na;
  const c = collector();
  c.count = perKey.count;
  c.witnesses.push(...perKey.witnesses);
  if (T.failedIds.size > 0) {
    const applied = new Map<number, { t: number; nodes: string[] }>();
    for (let i = 0; i < T.na; i++) {
      const r = T.applyRow(i);
      if (r < 0 || T.type[r] !== FAIL) continue;
      const node = T.names.list[T.aNode[i] as number] as string;
      const seen = applied.get(r);
      if (!seen) applied.set(r, { t: T.aT[i] as number, nodes: [node] });
      else if (!seen.nodes.includes(node)) seen.nodes.push(node);
    }
    for (const [r, a] of applied) {
      const op = opAt(T, r);
      c.add(() => {
        const w = abortedApplyWitness({ t: a.t, node: a.nodes.join(', '), key: op.key }, op);
        w.nodes = [...a.nodes, op.node];
        return w;
      });
    }
  }
  return { applicable: true, count: c.count, witnesses: c.witnesses };
}

/** Apply records of reservations (the only ones double-apply looks at), rebuilt from columns. */
function reserveApplies(T: OpTable): ApplyRecord[] {
  const out: ApplyRecord[] = [];
  for (let i = 0; i < T.na; i++) {
    const r = T.applyRow(i);
    if (r < 0 || T.fn(r) !== 'reserve') continue;
    const id = T.opId(r);
    out.push({
      t: T.aT[i] as number,
      type: 'apply',
      node: T.names.list[T.aNode[i] as number] as string,
      key: T.names.list[T.aKey[i] as number] as string,
      value: null,
      op: id,
    });
  }
  return out;
}

/** Acknowledged writes in invocation order (split brain reads only these). */
function okWrites(T: OpTable): Op[] {
  const out: Op[] = [];
  for (let r = 0; r < T.n; r++) if (T.type[r] === OK && !isRead(T.fn(r))) out.push(opAt(T, r));
  return out;
}

// What the linearizability view says of a row (lin/ops.ts `collectLinOps` semantics): a later
// `ok` after an `info` (LateOk) makes the op known. Shared by the per-op view (ColLinOp) and
// the per-key view by index (ColZoneOps), so the two cannot disagree.

function lateOf(T: OpTable, row: number): { t: number; pos: number; value: Value | undefined } | undefined {
  return T.type[row] === OK ? undefined : T.lateOk.get(row);
}

function linOutput(T: OpTable, row: number): Value | undefined {
  if (T.type[row] === OK) return T.result(row);
  return lateOf(T, row)?.value;
}

function linKnown(T: OpTable, row: number): boolean {
  return T.type[row] === OK || lateOf(T, row) !== undefined;
}

function linRetPos(T: OpTable, row: number): number {
  if (T.type[row] === OK) return T.completePos[row] as number;
  return lateOf(T, row)?.pos ?? Infinity;
}

/** An op as the linearizability search reads it (lin/ops.ts `LinOp`): a view over the columns. */
class ColLinOp implements LinOp {
  constructor(
    private readonly T: OpTable,
    private readonly row: number,
  ) {}
  get id(): number {
    return this.T.opId(this.row);
  }
  get client(): string {
    return this.T.names.list[this.T.client[this.row] as number] as string;
  }
  get f(): OpFn {
    return this.T.fn(this.row);
  }
  get key(): string {
    return this.T.names.list[this.T.key[this.row] as number] as string;
  }
  get input(): Value | undefined {
    return this.T.value(this.row);
  }
  get output(): Value | undefined {
    return linOutput(this.T, this.row);
  }
  get known(): boolean {
    return linKnown(this.T, this.row);
  }
  get call_t(): number {
    return this.T.invokeT[this.row] as number;
  }
  get ret_t(): number | null {
    if (this.T.type[this.row] === OK) return this.T.completeT[this.row] as number;
    return lateOf(this.T, this.row)?.t ?? null;
  }
  get callPos(): number {
    return this.T.callPos[this.row] as number;
  }
  get retPos(): number {
    return linRetPos(this.T, this.row);
  }
}

/** A key's ops (table rows, fail ops dropped) read by index, as lin/zones.ts reads them. */
class ColZoneOps implements ZoneOps {
  constructor(
    private readonly T: OpTable,
    private readonly rows: Int32Array,
  ) {}
  get length(): number {
    return this.rows.length;
  }
  f(i: number): OpFn {
    return this.T.fn(this.rows[i] as number);
  }
  known(i: number): boolean {
    return linKnown(this.T, this.rows[i] as number);
  }
  input(i: number): Value | undefined {
    return this.T.value(this.rows[i] as number);
  }
  output(i: number): Value | undefined {
    return linOutput(this.T, this.rows[i] as number);
  }
  callPos(i: number): number {
    return this.T.callPos[this.rows[i] as number] as number;
  }
  retPos(i: number): number {
    return linRetPos(this.T, this.rows[i] as number);
  }
}

/** Per key (name index): ops not dropped, some read returned nil, some op rules a head out (lin/ops.ts `head`). */
interface HeadFacts {
  size: Int32Array;
  nil: Uint8Array;
  bad: Uint8Array;
}

/** One pass over the table for every key's head facts (a pass per key would miss the cache at every row). */
function headFacts(T: OpTable, dropped: (r: number) => boolean): HeadFacts {
  const kinds = T.fns.list.map((f) => (f === 'read' || f === 'get' ? 1 : f === 'write' || f === 'put' ? 2 : 0));
  const nk = T.names.list.length;
  const out: HeadFacts = { size: new Int32Array(nk), nil: new Uint8Array(nk), bad: new Uint8Array(nk) };
  for (let r = 0; r < T.n; r++) {
    if (dropped(r)) continue;
    const k = T.key[r] as number;
    out.size[k]!++;
    const kind = kinds[T.f[r] as number];
    if (T.type[r] !== OK || kind === 0) out.bad[k] = 1;
    else if (kind === 1) {
      const tag = T.resultTag(r);
      if (tag === V_SIDE) out.bad[k] = 1; // maybe a sibling array
      else if (tag !== V_NUM) out.nil[k] = 1;
    }
  }
  return out;
}

/** Linearizability's view of a table on its own (tests compare it with and without heads). */
export function tableLinSource(T: OpTable): LinSource {
  return linSource(T, groupRows(T.key, T.n, T.names.list.length));
}

/**
 * Linearizability's view of the columns (lin/ops.ts `collectLinOps` semantics). `zoneProof`:
 * lin/zones.ts's answer by key name index when already known (1 proven, 0 not, -1 ask).
 */
function linSource(T: OpTable, byKey: { start: Int32Array; rows: Int32Array }, zoneProof: Int8Array | null = null): LinSource {
  const anyFailed = T.failedIds.size > 0;
  const dropped = (r: number): boolean =>
    anyFailed && T.failedIds.has(T.opId(r)) && T.type[r] !== OK && !T.lateOk.has(r);
  const linOp = (r: number): LinOp => new ColLinOp(T, r);
  let heads: HeadFacts | undefined;
  return {
    keys: () => {
      const seen = new Uint8Array(T.names.list.length);
      const out: string[] = [];
      for (let r = 0; r < T.n; r++) {
        const k = T.key[r] as number;
        if (seen[k] || dropped(r)) continue;
        seen[k] = 1;
        out.push(T.names.list[k] as string);
      }
      return out;
    },
    ops: (key) => {
      const k = T.names.id(key);
      const out: LinOp[] = [];
      if (k + 1 >= byKey.start.length) return out;
      for (let j = byKey.start[k] as number; j < (byKey.start[k + 1] as number); j++) {
        const r = byKey.rows[j] as number;
        if (!dropped(r)) out.push(linOp(r));
      }
      return out;
    },
    each: function* (key) {
      const k = T.names.id(key);
      if (k + 1 >= byKey.start.length) return;
      for (let j = byKey.start[k] as number; j < (byKey.start[k + 1] as number); j++) {
        const r = byKey.rows[j] as number;
        if (!dropped(r)) yield linOp(r);
      }
    },
    zoneOps: (key) => {
      const k = T.names.id(key);
      if (k + 1 >= byKey.start.length) return new ColZoneOps(T, new Int32Array(0));
      const rows = byKey.rows.subarray(byKey.start[k] as number, byKey.start[k + 1] as number);
      if (!anyFailed) return new ColZoneOps(T, rows); // nothing dropped: the key's rows as they are
      let n = 0;
      for (let j = 0; j < rows.length; j++) if (!dropped(rows[j] as number)) n++;
      const kept = new Int32Array(n);
      for (let j = 0, m = 0; j < rows.length; j++) if (!dropped(rows[j] as number)) kept[m++] = rows[j] as number;
      return new ColZoneOps(T, kept);
    },
    ...(zoneProof
      ? {
          zoneProof: (key: string): boolean | undefined => {
            const k = T.names.find(key);
            const p = k === undefined ? -1 : (zoneProof[k] ?? -1);
            return p < 0 ? undefined : p === 1;
          },
        }
      : {}),
    all: () => {
      const out: LinOp[] = [];
      for (let r = 0; r < T.n; r++) if (!dropped(r)) out.push(linOp(r));
      return out;
    },
    head: (key, count) => {
      const k = T.names.id(key);
      if (k + 1 >= byKey.start.length) return null;
      const h = (heads ??= headFacts(T, dropped));
      if (h.bad[k]) return null;
      const ops: LinOp[] = [];
      let next = Infinity;
      for (let j = byKey.start[k] as number; j < (byKey.start[k + 1] as number) && next === Infinity; j++) {
        const r = byKey.rows[j] as number;
        if (dropped(r)) continue;
        if (ops.length < count) ops.push(linOp(r));
        else next = T.callPos[r] as number;
      }
      return { ops, next, size: h.size[k] as number, nilReads: h.nil[k] === 1 };
    },
  };
}

/**
 * Writes reapplied twice after a restore break the idempotency-key invariant (an order billed
 * twice): they join the `invariant` family, counted and witnessed like its other rules.
 */
function addReappliedTwice(inv: AnomalyReport, r: RestoreSummary): void {
  inv.applicable = true;
  inv.count = (inv.count ?? 0) + r.reapplied_twice;
  for (const w of r.twice) if (inv.witnesses.length < MAX_WITNESSES) inv.witnesses.push(w);
}
