/**
 * Health checks for global routing, as Route 53 or a global load balancer runs them: every
 * `interval`, from each region that has clients (its resolver or edge), one probe to one node
 * of every region (round robin over the region's nodes). A probe answered within `timeout` is
 * a success, with its round-trip time; anything else (node down, link cut, lost) a failure.
 * A region turns unhealthy after `unhealthy_after` consecutive failures and healthy again
 * after `healthy_after` consecutive successes. Probes travel over the simulated network, so a
 * partition between two regions makes each look down from the other's side.
 */
import type { Network } from '../net/network.js';
import type { Layout } from '../run/topology.js';
import type { Scheduler } from './events.js';

export interface HealthCheckSpec {
  interval_us: number;
  timeout_us: number;
  unhealthy_after: number;
  healthy_after: number;
  /** probes per (vantage, region) kept for the error rate */
  window: number;
}

/** One vantage region's view of one target region. */
interface View {
  healthy: boolean;
  /** consecutive successes (> 0) or failures (< 0) */
  streak: number;
  /** outcomes of the last `window` probes: 1 failed, 0 answered (ring) */
  outcomes: Uint8Array;
  filled: number;
  failures: number;
  cursor: number;
  /** round trip of the last answered probe, µs (0 before the first answer) */
  rtt_us: number;
  /** probe sequence number and send time of the probe in flight, and whether it is settled */
  seq: number;
  sent_at: number;
  settled: boolean;
  /** next node (index within the region) to probe */
  rr: number;
}

export type HealthChange = (vantage: number, region: number, healthy: boolean, now: number) => void;

export class HealthChecks {
  /** views[v][r]: undefined when region v has no clients (nobody looks from there) */
  private readonly views: Array<View[] | undefined>;
  private readonly vantageEndpoint: Int32Array;
  private readonly regionNodes: number[][];
  onChange: HealthChange = () => undefined;
  /** every settled probe (weighted routing re-reads error rates and round trips) */
  onResult: (vantage: number, now: number) => void = () => undefined;

  constructor(
    private readonly spec: HealthCheckSpec,
    layout: Layout,
    private readonly net: Network,
    private readonly sched: Scheduler,
    private readonly nodeAnswers: (node: number, fromEndpoint: number) => boolean,
  ) {
    const R = layout.regions.length;
    this.regionNodes = layout.regions.map((r) => layout.nodes.filter((n) => n.region === r).map((n) => n.index));
    this.vantageEndpoint = new Int32Array(R).fill(-1);
    for (const c of layout.clients) {
      const v = layout.regions.indexOf(c.region);
      if (v >= 0 && (this.vantageEndpoint[v] as number) < 0) this.vantageEndpoint[v] = c.endpoint;
    }
    this.views = layout.regions.map((_, v) =>
      (this.vantageEndpoint[v] as number) < 0
        ? undefined
        : layout.regions.map(() => ({
            healthy: true,
            streak: 0,
            outcomes: new Uint8Array(spec.window),
            filled: 0,
            failures: 0,
            cursor: 0,
            rtt_us: 0,
            seq: 0,
            sent_at: 0,
            settled: true,
            rr: 0,
          })),
    );
  }

  start(): void {
    this.sched.at(this.spec.interval_us, { k: 'hc_tick' });
  }

  healthy(v: number, r: number): boolean {
    return this.views[v]?.[r]?.healthy ?? true;
  }

  /** Failed share of the last `window` probes (0 before any). */
  errorRate(v: number, r: number): number {
    const w = this.views[v]?.[r];
    return w && w.filled > 0 ? w.failures / w.filled : 0;
  }

  /** Round trip of the last answered probe, µs (0 before any). */
  rtt_us(v: number, r: number): number {
    return this.views[v]?.[r]?.rtt_us ?? 0;
  }

  /** A probe round: one probe from every vantage to every region. */
  tick(now: number): void {
    this.views.forEach((row, v) => {
      if (!row) return;
      const from = this.vantageEndpoint[v] as number;
      row.forEach((w, r) => {
        const nodes = this.regionNodes[r] as number[];
        if (nodes.length === 0) return;
        if (!w.settled) this.settle(v, r, w, false, now); // the previous probe never came back
        const node = nodes[w.rr % nodes.length] as number;
        w.rr++;
        w.seq++;
        w.sent_at = now;
        w.settled = false;
        const tx = this.net.transmit(from, node, now);
        if (tx.dropped === false) this.sched.at(tx.times[0] as number, { k: 'hc', v, r, node, seq: w.seq, back: false });
        this.sched.at(now + this.spec.timeout_us, { k: 'hc_due', v, r, seq: w.seq });
      });
    });
    this.sched.after(this.spec.interval_us, { k: 'hc_tick' });
  }

  /** A probe reaching its node (`back` false) or its answer reaching the vantage (`back` true). */
  onProbe(v: number, r: number, node: number, seq: number, back: boolean, now: number): void {
    const from = this.vantageEndpoint[v] as number;
    if (!back) {
      if (!this.nodeAnswers(node, from)) return;
      const tx = this.net.transmit(node, from, now);
      if (tx.dropped === false) this.sched.at(tx.times[0] as number, { k: 'hc', v, r, node, seq, back: true });
      return;
    }
    const w = this.views[v]?.[r];
    if (!w || w.seq !== seq || w.settled) return;
    w.rtt_us = now - w.sent_at;
    this.settle(v, r, w, true, now);
  }

  /** The probe's timeout: unanswered by now is a failure. */
  onDue(v: number, r: number, seq: number, now: number): void {
    const w = this.views[v]?.[r];
    if (!w || w.seq !== seq || w.settled) return;
    this.settle(v, r, w, false, now);
  }

  private settle(v: number, r: number, w: View, ok: boolean, now: number): void {
    w.settled = true;
    if (w.filled === this.spec.window) w.failures -= w.outcomes[w.cursor] as number;
    else w.filled++;
    w.outcomes[w.cursor] = ok ? 0 : 1;
    w.failures += ok ? 0 : 1;
    w.cursor = (w.cursor + 1) % this.spec.window;
    w.streak = ok ? Math.max(0, w.streak) + 1 : Math.min(0, w.streak) - 1;
    if (w.healthy && w.streak <= -this.spec.unhealthy_after) {
      w.healthy = false;
      this.onChange(v, r, false, now);
    } else if (!w.healthy && w.streak >= this.spec.healthy_after) {
      w.healthy = true;
      this.onChange(v, r, true, now);
    } else {
      this.onResult(v, now);
    }
  }
}
