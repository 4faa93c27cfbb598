/**
 * Node capacity for a run: one Station per node that has a `capacity` (nodes without one
 * serve everything at once, as before). The world hands each arriving request or message
 * here; this draws service times from each node's own stream (`capacity/NODE`, so capacity
 * changes no other stream), schedules completions through the world, and hands a job to the
 * engine when its service ends: an engine's effects happen after its node did the work.
 */
import type { Scenario } from '../scenario/types.js';
import { stream, type Rng } from '../sim/rng.js';
import { drawService } from './service.js';
import { Station, type Job } from './station.js';
import { summarize, type CapacityMetrics, type CapacitySeries } from './load-metrics.js';

export type { Job } from './station.js';

/** What the capacity layer asks of the world. */
export interface CapacityHooks {
  /** a completion event for `job` at `node` at time `at_us` (stale when the station's epoch moved on) */
  schedule(at_us: number, node: number, epoch: number, job: Job): void;
  /** the job's service ended: the engine handles it now */
  serve(node: number, job: Job): void;
  /** a client request refused at admission (`overloaded` or `shed`): the node answers `fail` */
  refuse(node: number, job: Job, error: 'overloaded' | 'shed'): void;
}

/** Buckets of the charts: at most this many per run. */
const MAX_BUCKETS = 300;

export class Capacity {
  private readonly stations: Array<Station | undefined>;
  private readonly rngs: Array<Rng | undefined>;
  readonly bucket_us: number;

  constructor(
    s: Scenario,
    private readonly nodes: ReadonlyArray<{ id: string; region: string }>,
    private readonly hooks: CapacityHooks,
  ) {
    const end_us = s.duration_us + s.settle_us;
    this.bucket_us = niceBucket(end_us / MAX_BUCKETS);
    const buckets = Math.max(1, Math.ceil((end_us + 1) / this.bucket_us));
    this.stations = nodes.map((n) => {
      const spec = s.regions[n.region]?.capacity;
      return spec ? new Station(spec, this.bucket_us, buckets) : undefined;
    });
    this.rngs = nodes.map((n, i) => (this.stations[i] ? stream(s.seed, `capacity/${n.id}`) : undefined));
  }

  /** Whether any node has a capacity (a run without one never calls in here). */
  get any(): boolean {
    return this.stations.some((x) => x !== undefined);
  }

  /** Jobs waiting at node `i` now (0 without a capacity): what a queue-length alert watches. */
  queueLength(i: number): number {
    return this.stations[i]?.waiting() ?? 0;
  }

  /** Whether node `i` has a capacity. */
  has(i: number): boolean {
    return this.stations[i] !== undefined;
  }

  /** A job arrives at node `i` (which has a capacity). */
  arrive(i: number, job: Job, now: number): void {
    const st = this.stations[i] as Station;
    const a = st.offer(job, now);
    if (a === 'start') this.start(i, st, job, now);
    else if (a === 'overloaded' || a === 'shed') {
      if (job.kind === 0) this.hooks.refuse(i, job, a);
      // a message refused by a full queue is dropped, like a full socket buffer: engines resend
    }
  }

  /** A completion event: hand the job to the engine, then give the worker its next job. */
  done(i: number, epoch: number, job: Job, now: number): void {
    const st = this.stations[i] as Station;
    if (st.epoch !== epoch) return; // the node crashed meanwhile: the job died with it
    this.hooks.serve(i, job);
    // The engine may have crashed the node (an invariant stops the run) — the station is
    // still consistent: the worker takes the next job or idles.
    if (st.epoch !== epoch) return;
    const next = st.finish(now);
    if (next) this.start(i, st, next, now);
  }

  /** Node `i` crashed or hung: its queue and the jobs in service are lost. */
  reset(i: number, now: number): void {
    this.stations[i]?.reset(now);
  }

  /** Per-node, per-region and overall metrics at the end of the run. */
  metrics(end_us: number): CapacityMetrics | undefined {
    if (!this.any) return undefined;
    for (const st of this.stations) st?.advance(end_us);
    return summarize(this.stations, this.nodes, end_us);
  }

  /** The chart series (per node with a capacity), for the HTML report. */
  series(end_us: number): CapacitySeries | undefined {
    if (!this.any) return undefined;
    for (const st of this.stations) st?.advance(end_us);
    const out: CapacitySeries = { bucket_us: this.bucket_us, nodes: [] };
    this.stations.forEach((st, i) => {
      if (!st) return;
      const s = st.series;
      const c = st.spec.concurrency;
      const w = this.bucket_us;
      const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
      out.nodes.push({
        node: (this.nodes[i] as { id: string }).id,
        utilisation: Array.from(s.busy_area, (a) => round(a / (c * w), 4)),
        queue_mean: Array.from(s.queue_area, (a) => round(a / w, 2)),
        queue_max: Array.from(s.queue_max),
        delay_ms: Array.from(s.delay_sum, (d, b) => ((s.delay_n[b] as number) > 0 ? round(d / (s.delay_n[b] as number) / 1000, 3) : null)),
      });
    });
    return out;
  }

  private start(i: number, st: Station, job: Job, now: number): void {
    const spec = st.spec;
    const svc = spec.service[job.fn] ?? spec.default_service;
    const d = drawService(svc, this.rngs[i] as Rng);
    this.hooks.schedule(now + d, i, st.epoch, job);
  }
}

/** The smallest 1, 2 or 5 × 10^k ms (at least 1 ms) not below `min_us`: buckets a reader can think in. */
export function niceBucket(min_us: number): number {
  for (let p = 1000; ; p *= 10) {
    for (const m of [1, 2, 5]) if (m * p >= min_us) return m * p;
  }
}
