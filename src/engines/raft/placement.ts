/**
 * Key → range → replicas. Pure functions of the scenario, computed identically on every node
 * (and by tests), so every node agrees on who replicates what without any message.
 *
 * - A key belongs to range `fnv1a(key) mod ranges` (hash split: even spread, no range scans).
 * - `spread`: replicas go round-robin over the regions in declared order, starting at region
 *   `range mod regions`, one per region before any region gets a second; inside a region the
 *   node index advances once per turn of the regions (⌊range / regions⌋), so consecutive
 *   ranges' replicas (and so their leaders) land on different nodes.
 * - `home: R`: a majority (⌊rf/2⌋+1) in R, the rest spread over the other regions; leaders
 *   are preferred in R too, since a majority there is only fast if the leader is there.
 * - `leaders: R`: like spread but R always holds a replica, and leaders are preferred in R.
 */
import type { NodeId, RegionId } from '../../sim/ids.js';
import type { Topology } from '../engine.js';
import type { RaftPlacement } from '../../scenario/types.js';
import { fnv1a } from './hash.js';

/** One range's replica set, in a stable order, and the replicas that should lead it. */
export interface RangePlacement {
  range: number;
  replicas: NodeId[];
  /** replicas that should hold leadership (empty: no preference) */
  preferred: NodeId[];
}

/** The range a key belongs to: FNV-1a (32 bit) of the key modulo the number of ranges. */
export function rangeOf(key: string, ranges: number): number {
  return fnv1a(key) % Math.max(1, ranges);
}

/** Replica sets of all ranges. `rf` is capped at the number of nodes. */
export function placeRanges(
  ranges: number,
  rf: number,
  placement: RaftPlacement,
  topology: Topology,
): RangePlacement[] {
  const out: RangePlacement[] = [];
  for (let r = 0; r < ranges; r++) out.push(placeRange(r, rf, placement, topology));
  return out;
}

export function placeRange(range: number, rf: number, placement: RaftPlacement, topology: Topology): RangePlacement {
  const want = Math.min(rf, topology.nodes.length);
  const regions = [...topology.regions];
  const rot = (list: RegionId[], by: number): RegionId[] =>
    list.length === 0 ? list : list.map((_, i) => list[(i + by) % list.length] as RegionId);
  const chosen: NodeId[] = [];
  const taken = new Map<RegionId, number>();
  // Regions rotate with the range; node indexes advance once per full turn of the regions,
  // so consecutive ranges start on different nodes as well as different regions.
  const nodeTurn = Math.floor(range / Math.max(1, regions.length));
  /** next node of `region` for this range, or undefined when the region is exhausted */
  const pick = (region: RegionId): boolean => {
    const nodes = topology.nodesOf(region);
    const k = taken.get(region) ?? 0;
    if (k >= nodes.length) return false;
    taken.set(region, k + 1);
    chosen.push(nodes[(nodeTurn + k) % nodes.length] as NodeId);
    return true;
  };
  /** round-robin over `order` until `want` replicas are chosen or every region is exhausted */
  const roundRobin = (order: RegionId[]): void => {
    let progress = true;
    while (chosen.length < want && progress) {
      progress = false;
      for (const region of order) {
        if (chosen.length >= want) break;
        if (pick(region)) progress = true;
      }
    }
  };

  let preferredRegion: RegionId | undefined;
  switch (placement.kind) {
    case 'spread':
      roundRobin(rot(regions, range));
      break;
    case 'home': {
      const home = placement.region as RegionId;
      preferredRegion = home;
      const majority = Math.floor(want / 2) + 1;
      for (let i = 0; i < majority; i++) if (!pick(home)) break;
      roundRobin(rot(regions.filter((g) => g !== home), range));
      roundRobin([home]);
      break;
    }
    case 'leaders': {
      const lead = placement.region as RegionId;
      preferredRegion = lead;
      pick(lead);
      roundRobin(rot(regions.filter((g) => g !== lead), range));
      roundRobin([lead]);
      break;
    }
    default: {
      const never: never = placement;
      throw new Error(`unknown placement ${JSON.stringify(never)}`);
    }
  }
  const preferred =
    preferredRegion === undefined ? [] : chosen.filter((n) => topology.regionOf(n) === preferredRegion);
  return { range, replicas: chosen, preferred };
}
