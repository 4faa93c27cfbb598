/**
 * Capacity metrics of a run (`metrics.capacity`): per node, per region and over all nodes
 * with a capacity. Each is also an `expect` name: `capacity.us-east/0.utilisation`,
 * `capacity.us-east.queue_delay_ms.p99`, `capacity.all.overloaded`.
 *
 * - utilisation: busy worker-time / (workers × run length), in [0, 1]
 * - queue.{max, mean, p99}: waiting jobs; mean and p99 are over time (time-weighted)
 * - queue_delay_ms.{mean, p99}: time from arrival to a worker, over the jobs that got one
 * - jobs, overloaded, shed, dropped_messages, lost: counts
 * A region or `all` merges its nodes: utilisation and queue.mean are the nodes' means, the
 * max is the largest, percentiles come from the merged distributions.
 */
import { LogHistogram } from './histogram.js';
import type { Station } from './station.js';

export interface NodeLoad {
  utilisation: number;
  queue: { max: number; mean: number; p99: number };
  /** null when no job got a worker */
  queue_delay_ms: { mean: number | null; p99: number | null };
  jobs: number;
  requests: number;
  overloaded: number;
  shed: number;
  dropped_messages: number;
  lost: number;
}

/** `metrics.capacity`: node id, region name or `all` → its load. */
export type CapacityMetrics = Record<string, NodeLoad>;

/** What the report charts, per node with a capacity, in buckets of `bucket_us`. */
export interface CapacitySeries {
  bucket_us: number;
  nodes: Array<{
    node: string;
    utilisation: number[];
    queue_mean: number[];
    queue_max: number[];
    /** mean queueing delay of the jobs that got a worker in the bucket; null: none did */
    delay_ms: Array<number | null>;
  }>;
}

/** The leaves under each `capacity.X.` that may be expected. */
export const LOAD_METRIC_LEAVES: readonly string[] = [
  'utilisation',
  'queue.max',
  'queue.mean',
  'queue.p99',
  'queue_delay_ms.mean',
  'queue_delay_ms.p99',
  'jobs',
  'requests',
  'overloaded',
  'shed',
  'dropped_messages',
  'lost',
];

interface Acc {
  util: number;
  qmean: number;
  nodes: number;
  qmax: number;
  qtime: LogHistogram;
  delay: LogHistogram;
  jobs: number;
  requests: number;
  overloaded: number;
  shed: number;
  dropped: number;
  lost: number;
}

function acc(): Acc {
  return { util: 0, qmean: 0, nodes: 0, qmax: 0, qtime: new LogHistogram(), delay: new LogHistogram(), jobs: 0, requests: 0, overloaded: 0, shed: 0, dropped: 0, lost: 0 };
}

export function summarize(
  stations: ReadonlyArray<Station | undefined>,
  nodes: ReadonlyArray<{ id: string; region: string }>,
  end_us: number,
): CapacityMetrics {
  const out: CapacityMetrics = {};
  const regions = new Map<string, Acc>();
  const all = acc();
  stations.forEach((st, i) => {
    if (!st) return;
    const n = nodes[i] as { id: string; region: string };
    const one = acc();
    add(one, st, end_us);
    out[n.id] = loadOf(one);
    let r = regions.get(n.region);
    if (!r) regions.set(n.region, (r = acc()));
    add(r, st, end_us);
    add(all, st, end_us);
  });
  for (const [name, r] of regions) out[name] = loadOf(r);
  out['all'] = loadOf(all);
  return out;
}

function add(a: Acc, st: Station, end_us: number): void {
  const span = Math.max(1, end_us);
  a.util += st.busyArea / (st.spec.concurrency * span);
  a.qmean += st.queueArea / span;
  a.nodes++;
  a.qmax = Math.max(a.qmax, st.queueMax);
  a.qtime.merge(st.queueTime);
  a.delay.merge(st.delay);
  a.jobs += st.requests + st.messages;
  a.requests += st.requests;
  a.overloaded += st.overloaded;
  a.shed += st.shed;
  a.dropped += st.droppedMessages;
  a.lost += st.lost;
}

function loadOf(a: Acc): NodeLoad {
  const mean = a.delay.mean();
  const p99 = a.delay.quantile(0.99);
  return {
    utilisation: round(a.util / Math.max(1, a.nodes), 4),
    queue: { max: a.qmax, mean: round(a.qmean / Math.max(1, a.nodes), 3), p99: lengthQuantile(a.qtime, 0.99) },
    queue_delay_ms: { mean: mean === null ? null : round(mean / 1000, 4), p99: p99 === null ? null : round(p99 / 1000, 3) },
    jobs: a.jobs,
    requests: a.requests,
    overloaded: a.overloaded,
    shed: a.shed,
    dropped_messages: a.dropped,
    lost: a.lost,
  };
}

/**
 * The queue length at or below which the queue spent fraction q of the time. Lengths are
 * integers: below ~100 each histogram bucket holds one integer, so the ceiling of the bucket's
 * lower edge is exact; above, it is within 1%.
 */
function lengthQuantile(qtime: LogHistogram, q: number): number {
  const v = qtime.quantile(q);
  return v === null ? 0 : Math.ceil(v - 1e-9);
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
