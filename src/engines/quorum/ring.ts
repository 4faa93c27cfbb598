/**
 * Placement: a token ring with virtual nodes and Cassandra's NetworkTopologyStrategy. Every
 * node owns `vnodes` tokens (a hash of its id and the token's index, so the ring is the same
 * for every seed and every run); a key's token is a hash of the key; its replicas are found by
 * walking the ring clockwise from that token and taking, per region, the first distinct nodes
 * of that region until the region's replication factor is reached.
 *
 * A pure function of the scenario (regions and engine settings): the runner uses it for the
 * `replicas` records the checker trusts (src/run/replicas.ts), the engine for routing.
 */
import type { NodeId, RegionId } from '../../sim/ids.js';
import type { Topology } from '../engine.js';

/** FNV-1a 32 bit with a final avalanche (murmur3's fmix32) so near-equal names spread over the ring. */
export function token(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Index of the first of the sorted `tokens` >= t (binary search); tokens.length when none. */
export function firstTokenAtOrAfter(tokens: readonly number[], t: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tokens[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A key's replicas, in ring order, with each replica's region index (topology.regions order). */
export interface Placement {
  nodes: readonly NodeId[];
  regionIdx: readonly number[];
}

export interface Ring {
  /** the replicas of `key` (cached; the result is shared, never mutate it) */
  replicasOf(key: string): Placement;
  /** the ring's tokens in order and their owners, for tests and docs */
  readonly tokens: readonly number[];
  readonly owners: readonly NodeId[];
}

/** Cached placements at most; past it the cache starts over (keys are bounded by the workload, not by this). */
const CACHE_LIMIT = 1 << 20;

/**
 * Builds the ring. `replication` gives each region's factor (already checked: at most the
 * region's nodes); regions are visited in topology order.
 */
export function buildRing(topology: Topology, replication: Readonly<Record<string, number>>, vnodes: number): Ring {
  const entries: Array<{ t: number; node: NodeId; rank: number }> = [];
  topology.nodes.forEach((node, rank) => {
    for (let v = 0; v < vnodes; v++) entries.push({ t: token(`${node}#${v}`), node, rank });
  });
  // Equal tokens (a 32-bit collision) are ordered by node rank: still one total order.
  entries.sort((a, b) => a.t - b.t || a.rank - b.rank);
  const tokens = entries.map((e) => e.t);
  const owners = entries.map((e) => e.node);
  const regions = topology.regions;
  const regionIndex = new Map<RegionId, number>(regions.map((r, i) => [r, i]));
  const ownerRegion = owners.map((n) => regionIndex.get(topology.regionOf(n)) ?? 0);
  const want = regions.map((r) => replication[r] ?? 0);
  const total = want.reduce((a, b) => a + b, 0);
  const cache = new Map<string, Placement>();

  function place(key: string): Placement {
    const lo = firstTokenAtOrAfter(tokens, token(key)); // wrapping to 0 below
    const nodes: NodeId[] = [];
    const regionIdx: number[] = [];
    const have = want.map(() => 0);
    for (let i = 0; i < tokens.length && nodes.length < total; i++) {
      const at = (lo + i) % tokens.length;
      const node = owners[at] as NodeId;
      const r = ownerRegion[at] as number;
      if ((have[r] as number) >= (want[r] as number) || nodes.includes(node)) continue;
      nodes.push(node);
      regionIdx.push(r);
      have[r] = (have[r] as number) + 1;
    }
    return { nodes, regionIdx };
  }

  return {
    tokens,
    owners,
    replicasOf(key) {
      let p = cache.get(key);
      if (p === undefined) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        p = place(key);
        cache.set(key, p);
      }
      return p;
    },
  };
}
