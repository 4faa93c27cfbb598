/**
 * One node's capacity as a queueing station: `concurrency` workers and one FIFO queue of at
 * most `queue` waiting jobs, shared by client requests and engine messages (replication work
 * competes with client work, as on a real server). Work-conserving: a worker never idles
 * while a job waits. Admission control refuses a request of priority low (then normal) once
 * the queue is past that priority's threshold; high is refused only by a full queue.
 *
 * Pure bookkeeping: the caller (src/node/capacity.ts) owns time and events and asks the
 * station what happens to each job. Every change of the busy count or the queue length first
 * advances the time integrals, so utilisation and mean queue length are exact time averages.
 */
import type { CapacitySpec } from '../scenario/types.js';
import { LogHistogram } from './histogram.js';

/** A job: a client request or an engine message, waiting for or holding a worker. */
export interface Job {
  /** 0: client request (from = client index), 1: engine message (from = sender node index) */
  kind: 0 | 1;
  from: number;
  /** the ClientRequest or the engine's message */
  payload: unknown;
  /** service-time key: the op name, or `message` */
  fn: string;
  /** 0 low, 1 normal, 2 high (messages: 2, replication is never shed) */
  prio: number;
  /** when it arrived at the node (true time, us) */
  in_us: number;
}

export type Admission = 'start' | 'wait' | 'overloaded' | 'shed';

/** Per-bucket sums for the report's charts. */
export interface StationSeries {
  busy_area: Float64Array;
  queue_area: Float64Array;
  queue_max: Float64Array;
  delay_sum: Float64Array;
  delay_n: Float64Array;
}

export class Station {
  busy = 0;
  /** bumped by `reset`: completions scheduled before a crash are ignored */
  epoch = 0;
  private wait: Job[] = [];
  private head = 0;
  private last_us = 0;
  busyArea = 0;
  queueArea = 0;
  queueMax = 0;
  /** time spent at each queue length (us), in a bounded histogram: a queue of millions costs no more */
  readonly queueTime = new LogHistogram();
  /** queueing delay of every job that got a worker (us) */
  readonly delay = new LogHistogram();
  requests = 0;
  messages = 0;
  overloaded = 0;
  shed = 0;
  droppedMessages = 0;
  /** jobs lost with a crash */
  lost = 0;
  readonly series: StationSeries;

  constructor(
    readonly spec: CapacitySpec,
    private readonly bucket_us: number,
    buckets: number,
  ) {
    const z = () => new Float64Array(buckets);
    this.series = { busy_area: z(), queue_area: z(), queue_max: z(), delay_sum: z(), delay_n: z() };
  }

  waiting(): number {
    return this.wait.length - this.head;
  }

  /** What happens to `job` arriving now: it starts, waits, or is refused. */
  offer(job: Job, now: number): Admission {
    this.advance(now);
    if (job.kind === 0) this.requests++;
    else this.messages++;
    const waiting = this.wait.length - this.head;
    if (this.busy < this.spec.concurrency && waiting === 0) {
      this.busy++;
      this.started(0, now);
      return 'start';
    }
    if (waiting >= this.spec.queue) {
      if (job.kind === 0) this.overloaded++;
      else this.droppedMessages++;
      return 'overloaded';
    }
    if (job.kind === 0 && this.sheds(job.prio, waiting, now)) {
      this.shed++;
      return 'shed';
    }
    this.wait.push(job);
    this.noteQueue(now, waiting + 1);
    return 'wait';
  }

  /** A worker finished its job: the next job it takes (its wait is recorded), or undefined when it goes idle. */
  finish(now: number): Job | undefined {
    this.advance(now);
    if (this.head < this.wait.length) {
      const job = this.wait[this.head] as Job;
      this.wait[this.head] = undefined as unknown as Job; // let the payload be collected
      this.head++;
      if (this.head > 4096 && this.head * 2 > this.wait.length) {
        this.wait.splice(0, this.head);
        this.head = 0;
      }
      this.started(now - job.in_us, now);
      return job;
    }
    this.busy--;
    return undefined;
  }

  /** A crash: every job waiting or in service is lost. */
  reset(now: number): void {
    this.advance(now);
    this.lost += this.busy + this.waiting();
    this.busy = 0;
    this.wait = [];
    this.head = 0;
    this.epoch++;
  }

  /** Brings the time integrals up to `now` (the end of the run, before reading them). */
  advance(now: number): void {
    const from = this.last_us;
    if (now <= from) return;
    const q = this.wait.length - this.head;
    const dt = now - from;
    this.busyArea += this.busy * dt;
    this.queueArea += q * dt;
    this.queueTime.add(q, dt);
    this.last_us = now;
    if (this.busy === 0 && q === 0) return; // nothing to add to any bucket
    const s = this.series;
    const nb = s.busy_area.length;
    let t = from;
    let b = Math.min(nb - 1, Math.floor(t / this.bucket_us));
    while (t < now) {
      const edge = b >= nb - 1 ? now : Math.min(now, (b + 1) * this.bucket_us);
      const w = edge - t;
      s.busy_area[b] = (s.busy_area[b] as number) + this.busy * w;
      s.queue_area[b] = (s.queue_area[b] as number) + q * w;
      if (q > (s.queue_max[b] as number)) s.queue_max[b] = q;
      t = edge;
      b++;
    }
  }

  private started(delay_us: number, now: number): void {
    this.delay.add(delay_us);
    const s = this.series;
    const b = Math.min(s.delay_n.length - 1, Math.floor(now / this.bucket_us));
    s.delay_sum[b] = (s.delay_sum[b] as number) + delay_us;
    s.delay_n[b] = (s.delay_n[b] as number) + 1;
  }

  private noteQueue(now: number, q: number): void {
    if (q > this.queueMax) this.queueMax = q;
    const s = this.series;
    const b = Math.min(s.queue_max.length - 1, Math.floor(now / this.bucket_us));
    if (q > (s.queue_max[b] as number)) s.queue_max[b] = q;
  }

  /** Whether a request of this priority is refused with `waiting` jobs queued. */
  private sheds(prio: number, waiting: number, now: number): boolean {
    const th = prio === 0 ? (this.spec.shed.low ?? this.spec.shed.normal) : prio === 1 ? this.spec.shed.normal : undefined;
    if (!th) return false;
    if (th.kind === 'queue') return waiting >= th.length;
    if (waiting === 0) return false;
    return now - (this.wait[this.head] as Job).in_us >= th.delay_us;
  }
}
