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
  const served = c.regions.map(zeros);
  const lane_ops = Array.from({ length: lanes }, zeros);
  const lane_applies = Array.from({ length: lanes }, zeros);
  const bucketOf = (t: number): number => Math.min(nb - 1, Math.max(0, Math.floor(t / bucket_us)));
  // Latencies of ok ops in typed arrays keyed by (region, bucket): percentiles come from one
  // counting sort, not from millions of pushes into per-bucket arrays (GC on big histories).
  const latKey = new Int32Array(c.n_ops);
  const latVal = new Float64Array(c.n_ops);

  for (let i = 0; i < c.n_ops; i++) {
    const b = bucketOf(c.op_t[i] as number);
    const g = c.op_region[i] as number;
    const s = c.op_status[i] as number;
    inc(total[g] as number[], b);
    latKey[i] = g * nb + b;
    latVal[i] = NaN;
    if (s === STATUS.ok || c.op_refused[i]) inc(served[g] as number[], b);
    if (s === STATUS.ok) {
      inc(ok[g] as number[], b);
      latVal[i] = ((c.op_end[i] as number) - (c.op_t[i] as number)) / 1000;
    } else if (s === STATUS.fail) inc(fail[g] as number[], b);
    else inc(info[g] as number[], b); // open at the end counts as unknown, as the result does
    const lane = c.op_lane[i] as number;
    if (lane >= 0) inc(lane_ops[lane] as number[], b);
  }
  for (let j = 0; j < c.n_applies; j++) {
    const lane = c.ap_lane[j] as number;
    if (lane >= 0) inc(lane_applies[lane] as number[], bucketOf(c.ap_t[j] as number));
  }

  const byRegion = bucketPercentiles(latKey, latVal, c.n_ops, R * nb, [0.5, 0.99]);
  const p50_ms = c.regions.map((_, g) => (byRegion[0] as Array<number | null>).slice(g * nb, (g + 1) * nb));
  const p99_ms = c.regions.map((_, g) => (byRegion[1] as Array<number | null>).slice(g * nb, (g + 1) * nb));
  for (let i = 0; i < c.n_ops; i++) latKey[i] = (latKey[i] as number) % nb;
  const [all_p50_ms = [], all_p99_ms = []] = bucketPercentiles(latKey, latVal, c.n_ops, nb, [0.5, 0.99]);

  // Replication lag (as the checker measures it): for an ok write applied at 2+ replicas,
  // from its ack to its apply at each replica other than the first; bucketed by apply time.
  // Backlog: +k when the first replica applies a write that k more will apply, -1 per apply.
  const lagKey = new Int32Array(c.n_applies);
  const lagVal = new Float64Array(c.n_applies);
  let nLags = 0;
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
        lagKey[nLags] = b;
        lagVal[nLags] = Math.max(0, (c.ap_t[j] as number) - (c.op_end[i] as number)) / 1000;
        nLags++;
      }
    }
    inc(delta, bucketOf(c.ap_t[first] as number), others);
  }
  const [lag_p50_ms = [], lag_p99_ms = [], lag_max_ms = []] = bucketPercentiles(lagKey, lagVal, nLags, nb, [0.5, 0.99, 1]);
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
    served,
    p50_ms,
    p99_ms,
    all_p50_ms,
    all_p99_ms,
    lag_p50_ms,
    lag_p99_ms,
    lag_max_ms,
    backlog,
    lane_ops,
    lane_applies,
  };
}

/** Lanes 0..n-1, and slot n for applies at nodes outside the lanes (-1). */
function laneSlot(lane: number): number {
  return lane + 1;
}

/**
 * Nearest-rank percentiles of `value[i]` per `key[i]` (NaN values skipped) for keys
 * 0..nKeys-1: a counting sort into one typed array, then a numeric sort of each key's slice.
 * null for keys with no values; rounded to the microsecond.
 */
export function bucketPercentiles(key: Int32Array, value: Float64Array, n: number, nKeys: number, ps: number[]): Array<Array<number | null>> {
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < n; i++) if (!Number.isNaN(value[i] as number)) start[(key[i] as number) + 1] = (start[(key[i] as number) + 1] as number) + 1;
  for (let k = 0; k < nKeys; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = start.slice(0, nKeys);
  const sorted = new Float64Array(start[nKeys] as number);
  for (let i = 0; i < n; i++) {
    const v = value[i] as number;
    if (Number.isNaN(v)) continue;
    const k = key[i] as number;
    sorted[fill[k] as number] = v;
    fill[k] = (fill[k] as number) + 1;
  }
  const out = ps.map(() => new Array<number | null>(nKeys).fill(null));
  for (let k = 0; k < nKeys; k++) {
    const a = start[k] as number;
    const b = start[k + 1] as number;
    if (a === b) continue;
    const slice = sorted.subarray(a, b).sort();
    ps.forEach((p, j) => {
      const i = Math.min(slice.length - 1, Math.max(0, Math.ceil(p * slice.length) - 1));
      (out[j] as Array<number | null>)[k] = Math.round((slice[i] as number) * 1000) / 1000;
    });
  }
  return out;
}

function inc(xs: { [i: number]: number }, i: number, by = 1): void {
  xs[i] = (xs[i] as number) + by;
}
