/**
 * The data a report page embeds (as one JSON block) and draws in the browser. Everything is
 * plain JSON: numbers in microseconds (`*_us`) or milliseconds (`*_ms`), columnar arrays for
 * the bulky parts so a page for a million-event history stays small.
 */

import type { CapacitySeries } from '../../node/load-metrics.js';

/** One lane of the space-time diagram: one node. */
export interface Lane {
  node: string;
  region: string;
  /** clock offset and drift from the scenario (a `clock` fault is a separate mark) */
  offset_us: number;
  drift_ppm: number;
}

/** A fault window, shaded on the diagram and on every chart. */
export interface Band {
  kind: string;
  label: string;
  start_us: number;
  end_us: number;
  /** false when the window was still open at the end of the history */
  closed: boolean;
  /** lanes it touches (crashes, clock changes); null means the whole network */
  lanes: number[] | null;
}

/**
 * Time series in fixed buckets of `bucket_us` starting at 0. Per-region arrays follow
 * `regions` (the clients' regions); `null` means no data in that bucket.
 */
export interface Series {
  bucket_us: number;
  /** number of buckets */
  n: number;
  regions: string[];
  /** client ops invoked in the bucket, by region and outcome */
  total: number[][];
  ok: number[][];
  fail: number[][];
  info: number[][];
  /** ok ops and business refusals (fails that are the data's answer): what availability counts as served */
  served: number[][];
  /** latency of ok ops invoked in the bucket (ms) */
  p50_ms: Array<Array<number | null>>;
  p99_ms: Array<Array<number | null>>;
  /** the same over every region */
  all_p50_ms: Array<number | null>;
  all_p99_ms: Array<number | null>;
  /** replication lag of applies in the bucket: ack of the write → apply on another replica */
  lag_p50_ms: Array<number | null>;
  lag_p99_ms: Array<number | null>;
  lag_max_ms: Array<number | null>;
  /** applies still to come at the end of the bucket (writes applied at one replica, not yet at the others) */
  backlog: number[];
  /** per lane: ops invoked at the node, and applies at the node (density strips of the diagram) */
  lane_ops: number[][];
  lane_applies: number[][];
}

/**
 * The operations drawn one by one: every op invoked inside `windows`, plus every witness op,
 * with all their applies. Columnar: index i of each `op_*` array is one op.
 */
export interface Detail {
  /** time windows [start_us, end_us] whose ops are all embedded */
  windows: Array<[number, number]>;
  keys: string[];
  clients: string[];
  fns: string[];
  op_id: number[];
  op_lane: number[];
  op_client: number[];
  op_t: number[];
  /** invoke → completion (us); -1 while open at the end */
  op_d: number[];
  op_f: number[];
  /** 0 ok, 1 fail, 2 info, 3 open */
  op_s: number[];
  op_key: number[];
  /** short text: the write's argument or the read's result */
  op_v: string[];
  /** applies: the op (index into op_*), the lane, the time; sorted by op then time */
  ap_op: number[];
  ap_lane: number[];
  ap_t: number[];
  /** ops in the whole history, and how many are embedded */
  total_ops: number;
  embedded_ops: number;
}

/** One anomaly family as the page lists it. */
export interface AnomalyGroup {
  name: string;
  /** the result's count (null: not applicable) */
  count: number | null;
  applicable: boolean;
  unknown: boolean;
  note: string | null;
  would_violate: number | null;
  /** one sentence on what the family means */
  meaning: string;
  witnesses: Array<{ ops: number[]; explanation: string; key: string | null; times_us: number[] }>;
}

export interface SummaryRow {
  label: string;
  value: string;
}

/** Everything one run's page (or one column of a compare page) shows. */
export interface RunData {
  name: string;
  description: string;
  seed: number;
  engine: string;
  /** the scenario file as written */
  source: string;
  end_us: number;
  duration_us: number;
  ops: { total: number; ok: number; fail: number; info: number };
  passed: boolean;
  stop: string;
  history_sha256: string;
  expect: Array<{ name: string; want: string; got: number | null; met: boolean }>;
  /** headline metrics as label/value text, in display order */
  summary: SummaryRow[];
  /** flat numeric metrics for the compare table (null: n/a) */
  metrics: Record<string, number | null>;
  lanes: Lane[];
  bands: Band[];
  series: Series;
  detail: Detail;
  anomalies: AnomalyGroup[];
  /** node capacity over time (runs where some node has a capacity) */
  capacity?: CapacitySeries;
}

/** What a compare page embeds: runs side by side, each labelled by its setting. */
export interface CompareData {
  title: string;
  runs: Array<{ label: string; run: RunData }>;
}
