/**
 * The kernel: owns virtual time and the event queue, pops events in (time, seq) order and
 * hands each to one handler. Everything that happens in a simulation is an event here;
 * nothing else may advance time. Every run is bounded and says which bound stopped it.
 */
import { EventQueue } from './queue.js';
import type { Micros } from './time.js';

/** Bounds on a run. Exceeding one stops the run with that reason named. */
export interface KernelLimits {
  /** stop after this many events (`max_events`) */
  max_events: number;
  /** stop once the next event is later than this time (`end_time`); Infinity for none */
  end_us: number;
  /** stop when this many events are pending at once (`max_queue`) */
  max_queue: number;
}

/** Limits the kernel enforces itself, and those the runner counts and reports through `limit`. */
export type LimitName =
  | 'max_events'
  | 'max_queue'
  | 'max_history'
  | 'max_history_bytes'
  | 'max_value_bytes'
  | 'max_state_bytes'
  | 'max_heap_mb';

export type StopReason =
  | { kind: 'drained' }
  | { kind: 'end_time'; at_us: number }
  | { kind: 'limit'; limit: LimitName; value: number; detail?: string }
  | { kind: 'stopped'; reason: string };

export interface RunOutcome {
  stop: StopReason;
  events: number;
  now_us: Micros;
}

export interface Kernel<E> {
  /** current virtual time */
  readonly now: Micros;
  /** events executed so far */
  readonly events: number;
  readonly pending: number;
  /** schedules `e` at absolute time `at` (clamped to now: the past cannot be scheduled) */
  at(at: number, e: E): void;
  /** schedules `e` after `delay_us` */
  after(delay_us: number, e: E): void;
  /** stops the run after the current event, with a reason (e.g. a broken invariant) */
  stop(reason: string): void;
  /** stops the run after the current event because a limit counted outside the kernel was passed */
  limit(limit: LimitName, value: number, detail?: string): void;
  /** runs until drained, a limit, `stop`, or end time; `handler` gets each event */
  run(handler: (e: E, now: Micros) => void): RunOutcome;
}

export const DEFAULT_LIMITS: KernelLimits = {
  max_events: 50_000_000,
  end_us: Infinity,
  max_queue: 5_000_000,
};

export function createKernel<E>(limits: Partial<KernelLimits> = {}): Kernel<E> {
  return new KernelImpl<E>({ ...DEFAULT_LIMITS, ...limits });
}

/**
 * A class rather than a closure object: V8 keeps its fields in fixed slots, which is measurably
 * faster on the per-event path. The loop must cost no more than a bare heap loop
 * (bench/mm1.bench.mjs), so each event pays one compare for every bound but the end time:
 * `stopAt` is the event count at which the loop must look up; it is `max_events` until a
 * stop, an outside limit or a queue overflow sets it to -1 (the reason is worked out only
 * then). The end time is compared with the head's time, read once per event. The queue
 * checks max_queue with the compare it makes for growing.
 */
class KernelImpl<E> implements Kernel<E> {
  // A push past max_queue halts the run; the queue tells, so a push pays no compare for it.
  private readonly q: EventQueue<E>;
  private t = 0;
  private count = 0;
  private stopAt: number;
  private stopped: string | undefined = undefined;
  private limitHit: StopReason | undefined = undefined;
  private overflow = false;

  constructor(private readonly lim: KernelLimits) {
    this.q = new EventQueue<E>(1024, lim.max_queue, () => this.halt(true));
    this.stopAt = lim.max_events;
  }

  get now(): Micros {
    return this.t as Micros;
  }
  get events(): number {
    return this.count;
  }
  get pending(): number {
    return this.q.size;
  }
  at(at: number, e: E): void {
    this.q.push(at < this.t ? this.t : at, e);
  }
  after(delay_us: number, e: E): void {
    this.q.push(delay_us > 0 ? this.t + delay_us : this.t, e);
  }
  stop(reason: string): void {
    if (this.stopped === undefined) this.stopped = reason;
    this.halt(false);
  }
  limit(limit: LimitName, value: number, detail?: string): void {
    this.limitHit ??= detail === undefined ? { kind: 'limit', limit, value } : { kind: 'limit', limit, value, detail };
    this.halt(false);
  }
  run(handler: (e: E, now: Micros) => void): RunOutcome {
    const q = this.q;
    const end = this.lim.end_us;
    // An empty queue peeks as Infinity: past this bound even without an end time, so the one
    // time compare also catches the drained queue.
    const bound = end === Infinity ? Number.MAX_VALUE : end;
    // the count lives in a local (one store per event keeps `events` current for handlers)
    let count = this.count;
    for (;;) {
      const t = q.peekTime();
      if (count >= this.stopAt || t > bound) {
        const stop = this.boundReached(t, end);
        if (stop !== undefined) return this.done(stop);
      }
      // not empty: an empty queue peeks Infinity, past `bound`, and boundReached says drained
      const e = q.take();
      this.t = t;
      this.count = ++count;
      handler(e, t as Micros);
    }
  }
  private halt(overflow: boolean): void {
    if (overflow) this.overflow = true;
    this.stopAt = -1;
  }
  /**
   * The bound that ends the run before the next event (at `next`), in the order the checks
   * have always run: a halt, then an empty queue, the end time, and the event limit last.
   * Undefined when none has been reached (an event scheduled at an infinite time, with no end
   * time): that event runs.
   */
  private boundReached(next: number, end: number): StopReason | undefined {
    if (this.stopAt < 0) return this.haltReason();
    if (this.q.size === 0) return { kind: 'drained' };
    if (next > end) {
      this.t = end;
      return { kind: 'end_time', at_us: end };
    }
    if (this.count >= this.lim.max_events) return { kind: 'limit', limit: 'max_events', value: this.lim.max_events };
    return undefined;
  }
  /** Why the run halted, in the order the checks ran before they shared one flag. */
  private haltReason(): StopReason {
    if (this.stopped !== undefined) return { kind: 'stopped', reason: this.stopped };
    if (this.limitHit !== undefined) return this.limitHit;
    return { kind: 'limit', limit: 'max_queue', value: this.lim.max_queue };
  }
  private done(stop: StopReason): RunOutcome {
    return { stop, events: this.count, now_us: this.t as Micros };
  }
}

/** A human sentence for a stop reason ("limit max_events (50000000) reached"). */
export function describeStop(s: StopReason): string {
  switch (s.kind) {
    case 'drained':
      return 'ran to completion';
    case 'end_time':
      return `reached end time ${seconds(s.at_us)}`;
    case 'limit':
      return `limit ${s.limit} (${s.value}) reached${s.detail === undefined ? '' : `: ${s.detail}`}`;
    case 'stopped':
      return `stopped: ${s.reason}`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

/** Microseconds as a reader says them: `70 s`, `0.5 s`, `1.000001 s` (exact, trailing zeros cut). */
function seconds(us: number): string {
  const whole = Math.trunc(us / 1_000_000);
  const frac = Math.abs(us % 1_000_000);
  return frac === 0 ? `${whole} s` : `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')} s`;
}
