/**
 * The simulated network between endpoints (nodes and clients). Each directed region pair has a
 * resolved link (base latency, jitter, distribution, loss, duplication, FIFO). A message across
 * a cut is dropped, never queued; links are FIFO unless `reorder: true`, which is enforced by
 * never delivering before the previous message on the same directed endpoint pair.
 */
import type { Rng } from '../sim/rng.js';
import type { LinkSpec, Scenario } from '../scenario/types.js';
import { sampleLatency } from './latency.js';
import { CutSet } from './partitions.js';

export interface Endpoint {
  name: string;
  region: string;
}

export interface NetStats {
  sent: number;
  delivered: number;
  dropped_cut: number;
  dropped_loss: number;
  duplicated: number;
}

/** `sendAt`'s answer for a message that is not delivered (delivery times are never negative). */
export const DROPPED = -1;

export type Transmission = { dropped: 'cut' | 'loss' } | { dropped: false; times: number[] };

export class Network {
  readonly cuts: CutSet;
  readonly stats: NetStats = { sent: 0, delivered: 0, dropped_cut: 0, dropped_loss: 0, duplicated: 0 };
  private readonly regionIndex = new Map<string, number>();
  private readonly endpointRegion: Int32Array;
  private readonly base: LinkSpec[];
  private links: LinkSpec[];
  private readonly lastDelivery: Float64Array;
  private readonly slow = new Map<number, { pairs: Array<[number, number]>; latency_us: number }>();
  private readonly R: number;
  private readonly N: number;

  constructor(
    readonly endpoints: readonly Endpoint[],
    regions: readonly string[],
    spec: Scenario['network'],
    private readonly rng: Rng,
  ) {
    regions.forEach((r, i) => this.regionIndex.set(r, i));
    this.R = regions.length;
    this.N = endpoints.length;
    this.endpointRegion = Int32Array.from(endpoints, (e) => this.regionIdx(e.region));
    this.cuts = new CutSet(this.N);
    this.lastDelivery = new Float64Array(this.N * this.N);
    this.base = resolveLinks(regions, spec, this.regionIndex);
    this.links = this.base.slice();
  }

  regionIdx(region: string): number {
    const i = this.regionIndex.get(region);
    if (i === undefined) throw new Error(`unknown region ${region}`);
    return i;
  }

  /** The effective link from endpoint a to endpoint b. */
  link(a: number, b: number): LinkSpec {
    return this.links[(this.endpointRegion[a] as number) * this.R + (this.endpointRegion[b] as number)] as LinkSpec;
  }

  /** Base one-way latency between two regions (what placement and failover reason about). */
  baseLatency(fromRegion: string, toRegion: string): number {
    return (this.base[this.regionIdx(fromRegion) * this.R + this.regionIdx(toRegion)] as LinkSpec).latency_us;
  }

  blocked(a: number, b: number): boolean {
    return this.cuts.blocked(a, b);
  }

  /**
   * Sends one message at time `now`: returns its delivery time(s), or why it was dropped.
   * Draws from the network stream only, so network settings never disturb the workload.
   */
  transmit(a: number, b: number, now: number): Transmission {
    const first = this.sendAt(a, b, now);
    if (first === DROPPED) return { dropped: this.dropReason };
    return this.duplicate_us === DROPPED ? { dropped: false, times: [first] } : { dropped: false, times: [first, this.duplicate_us] };
  }

  /**
   * `transmit` without the result object, for the per-message paths (three sends per client
   * op, ~14 M on the 2-hour partition): the first delivery time, or DROPPED (then
   * `dropReason` says why); a duplicate's delivery time is left in `duplicate_us` (DROPPED when
   * none). Same checks and the same draws in the same order as `transmit`.
   */
  sendAt(a: number, b: number, now: number): number {
    this.stats.sent++;
    this.duplicate_us = DROPPED;
    if (this.cuts.blocked(a, b)) {
      this.stats.dropped_cut++;
      this.dropReason = 'cut';
      return DROPPED;
    }
    const l = this.link(a, b);
    if (l.loss > 0 && this.rng.next() < l.loss) {
      this.stats.dropped_loss++;
      this.dropReason = 'loss';
      return DROPPED;
    }
    const first = this.deliveryTime(a, b, now, l);
    if (l.duplicate > 0 && this.rng.next() < l.duplicate) {
      this.stats.duplicated++;
      this.duplicate_us = this.deliveryTime(a, b, now, l);
    }
    return first;
  }

  /** The second delivery time of the last `sendAt`, or DROPPED when it was not duplicated. */
  duplicate_us = DROPPED;
  /** Why the last `sendAt` returned DROPPED. */
  dropReason: 'cut' | 'loss' = 'cut';

  private deliveryTime(a: number, b: number, now: number, l: LinkSpec): number {
    let t = now + sampleLatency(l.distribution, l.latency_us, l.jitter_us, this.rng);
    if (!l.reorder) {
      const k = a * this.N + b;
      const last = this.lastDelivery[k] as number;
      if (t < last) t = last; // FIFO: never overtake the previous message on this path
      this.lastDelivery[k] = t;
    }
    return t;
  }

  /** A `slow` fault: the one-way latency between two regions (both ways) becomes `latency_us`. */
  addSlow(id: number, between: [string, string], latency_us: number): void {
    const x = this.regionIdx(between[0]);
    const y = this.regionIdx(between[1]);
    this.slow.set(id, { pairs: [[x, y], [y, x]], latency_us });
    this.rebuildLinks();
  }

  removeSlow(id: number): boolean {
    const had = this.slow.delete(id);
    if (had) this.rebuildLinks();
    return had;
  }

  clearSlow(): void {
    this.slow.clear();
    this.rebuildLinks();
  }

  private rebuildLinks(): void {
    const links = this.base.slice();
    for (const s of this.slow.values()) {
      for (const [x, y] of s.pairs) {
        const i = x * this.R + y;
        links[i] = { ...(links[i] as LinkSpec), latency_us: s.latency_us as LinkSpec['latency_us'] };
      }
    }
    this.links = links;
  }
}

/** Resolves intra/inter defaults and `links` overrides into one link per directed region pair. */
export function resolveLinks(
  regions: readonly string[],
  spec: Scenario['network'],
  index: Map<string, number>,
): LinkSpec[] {
  const R = regions.length;
  const out: LinkSpec[] = [];
  for (let a = 0; a < R; a++) {
    for (let b = 0; b < R; b++) out.push({ ...(a === b ? spec.intra_region : spec.inter_region) });
  }
  for (const o of spec.links) {
    const x = index.get(o.between[0]);
    const y = index.get(o.between[1]);
    if (x === undefined || y === undefined) continue; // validated earlier; defensive
    const dirs: Array<[number, number]> = o.one_way ? [[x, y]] : [[x, y], [y, x]];
    for (const [p, q] of dirs) {
      const cur = out[p * R + q] as LinkSpec;
      out[p * R + q] = {
        latency_us: o.latency_us ?? cur.latency_us,
        jitter_us: o.jitter_us ?? cur.jitter_us,
        distribution: o.distribution ?? cur.distribution,
        loss: o.loss ?? cur.loss,
        duplicate: o.duplicate ?? cur.duplicate,
        reorder: o.reorder ?? cur.reorder,
      };
    }
  }
  return out;
}
