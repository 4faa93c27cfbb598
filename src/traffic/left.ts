/**
 * When traffic left a failed region, from the clients' moves: for each region that a
 * scripted `crash` or `isolate` took out, the time from the fault's start until the last
 * client that was sending there at that moment had moved elsewhere. `null` when no client was
 * there, or when some client was still there when the fault ended (traffic never left).
 */
import type { FaultSpec } from '../scenario/types.js';

export interface Move {
  t: number;
  client: number;
  /** node indices */
  from: number;
  to: number;
}

/** Ops invoked per whole second and region: bounded by the run's duration. */
export class OpsPerSecond {
  readonly counts: Uint32Array;
  constructor(
    readonly regions: number,
    duration_us: number,
  ) {
    this.counts = new Uint32Array((Math.ceil(duration_us / 1e6) + 1) * regions);
  }
  add(t_us: number, region: number): void {
    const i = Math.floor(t_us / 1e6) * this.regions + region;
    if (i < this.counts.length) this.counts[i] = (this.counts[i] as number) + 1;
  }
  /** Share of the ops invoked in whole seconds [from_s, to_s) that went to each region (null: none). */
  shares(from_s: number, to_s: number): Array<number | null> {
    const sum = new Array<number>(this.regions).fill(0);
    let total = 0;
    for (let sec = Math.max(0, from_s); sec < to_s && sec * this.regions < this.counts.length; sec++) {
      for (let r = 0; r < this.regions; r++) {
        const n = this.counts[sec * this.regions + r] as number;
        sum[r] = (sum[r] as number) + n;
        total += n;
      }
    }
    return sum.map((n) => (total === 0 ? null : n / total));
  }
}

export interface RoutingMetrics {
  /** client moves during the run (failover, failback, routing decisions) */
  moves: number;
  /**
   * region → share of the ops invoked while the first scripted fault lasted (whole seconds)
   * that were sent to it; absent when the scenario has no fault
   */
  share_during_fault?: Record<string, number | null>;
  /** region → seconds from its failure until every client there had left (null: never, or nobody there) */
  left_after_s: Record<string, number | null>;
}

/**
 * @param startNode  each client's node at time 0
 * @param regionOfNode node index → region name
 * @param end_us     when a fault without `for` ends (the end of the run's traffic)
 */
export function routingMetrics(
  ops: OpsPerSecond,
  moves: readonly Move[],
  startNode: readonly number[],
  regionOfNode: (node: number) => string,
  regions: readonly string[],
  faults: readonly FaultSpec[],
  end_us: number,
): RoutingMetrics {
  const left: Record<string, number | null> = {};
  for (const region of regions) {
    const f = faults.find((x) => failedRegion(x) === region);
    if (!f) continue;
    const t0 = f.at_us;
    const t1 = f.for_us === undefined ? end_us : t0 + f.for_us;
    // where each client was at t0
    const at = startNode.slice();
    for (const m of moves) if (m.t <= t0) at[m.client] = m.to;
    const there = new Set<number>();
    at.forEach((node, c) => {
      if (regionOfNode(node) === region) there.add(c);
    });
    if (there.size === 0) {
      left[region] = null;
      continue;
    }
    let last: number = t0;
    for (const m of moves) {
      if (m.t <= t0 || m.t >= t1 || !there.has(m.client)) continue;
      if (regionOfNode(m.from) === region && regionOfNode(m.to) !== region) {
        there.delete(m.client);
        last = m.t;
      }
    }
    left[region] = there.size > 0 ? null : (last - t0) / 1e6;
  }
  const out: RoutingMetrics = { moves: moves.length, left_after_s: left };
  const first = faults.find((f) => f.action.kind !== 'chaos');
  if (first) {
    const to = first.for_us === undefined ? end_us : first.at_us + first.for_us;
    const shares = ops.shares(Math.ceil(first.at_us / 1e6), Math.floor(to / 1e6));
    out.share_during_fault = Object.fromEntries(regions.map((r, i) => [r, shares[i] ?? null]));
  }
  return out;
}

/** The region a fault takes out whole: `crash: R`, `crash: R/*` or `isolate: R`. */
function failedRegion(f: FaultSpec): string | undefined {
  const a = f.action;
  if (a.kind !== 'crash' && a.kind !== 'isolate') return undefined;
  if (a.target.endsWith('/*')) return a.target.slice(0, -2);
  return a.target.includes('/') ? undefined : a.target;
}
