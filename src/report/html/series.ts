/**
 * Time series in fixed buckets: a page draws at most ~300 points per line whatever the
 * history's length, so a two-hour run costs the same few kilobytes as a one-minute run.
 */
import type { Columns } from './columns.js';
import { STATUS } from './columns.js';
import type { Series } from './types.js';

/** Bucket widths a reader can think in (us). */
const NICE_US = [
  1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000,
  10_000_000, 15_000_000, 30_000_000, 60_000_000, 120_000_000, 300_000_000, 600_000_000, 1_800_000_000,
  3_600_000_000,
];

/** The narrowest nice bucket that covers `end_us` in at most `max` buckets. */
export function bucketWidth(end_us: number, max = 300): number {
  for (const w of NICE_US) if (Math.ceil(end_us / w) <= max) return w;
  return Math.ceil(end_us / max);
}

export function seriesOf(c: Columns, lanes: number, end_us: number, bucket_us = bucketWidth(end_us)): Series {
  const nb = Math.max(1, Math.ceil((end_us + 1) / bucket_us));
  const R = c.regions.length;
  const zeros = (): number[] => new Array<number>(nb).fill(0);
  const total = c.regions.map(zeros);
  const ok = c.regions.map(zeros);
  const fail = c.regions.map(zeros);
  const info = c.regions.map(zeros);
  const lane_ops = Array.from({ length: lanes }, zeros);
  const lane_applies = Array.from({ length: lanes }, zeros);
  const lat: number[][] = Array.from({ length: R * nb }, () => []);
  const bucketOf = (t: number): number => Math.min(nb - 1, Math.max(0, Math.floor(t / bucket_us)));

  for (let i = 0; i < c.n_ops; i++) {
    const b = bucketOf(c.op_t[i] as number);
    const g = c.op_region[i] as number;
    const s = c.op_status[i] as number;
    inc(total[g] as number[], b);
    if (s === STATUS.ok) {
      inc(ok[g] as number[], b);
      (lat[g * nb + b] as number[]).push(((c.op_end[i] as number) - (c.op_t[i] as number)) / 1000);
    } else if (s === STATUS.fail) inc(fail[g] as number[], b);
    else inc(info[g] as number[], b); // open at the end counts as unknown, as the result does
    const lane = c.op_lane[i] as number;
    if (lane >= 0) inc(lane_ops[lane] as number[], b);
  }
  for (let j = 0; j < c.n_applies; j++) {
    const lane = c.ap_lane[j] as number;
    if (lane >= 0) inc(lane_applies[lane] as number[], bucketOf(c.ap_t[j] as number));
  }

  const p50_ms = c.regions.map((_, g) => pcts(lat, g, nb, 0.5));
  const p99_ms = c.regions.map((_, g) => pcts(lat, g, nb, 0.99));
  const all: number[][] = Array.from({ length: nb }, (_, b) => c.regions.flatMap((_, g) => lat[g * nb + b] as number[]));
  const all_p50_ms = all.map((xs) => percentile(xs, 0.5));
  const all_p99_ms = all.map((xs) => percentile(xs, 0.99));

  // Replication lag (as the checker measures it): for an ok write applied at 2+ replicas,
  // from its ack to its apply at each replica other than the first; bucketed by apply time.
  // Backlog: +k when the first replica applies a write that k more will apply, -1 per apply.
  const lags: number[][] = Array.from({ length: nb }, () => []);
  const delta = new Float64Array(nb);
  // lane → last op index (+1) that applied there: dedupes repeated applies without a Set per op
  const stamp = new Int32Array(Math.max(1, lanes + 1));
  for (let i = 0; i < c.n_ops; i++) {
    const a0 = c.ap_start[i] as number;
    const a1 = c.ap_start[i + 1] as number;
    if (a1 - a0 < 2) continue;
    const first = c.ap_by_op[a0] as number;
    stamp[laneSlot(c.ap_lane[first] as number)] = i + 1;
    let others = 0;
    for (let k = a0 + 1; k < a1; k++) {
      const j = c.ap_by_op[k] as number;
      const slot = laneSlot(c.ap_lane[j] as number);
      if (stamp[slot] === i + 1) continue;
      stamp[slot] = i + 1;
      others++;
      const b = bucketOf(c.ap_t[j] as number);
      inc(delta, b, -1);
      if (c.op_status[i] === STATUS.ok && !c.op_read[i]) {
        (lags[b] as number[]).push(Math.max(0, (c.ap_t[j] as number) - (c.op_end[i] as number)) / 1000);
      }
    }
    inc(delta, bucketOf(c.ap_t[first] as number), others);
  }
  const backlog: number[] = [];
  let level = 0;
  for (let b = 0; b < nb; b++) {
    level += delta[b] as number;
    backlog.push(level);
  }
  return {
    bucket_us,
    n: nb,
    regions: [...c.regions],
    total,
    ok,
    fail,
    info,
    p50_ms,
    p99_ms,
    all_p50_ms,
    all_p99_ms,
    lag_p50_ms: lags.map((xs) => percentile(xs, 0.5)),
    lag_p99_ms: lags.map((xs) => percentile(xs, 0.99)),
    lag_max_ms: lags.map((xs) => percentile(xs, 1)),
    backlog,
    lane_ops,
    lane_applies,
  };
}

/** Lanes 0..n-1, and slot n for applies at nodes outside the lanes (-1). */
function laneSlot(lane: number): number {
  return lane + 1;
}

function pcts(lat: number[][], g: number, nb: number, p: number): Array<number | null> {
  const out: Array<number | null> = [];
  for (let b = 0; b < nb; b++) out.push(percentile(lat[g * nb + b] as number[], p));
  return out;
}

/** Nearest-rank percentile (sorts in place); null for no data. Rounded to the microsecond. */
export function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  const i = Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1));
  return Math.round((xs[i] as number) * 1000) / 1000;
}

function inc(xs: { [i: number]: number }, i: number, by = 1): void {
  xs[i] = (xs[i] as number) + by;
}
