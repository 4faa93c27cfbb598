/**
 * Pass 2 of the partitioned check: each key bucket spilled by pass 1 is read back, in file
 * order, into a table of its own and judged by the same code as a whole history
 * (sink.ts `judgeTable`), then dropped; only its findings (at most MAX_WITNESSES witnesses a
 * family, tagged with where they fall in the whole history) are kept for merge.ts.
 */
import { readFileSync } from 'node:fs';
import type { HistoryRecord } from '../../history/types.js';
import { parseJsonlLine } from '../../history/import/jsonl.js';
import { judgeTable } from '../sink.js';
import { isRegisterModel } from '../register.js';
import { OpTable, OK } from '../table.js';
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
  for (let b = 0; b < spilled.files.buckets; b++) {
    if ((spilled.files.textBytes[b] ?? 0) === 0) continue;
    const budget = { ...opts.budget, max_states: Math.max(0, maxStates - states), ...(now ? { now_ms: sinceStart(now, start) } : {}) };
    const out = judgeBucket(spilled.files.textPath(b), file, spilled.end_t, { ...opts, budget }, spilled.bucketOps[b]);
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

/** One bucket's text (`row<TAB>json` for invokes, `json` for completions) judged as a history. */
export function judgeBucket(path: string, file: string, end_t: number, opts: CheckOptions, ops?: number): BucketOutcome {
  // register stale reads are listed by the read's row, counter and set ones by key (stale-read.ts)
  const staleByRow = isRegisterModel(opts.model);
  // sized once: columns regrown by doubling leave their old copies as garbage to collect
  const T = new OpTable(ops ? { ops } : undefined);
  let globalRow = new Float64Array(Math.max(1024, ops ?? 0));
  const text = readFileSync(path, 'utf8');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let json = text.slice(start, end);
    start = end + 1;
    const tab = json.indexOf('\t');
    if (tab >= 0) {
      if (T.n >= globalRow.length) {
        const grown = new Float64Array(2 * globalRow.length);
        grown.set(globalRow);
        globalRow = grown;
      }
      globalRow[T.n] = Number(json.slice(0, tab));
      json = json.slice(tab + 1);
    }
    // pass 1 accepted every line: a failure here is a bug (or the spill changed under us)
    const parsed = parseJsonlLine(json, 0, file, false);
    if ('error' in parsed) throw new Error(`partitioned check: spilled line does not parse: ${parsed.error.message}`);
    T.push(parsed.record as HistoryRecord);
  }
  T.end_t = end_t; // the whole history's end: ops left open are open until then
  const report = judgeTable(T, opts);
  return { anomalies: report.anomalies, orders: ordersOf(T, globalRow, report.anomalies, staleByRow), linearizable: report.linearizable, linPartitions: linKeys(T).size };
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

function ordersOf(
  T: OpTable,
  globalRow: Float64Array,
  anomalies: Record<AnomalyName, { witnesses: Witness[] }>,
  staleByRow: boolean,
): Record<AnomalyName, WitnessOrder[]> {
  const rowOf = (w: Witness): number => (w.ops.length > 0 ? T.row(w.ops[0] as number) : -1);
  const keyOf = (w: Witness): string => {
    if (w.key !== undefined) return w.key;
    const r = rowOf(w);
    return r >= 0 ? (T.names.list[T.key[r] as number] as string) : '';
  };
  let linFirst: Map<string, number> | undefined;
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
        default: // per-key findings in key order
          return [keyOf(w)];
      }
    });
  }
  return out;
}
