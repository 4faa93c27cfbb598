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
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { collectLinOps, type LinOp } from './lin/ops.js';
import { linModel } from './lin/models/index.js';
import { searchLinearization, type SearchBudget } from './lin/search.js';
import { linWitness } from './lin/witness.js';

/** Default time budget per history (only enforced when `budget.now_ms` provides a clock). */
export const DEFAULT_TIME_MS = 10_000;
/** Default bound on memoised configurations per history (memory: ~16 bytes + ops/8 each). */
export const DEFAULT_MAX_STATES = 20_000_000;

/**
 * Checks `records` for linearizability under `opts.model`. `verdict` is `true` when every
 * key has a linearization, `false` when some key has none (`report.count` keys, one witness
 * each: the shortest failing prefix), and `'unknown'` when the budget ran out before a
 * verdict (the reason is in `report.note`) or the model has no linearizability (inventory).
 */
export function nonLinearizable(
  records: HistoryRecord[],
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
    ...(now_ms ? { now_ms } : {}),
  };
  const modelOpts = { initial: opts.initial ?? (opts.model === 'kv' ? '' : null), nilRead: opts.nilRead ?? 'empty' };

  const partitions = partition(collectLinOps(records), spec.perKey);
  const witnesses: Witness[] = [];
  const unknown: string[] = [];
  let unsupported = 0;
  for (const [key, ops] of partitions) {
    const label = spec.perKey ? `key ${key}` : `registers ${key}`;
    if (budget.now_ms && budget.now_ms() > budget.deadline_ms) {
      unknown.push(`${label}: time budget of ${time_ms} ms ran out before it was checked`);
      continue;
    }
    const model = spec.compile(ops, modelOpts);
    unsupported += model.unsupported;
    const result = searchLinearization(ops, model, budget);
    switch (result.kind) {
      case 'ok':
        break;
      case 'fail':
        witnesses.push(linWitness(label, spec.perKey ? key : undefined, ops, model, result));
        break;
      case 'unknown':
        unknown.push(`${label}: ${result.reason}`);
        break;
      default: {
        const never: never = result;
        void never;
      }
    }
  }

  const notes: string[] = [];
  if (unknown.length > 0) {
    notes.push(`no verdict for ${unknown.length} of ${partitions.size} partitions (${unknown.slice(0, 3).join('; ')}${unknown.length > 3 ? '; …' : ''})`);
  }
  if (unsupported > 0) notes.push(`ignored ${unsupported} ops the ${opts.model} model does not know`);
  const verdict: boolean | 'unknown' = witnesses.length > 0 ? false : unknown.length > 0 ? 'unknown' : true;
  const report: AnomalyReport = {
    applicable: true,
    count: witnesses.length,
    witnesses,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    ...(verdict === 'unknown' ? { unknown: true } : {}),
  };
  return { report, verdict };
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
