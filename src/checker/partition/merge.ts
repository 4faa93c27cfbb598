/**
 * Merges the reports of the buckets of a partitioned check into the report of the whole
 * history: counts add up, and the witnesses kept are the first MAX_WITNESSES in the order a
 * whole-history pass lists them, told by each witness's tag (judge.ts): the read's row for
 * stale reads, client and key for sessions, the key's first op for linearizability, the key
 * for the rest. Each bucket's first MAX_WITNESSES in that order hold the merged first ones.
 *
 * Every bucket is judged with the whole history's faults, placement and final nodes
 * (spill.ts copies or collects them), so a family is applicable in all buckets or in none;
 * split brain is never enabled by `replsim check` and says the same in every bucket.
 */
import type { AnomalyName, AnomalyReport, CheckOptions, CheckReport, Witness } from '../types.js';
import { ANOMALY_NAMES } from '../types.js';
import { MAX_WITNESSES } from '../explain.js';
import { DEFAULT_MAX_STATES } from '../linearizable.js';

/** Where a witness falls in its family's order over the whole history (compared element by element). */
export type WitnessOrder = ReadonlyArray<number | string>;

/** One bucket judged: its reports, and a tag for each witness (same indices). */
export interface BucketOutcome {
  anomalies: Record<AnomalyName, AnomalyReport>;
  orders: Record<AnomalyName, WitnessOrder[]>;
  linearizable: boolean | 'unknown';
  /** linearizability partitions (keys with an op the search keeps) in this bucket */
  linPartitions: number;
}

/** The merged verdict: what `replsim check` prints (the per-bucket metrics are not merged). */
export type PartitionedReport = Pick<CheckReport, 'anomalies' | 'linearizable'>;

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareOrders(x: WitnessOrder, y: WitnessOrder): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = cmp(x[i] as number | string, y[i] as number | string);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

/** The first MAX_WITNESSES witnesses of a family across buckets, in whole-history order. */
function mergeWitnesses(outs: readonly BucketOutcome[], name: AnomalyName, take: (o: BucketOutcome) => boolean = () => true): Witness[] {
  const all: Array<{ w: Witness; o: WitnessOrder; b: number; i: number }> = [];
  outs.forEach((out, b) => {
    if (!take(out)) return;
    out.anomalies[name].witnesses.forEach((w, i) => all.push({ w, o: out.orders[name][i] ?? [], b, i }));
  });
  all.sort((x, y) => compareOrders(x.o, y.o) || x.b - y.b || x.i - y.i);
  return all.slice(0, MAX_WITNESSES).map((x) => x.w);
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Merges bucket outcomes (at least one) under `opts`. */
export function mergeOutcomes(outs: readonly BucketOutcome[], opts: CheckOptions): PartitionedReport {
  const first = outs[0];
  if (!first) throw new Error('mergeOutcomes needs at least one bucket');
  const anomalies = {} as Record<AnomalyName, AnomalyReport>;
  for (const name of ANOMALY_NAMES) anomalies[name] = mergeFamily(outs, name, opts);
  const verdicts = outs.map((o) => o.linearizable);
  const linearizable: boolean | 'unknown' = verdicts.includes(false) ? false : verdicts.includes('unknown') ? 'unknown' : true;
  return { anomalies, linearizable };
}

function mergeFamily(outs: readonly BucketOutcome[], name: AnomalyName, opts: CheckOptions): AnomalyReport {
  const reps = outs.map((o) => o.anomalies[name]);
  const first = reps[0] as AnomalyReport;
  switch (name) {
    case 'split_brain':
      return first; // `check` never enables it: the same note in every bucket
    case 'divergence':
    case 'lost_update':
      return mergeCounted(outs, name);
    case 'stale_read': {
      if (!first.applicable) return first;
      const r: AnomalyReport = { applicable: true, count: sum(reps.map((x) => x.count ?? 0)), witnesses: mergeWitnesses(outs, name) };
      const skipped = reps.flatMap((x) => skippedKeys(x.note)).sort(cmp);
      if (skipped.length > 0) r.note = `${SKIPPED}${skipped.slice(0, 5).join(', ')}`;
      return r;
    }
    case 'read_your_writes':
    case 'monotonic_read': {
      if (first.would_violate !== undefined) {
        const n = sum(reps.map((x) => x.would_violate ?? 0));
        return {
          ...first,
          would_violate: n,
          witnesses: mergeWitnesses(outs, name),
          ...(first.note !== undefined ? { note: first.note.replace(/; \d+ read\(s\) would/, `; ${n} read(s) would`) } : {}),
        };
      }
      if (!first.applicable) return first;
      return { ...first, count: sum(reps.map((x) => x.count ?? 0)), witnesses: mergeWitnesses(outs, name) };
    }
    case 'aborted_read':
    case 'invariant': {
      // invariant is applicable to the whole history when some key's rules applied in any bucket
      const applied = reps.filter((x) => x.applicable);
      if (applied.length === 0) return first;
      return {
        applicable: true,
        count: sum(applied.map((x) => x.count ?? 0)),
        witnesses: mergeWitnesses(outs, name, (o) => o.anomalies[name].applicable),
      };
    }
    case 'non_linearizable':
      return mergeLin(outs, opts);
  }
}

/** sink.ts `mergeReports` over buckets: counts add up, a bucket whose check stopped makes the count unknown. */
function mergeCounted(outs: readonly BucketOutcome[], name: AnomalyName): AnomalyReport {
  const reps = outs.map((o) => o.anomalies[name]);
  const first = reps[0] as AnomalyReport;
  if (!first.applicable) return first;
  const found = sum(reps.map((x) => x.count ?? x.at_least ?? 0));
  const witnesses = mergeWitnesses(outs, name);
  const stopped = reps.filter((x) => x.count === null && x.unknown);
  const { unknown: _u, at_least: _a, ...base } = first;
  if (stopped.length === 0) return { ...base, count: found, witnesses };
  const note = stopped[stopped.length - 1]?.note;
  return { ...base, count: null, unknown: true, at_least: found, witnesses, ...(note !== undefined ? { note } : {}) };
}

const SKIPPED = 'keys with negative deltas not judged: ';

function skippedKeys(note: string | undefined): string[] {
  return note?.startsWith(SKIPPED) ? note.slice(SKIPPED.length).split(', ') : [];
}

/** linearizable.ts's report, from the buckets' (one search budget shared in turn, see judge.ts). */
function mergeLin(outs: readonly BucketOutcome[], opts: CheckOptions): AnomalyReport {
  const reps = outs.map((o) => o.anomalies.non_linearizable);
  const first = reps[0] as AnomalyReport;
  if (!first.applicable) return first;
  const failures = sum(reps.map((x) => x.count ?? x.at_least ?? 0));
  const partitions = sum(outs.map((o) => o.linPartitions));
  let unknown = 0;
  const examples: string[] = [];
  let ignored = 0;
  for (const x of reps) {
    const m = /^no verdict for (\d+) of \d+ partitions \((.*)\); \d+ decided/.exec(x.note ?? '');
    if (m) {
      unknown += Number(m[1]);
      examples.push(...(m[2] as string).split('; ').filter((e) => e !== '…'));
    }
    const ig = /ignored (\d+) ops the /.exec(x.note ?? '');
    if (ig) ignored += Number(ig[1]);
  }
  const notes: string[] = [];
  if (unknown > 0) {
    notes.push(
      `no verdict for ${unknown} of ${partitions} partitions (${examples.slice(0, 3).join('; ')}${unknown > 3 ? '; …' : ''}); ` +
        `${partitions - unknown} decided`,
    );
  }
  if (ignored > 0) notes.push(`ignored ${ignored} ops the ${opts.model} model does not know`);
  const works = reps.map((x) => x.work).filter((w) => w !== undefined);
  const work = {
    states: sum(works.map((w) => w.states)),
    max_states: opts.budget?.max_states ?? DEFAULT_MAX_STATES,
    peak_memo_bytes: Math.max(0, ...works.map((w) => w.peak_memo_bytes)),
    max_memo_bytes: works[0]?.max_memo_bytes ?? 0,
  };
  const witnesses = mergeWitnesses(outs, 'non_linearizable');
  return unknown > 0
    ? { applicable: true, count: null, unknown: true, at_least: failures, witnesses, note: notes.join('; '), work }
    : { applicable: true, count: failures, witnesses, ...(notes.length > 0 ? { note: notes.join('; ') } : {}), work };
}
