/**
 * Pass 2 of the partitioned check: each key bucket spilled by pass 1 is read back, in file
 * order, into a table of its own and judged by the same code as a whole history
 * (sink.ts `judgeTable`), then dropped; only its findings (at most MAX_WITNESSES witnesses a
 * family, tagged with where they fall in the whole history) are kept for merge.ts.
 */
import { readFileSync } from 'node:fs';
import type { HistoryRecord } from '../../history/types.js';
import { parseJsonlLine } from '../../history/import/jsonl.js';
import { judgeTable, type WholeHistoryFacts } from '../sink.js';
import { isRegisterModel } from '../register.js';
import { OpTable, OK, FAIL, grow } from '../table.js';
import { ANOMALY_NAMES, type AnomalyName, type CheckOptions, type Witness } from '../types.js';
import { DEFAULT_MAX_STATES } from '../linearizable.js';
import { mergeOutcomes, type BucketOutcome, type PartitionedReport, type WitnessOrder } from './merge.js';
import type { Spilled } from './spill.js';

/**
 * Judges every bucket of `spilled` and merges them. The linearizability search bound
 * (states, and time when `opts.budget.now_ms` is given) is one for the whole file: each
 * bucket gets what the buckets before it left.
 */
export function judgeSpilled(spilled: Spilled, file: string, opts: CheckOptions): PartitionedReport {
  const outs: BucketOutcome[] = [];
  const maxStates = opts.budget?.max_states ?? DEFAULT_MAX_STATES;
  const now = opts.budget?.now_ms;
  const start = now ? now() : 0;
  let states = 0;
  const whole: WholeHistoryFacts = { finalNodes: spilled.finalNodes, anyApply: spilled.applies > 0 };
  for (let b = 0; b < spilled.files.buckets; b++) {
    // a bucket with only the records copied to every bucket (faults, placement) names no key
    if ((spilled.bucketKeyed[b] ?? 0) === 0 && !(b === spilled.files.buckets - 1 && outs.length === 0)) continue;
    const budget = { ...opts.budget, max_states: Math.max(0, maxStates - states), ...(now ? { now_ms: sinceStart(now, start) } : {}) };
    const size = { ops: spilled.bucketOps[b], applies: spilled.bucketApplies[b] };
    const out = judgeBucket(spilled.files.textPath(b), file, spilled.end_t, { ...opts, budget }, size, whole);
    states += out.anomalies.non_linearizable.work?.states ?? 0;
    outs.push(out);
  }
  return mergeOutcomes(outs, opts);
}

/**
 * A clock whose first reading is `start`: linearizable.ts sets its deadline from the first
 * reading, so every bucket's search stops at the same deadline (the file's start + the
 * user's `time_ms`), and its notes name the user's budget, not what was left of it.
 */
function sinceStart(now: () => number, start: number): () => number {
  let first = true;
  return () => {
    if (!first) return now();
    first = false;
    return start;
  };
}

/**
 * One bucket's text (`row<TAB>json` for invokes, `a<index><TAB>json` for applies, `json` for
 * the rest) judged as a history; `whole` holds the facts of the file that other buckets hold.
 */
export function judgeBucket(
  path: string,
  file: string,
  end_t: number,
  opts: CheckOptions,
  size: { ops?: number | undefined; applies?: number | undefined } = {},
  whole?: WholeHistoryFacts,
): BucketOutcome {
  const ops = size.ops;
  // register stale reads are listed by the read's row, counter and set ones by key (stale-read.ts)
  const staleByRow = isRegisterModel(opts.model);
  // sized once: columns regrown by doubling leave their old copies as garbage to collect
  const T = new OpTable({ ...(ops ? { ops } : {}), ...(size.applies ? { applies: size.applies } : {}) });
  let globalRow = new Float64Array(Math.max(1024, ops ?? 0));
  let globalApply = new Float64Array(Math.max(16, size.applies ?? 0));
  const text = readFileSync(path, 'utf8');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let json = text.slice(start, end);
    start = end + 1;
    const tab = json.indexOf('\t');
    if (tab >= 0 && json.charCodeAt(0) === 97 /* a */) {
      globalApply = grow(globalApply, T.na + 1);
      globalApply[T.na] = Number(json.slice(1, tab));
      json = json.slice(tab + 1);
    } else if (tab >= 0) {
      globalRow = grow(globalRow, T.n + 1);
      globalRow[T.n] = Number(json.slice(0, tab));
      json = json.slice(tab + 1);
    }
    // pass 1 accepted every line: a failure here is a bug (or the spill changed under us)
    const parsed = parseJsonlLine(json, 0, file, false);
    if ('error' in parsed) throw new Error(`partitioned check: spilled line does not parse: ${parsed.error.message}`);
    T.push(parsed.record as HistoryRecord);
  }
  T.end_t = end_t; // the whole history's end: ops left open are open until then
  const report = judgeTable(T, opts, {}, whole);
  return {
    anomalies: report.anomalies,
    orders: ordersOf(T, globalRow, globalApply, report.anomalies, staleByRow, opts),
    linearizable: report.linearizable,
    linPartitions: linKeys(T).size,
  };
}

/** The first row (global) of each key with an op the linearizability search keeps (failed ops are dropped). */
function linKeys(T: OpTable): Map<number, number> {
  const first = new Map<number, number>();
  for (let r = 0; r < T.n; r++) {
    if (T.type[r] !== OK && T.failedIds.has(T.opId(r)) && !T.lateOk.has(r)) continue;
    const k = T.key[r] as number;
    if (!first.has(k)) first.set(k, r);
  }
  return first;
}

/** The first apply (global index) of each failed op that a replica applied, by op id (sink.ts `abortedReport`). */
function failedApplies(T: OpTable, globalApply: Float64Array): Map<number, number> {
  const first = new Map<number, number>();
  for (let i = 0; i < T.na; i++) {
    const r = T.applyRow(i);
    if (r < 0 || T.type[r] !== FAIL) continue;
    const id = T.opId(r);
    if (!first.has(id)) first.set(id, globalApply[i] as number);
  }
  return first;
}

/** The global row of a key's first write not failed (sink.ts orders register lost_update witnesses by it). */
function firstWrites(T: OpTable, globalRow: Float64Array): Map<string, number> {
  const first = new Map<string, number>();
  for (let r = 0; r < T.n; r++) {
    const key = T.names.list[T.key[r] as number] as string;
    if (first.has(key)) continue;
    const f = T.fn(r);
    if (T.type[r] !== FAIL && (f === 'write' || f === 'put' || f === 'cas')) first.set(key, globalRow[r] as number);
  }
  return first;
}

function ordersOf(
  T: OpTable,
  globalRow: Float64Array,
  globalApply: Float64Array,
  anomalies: Record<AnomalyName, { witnesses: Witness[] }>,
  staleByRow: boolean,
  opts: CheckOptions,
): Record<AnomalyName, WitnessOrder[]> {
  const rowOf = (w: Witness): number => (w.ops.length > 0 ? T.row(w.ops[0] as number) : -1);
  const keyOf = (w: Witness): string => {
    if (w.key !== undefined) return w.key;
    const r = rowOf(w);
    return r >= 0 ? (T.names.list[T.key[r] as number] as string) : '';
  };
  let linFirst: Map<string, number> | undefined;
  let applied: Map<number, number> | undefined;
  let writes: Map<string, number> | undefined;
  const registerOrder = opts.model === 'register' || opts.model === 'cas-register' || opts.model === 'kv';
  const out = {} as Record<AnomalyName, WitnessOrder[]>;
  for (const name of ANOMALY_NAMES) {
    out[name] = anomalies[name].witnesses.map((w): WitnessOrder => {
      const r = rowOf(w);
      switch (name) {
        case 'stale_read': // the read's row (sink.ts merges stale collectors by it), or the key
          return staleByRow ? [r >= 0 ? (globalRow[r] as number) : -1, keyOf(w)] : [keyOf(w)];
        case 'read_your_writes':
        case 'monotonic_read': // the reader's client and key (sessions.ts groups)
          return [`${r >= 0 ? (T.names.list[T.client[r] as number] as string) : ''}\u0000${keyOf(w)}`];
        case 'non_linearizable': {
          if (!linFirst) {
            linFirst = new Map();
            for (const [k, row] of linKeys(T)) linFirst.set(T.names.list[k] as string, globalRow[row] as number);
          }
          return [linFirst.get(keyOf(w)) ?? -1];
        }
        case 'aborted_read': {
          // per-key findings in key order, then failed ops applied, by their first apply
          if (w.details?.['applied_at'] === undefined) return [0, keyOf(w)];
          applied ??= failedApplies(T, globalApply);
          return [1, applied.get(w.ops[0] as number) ?? -1];
        }
        case 'invariant': {
          // replies.ts's witnesses (extra and second replies) come first, by the reply's time
          const second = (w.details as { second?: { t?: unknown } } | undefined)?.second?.t;
          return typeof second === 'number' ? [0, second] : [1, keyOf(w)];
        }
        case 'lost_update': {
          // register keys in order of their first write, the others in key order
          if (!registerOrder) return [0, keyOf(w)];
          writes ??= firstWrites(T, globalRow);
          return [writes.get(keyOf(w)) ?? Infinity, keyOf(w)];
        }
        default: // per-key findings in key order
          return [keyOf(w)];
      }
    });
  }
  return out;
}

