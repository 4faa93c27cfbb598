/**
 * The `non_linearizable` anomaly family: is there, for each key, an order of the operations
 * that respects real time (an op that completed before another began comes first) and the
 * model's sequential semantics? Checked per key (P-compositionality; multi-register as one
 * partition) with the memoised Wing–Gong–Lowe search in ./lin/search.ts.
 *
 * Semantics (../shared/oracles/README.md): `fail` ops are dropped; `info` ops and invocations
 * without completion are optional, open to the end; nil reads are "no value" or wildcards by
 * `nilRead`; register reads of sibling arrays constrain nothing.
 */
import type { HistoryRecord } from '../history/types.js';
import type { AnomalyReport, CheckOptions, SearchWork, Witness } from './types.js';
import { MAX_WITNESSES } from './explain.js';
import { linSourceOf, type LinOp, type LinSource } from './lin/ops.js';
import { linModel } from './lin/models/index.js';
import type { CompiledModel, ModelOptions } from './lin/model.js';
import { startSearch, type Search, type SearchArena, type SearchBudget, type SearchResult } from './lin/search.js';
import { linWitness } from './lin/witness.js';
import { compileRegister } from './lin/models/register.js';
import { HEAD_GROWTH, HEAD_OPS, headOf } from './lin/head.js';
import { registerZonesLinearizable } from './lin/zones.js';

/** Default time budget per history (only enforced when `budget.now_ms` provides a clock: `check`). */
export const DEFAULT_TIME_MS = 10_000;
/**
 * Default bound on memoised configurations per history (memory: ~16 bytes + ops/8 each). This
 * work bound, not time, is what `run`/`test`/`compare` stop on, so a verdict is the same on
 * any machine; see docs/checker.md for the states the built-in scenarios use.
 */
export const DEFAULT_MAX_STATES = 20_000_000;
/** Bound on the memory the memos of unfinished searches may hold together (exceeded → unknown). */
export const DEFAULT_MAX_MEMO_BYTES = 1 << 30;
/** Search steps each unfinished partition gets in the first round (doubling each round). */
const FIRST_SLICE = 1 << 14;
/** Once some key is known to fail, unfinished keys stop after the round of this slice. */
const SLICE_AFTER_VIOLATION = 1 << 18;

/** The models' options for a check's options: the initial value (kv's is "") and how nil reads match. */
export function linModelOptions(opts: CheckOptions): ModelOptions {
  return { initial: opts.initial ?? (opts.model === 'kv' ? '' : null), nilRead: opts.nilRead ?? 'empty' };
}

/**
 * Checks `records` for linearizability under `opts.model`. `verdict` is `true` when every
 * key has a linearization, `false` when some key has none (`report.count` keys; a witness
 * for each of the first MAX_WITNESSES: the shortest failing prefix), and `'unknown'` when the budget ran out before a
 * verdict or the model has no linearizability (inventory). Whenever some key is undecided
 * `report.count` is null with `unknown: true` and the reason in `report.note`, even when the
 * verdict is already `false`: the count of failing keys is then unknown (`at_least` of them).
 */
export function nonLinearizable(
  input: readonly HistoryRecord[] | LinSource,
  opts: CheckOptions,
): { report: AnomalyReport; verdict: boolean | 'unknown' } {
  const spec = linModel(opts.model);
  if (!spec) {
    return {
      report: { applicable: false, count: null, witnesses: [], note: `linearizability is not checked for model ${opts.model}` },
      verdict: 'unknown',
    };
  }
  const now_ms = opts.budget?.now_ms;
  const time_ms = opts.budget?.time_ms ?? DEFAULT_TIME_MS;
  const budget: SearchBudget = {
    time_ms,
    deadline_ms: now_ms ? now_ms() + time_ms : Infinity,
    max_states: opts.budget?.max_states ?? DEFAULT_MAX_STATES,
    states: 0,
    memo_bytes: 0,
    max_memo_bytes: opts.budget?.max_memo_bytes ?? DEFAULT_MAX_MEMO_BYTES,
    peak_memo_bytes: 0,
    ...(now_ms ? { now_ms } : {}),
  };
  const modelOpts = linModelOptions(opts);

  // a failing partition's witness is made only while it may be among the first MAX_WITNESSES
  type Outcome = { kind: 'ok' } | { kind: 'fail'; witness: Witness | null } | { kind: 'unknown'; reason: string };
  const source = isSource(input) ? input : linSourceOf(input);
  // Per-key ops are built when a partition's search starts and dropped when it finishes.
  const partitions = spec.perKey
    ? source.keys().map((key, index) => ({
        key,
        index,
        ops: null as LinOp[] | null,
        label: key === '' ? 'the register' : `key ${key}`,
        outcome: null as Outcome | null,
      }))
    : [...partition(source.all(), false)].map(([key, ops], index) => ({
        key,
        index,
        ops: ops as LinOp[] | null,
        label: `registers ${key}`,
        outcome: null as Outcome | null,
      }));
  const opsOf = (p: (typeof partitions)[number]): LinOp[] => (p.ops ??= source.ops(p.key));
  let unsupported = 0;
  let failures = 0;
  const mayBeListed = (index: number): boolean => {
    let before = 0;
    for (let i = 0; i < index && before < MAX_WITNESSES; i++) if (partitions[i]!.outcome?.kind === 'fail') before++;
    return before < MAX_WITNESSES;
  };
  // Round robin with doubling slices: easy keys finish first, and one hard key cannot starve
  // the search for a failing one. Models and searches are built when a partition is first
  // run and dropped when it finishes, so only unfinished partitions hold memory.
  // `head`: how many ops the search was started on (lin/head.ts), Infinity for all of them.
  // `tried`: lin/zones.ts has had its go at the key.
  // `ops`: what `model` was compiled on (a head of the key's ops, or all of them).
  type Running = {
    p: (typeof partitions)[number];
    model: CompiledModel | null;
    ops: readonly LinOp[] | null;
    search: Search | null;
    head: number;
    tried: boolean;
  };
  const finish = (a: Running, r: Exclude<SearchResult, { kind: 'beyond' }>): void => {
    if (r.kind === 'fail') {
      failures++;
      const witness = mayBeListed(a.p.index)
        ? linWitness(a.p.label, spec.perKey ? a.p.key : undefined, a.ops ?? opsOf(a.p), a.model!, r, () =>
            a.p.ops === null && source.each ? source.each(a.p.key) : opsOf(a.p),
          )
        : null;
      a.p.outcome = { kind: 'fail', witness };
    } else a.p.outcome = r;
    a.p.ops = null;
    a.search?.abandon(); // no-op when the search finished by itself
    a.model = null;
    a.ops = null;
    a.search = null;
  };
  const begin = (a: Running): void => {
    const head = spec.perKey && a.head !== Infinity ? headOf(source, a.p.key, a.head, modelOpts) : null;
    if (!head) a.head = Infinity;
    const ops = head ? head.ops : opsOf(a.p);
    a.ops = ops;
    a.model = spec.compile(ops, modelOpts);
    if (!head) unsupported += a.model.unsupported; // a head is started only where the model ignores nothing
    a.search = startSearch(ops, a.model, budget, arenas, head?.horizon);
  };
  // scratch memory left by the previous history (see `pooled`): the next check starts warm
  const arenas: SearchArena[] = pooled.splice(0);
  const zones = spec.compile === compileRegister;
  let active: Running[] = partitions.map((p) => ({ p, model: null, ops: null, search: null, head: zones ? HEAD_OPS : Infinity, tried: false }));
  for (let slice = FIRST_SLICE; active.length > 0; slice *= 2) {
    for (const a of active) {
      if (!a.p.outcome && !a.search && budget.now_ms && budget.now_ms() > budget.deadline_ms) {
        // building a key's ops and model costs time too: the budget bounds the whole family
        finish(a, { kind: 'unknown', reason: `time budget of ${budget.time_ms} ms ran out before this key started` });
      }
      if (!a.p.outcome && !a.search && !a.tried && zones) {
        // a register key whose linearization lin/zones.ts builds and verifies needs no search
        a.tried = true;
        // the source's answer when it has one (worked out from its columns), else by index
        // over the columns when the source can (no op objects for a key it proves)
        const known = spec.perKey ? source.zoneProof?.(a.p.key) : undefined;
        const proven =
          known ??
          registerZonesLinearizable(spec.perKey && a.p.ops === null && source.zoneOps ? source.zoneOps(a.p.key) : opsOf(a.p), modelOpts);
        if (proven) finish(a, { kind: 'ok' });
      }
      if (!a.p.outcome) {
        if (!a.search) begin(a);
        const target = a.search!.iterations() + slice;
        let r = a.search!.run(slice);
        while (r?.kind === 'beyond') {
          // the head was not enough: a search over more ops replays the same steps up to here
          a.head *= HEAD_GROWTH;
          begin(a);
          r = a.search!.run(target);
        }
        if (r) finish(a, r);
      }
      // Once the shared budget is gone, nothing else can finish either.
      if (a.p.outcome?.kind === 'unknown') {
        const reason = `${a.p.outcome.reason} (before this key finished)`;
        for (const b of active) if (!b.p.outcome) finish(b, { kind: 'unknown', reason });
        // every partition is finished now: going on would repeat this loop for each of them,
        // quadratic in the keys (hours on a history of 10^6 keys whose budget ran out)
        break;
      }
    }
    active = active.filter((a) => !a.p.outcome);
    // The verdict is settled by a violation; the remaining keys get a few more rounds for
    // the count, not the whole budget.
    if (slice >= SLICE_AFTER_VIOLATION && partitions.some((p) => p.outcome?.kind === 'fail')) {
      for (const a of active) finish(a, { kind: 'unknown', reason: 'not finished: search stopped after a violation on another key' });
      active = [];
    }
  }

  keepOne(arenas);

  const witnesses: Witness[] = [];
  const unknown: string[] = [];
  for (const { label, outcome } of partitions) {
    if (outcome?.kind === 'fail' && outcome.witness && witnesses.length < MAX_WITNESSES) witnesses.push(outcome.witness);
    else if (outcome?.kind === 'unknown') unknown.push(`${label}: ${outcome.reason}`);
  }

  const notes: string[] = [];
  if (unknown.length > 0) {
    notes.push(
      `no verdict for ${unknown.length} of ${partitions.length} partitions (${unknown.slice(0, 3).join('; ')}${unknown.length > 3 ? '; …' : ''}); ` +
        `${partitions.length - unknown.length} decided`,
    );
  }
  if (unsupported > 0) notes.push(`ignored ${unsupported} ops the ${opts.model} model does not know`);
  const verdict: boolean | 'unknown' = failures > 0 ? false : unknown.length > 0 ? 'unknown' : true;
  const work: SearchWork = {
    states: budget.states,
    max_states: budget.max_states,
    peak_memo_bytes: budget.peak_memo_bytes,
    max_memo_bytes: budget.max_memo_bytes,
  };
  // Unknown is never zero: with any partition undecided the count is null, whatever was found;
  // the failing keys found so far stay as witnesses and as a lower bound (`at_least`).
  const report: AnomalyReport =
    unknown.length > 0
      ? { applicable: true, count: null, unknown: true, at_least: failures, witnesses, note: notes.join('; '), work }
      : { applicable: true, count: failures, witnesses, ...(notes.length > 0 ? { note: notes.join('; ') } : {}), work };
  return { report, verdict };
}

/**
 * One search arena kept between calls. `replsim check` judges many small histories in one
 * process (Porcupine's 102 etcd files); allocating and growing a fresh memo for each was a
 * visible part of the per-file cost. Only scratch buffers are kept (every search resets what
 * it reads), so results cannot depend on it; a large arena is let go rather than held.
 */
const pooled: SearchArena[] = [];
const POOLED_BYTES = 16 << 20;

function keepOne(arenas: SearchArena[]): void {
  let best: SearchArena | undefined;
  let bestBytes = 0;
  for (const a of arenas) {
    const bytes = a.i32.byteLength + a.f64.byteLength + (a.cache?.heldBytes ?? 0);
    if (bytes <= POOLED_BYTES && bytes > bestBytes) {
      best = a;
      bestBytes = bytes;
    }
  }
  pooled.length = 0;
  if (best) pooled.push(best);
}

function isSource(x: readonly HistoryRecord[] | LinSource): x is LinSource {
  return !Array.isArray(x);
}

/** Ops grouped by key in order of first appearance, or all in one partition named by its keys. */
function partition(ops: LinOp[], perKey: boolean): Map<string, LinOp[]> {
  const parts = new Map<string, LinOp[]>();
  if (!perKey) {
    if (ops.length > 0) parts.set(txnRegisters(ops), ops);
    return parts;
  }
  for (const op of ops) {
    let list = parts.get(op.key);
    if (!list) {
      list = [];
      parts.set(op.key, list);
    }
    list.push(op);
  }
  return parts;
}

/** `x, y`: the registers a multi-register history touches, sorted. */
function txnRegisters(ops: readonly LinOp[]): string {
  const regs = new Set<string>();
  for (const op of ops) {
    for (const v of [op.input, op.output]) {
      if (!Array.isArray(v)) continue;
      for (const m of v) if (Array.isArray(m) && m.length >= 2) regs.add(String(m[1]));
    }
  }
  return regs.size > 0 ? [...regs].sort().join(', ') : 'all';
}
