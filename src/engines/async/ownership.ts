/**
 * `ownership: home`: every key has a home region (the longest matching prefix in `homes`,
 * otherwise a hash of the key) and, inside it, one owner node (a hash of the key), so all
 * writes of a key are serialised on one node: no conflicts, at the price of a round trip to
 * the owner and no writes while it is unreachable.
 */
import type { NodeId, RegionId } from '../../sim/ids.js';
import type { Topology } from '../engine.js';

/** FNV-1a, 32 bit: deterministic across runs and platforms. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The key's home region. */
export function homeRegion(key: string, homes: Record<string, string>, topology: Topology): RegionId {
  let best: string | undefined;
  for (const prefix of Object.keys(homes).sort()) {
    if (key.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  if (best !== undefined) {
    const r = homes[best] as RegionId;
    if (topology.regions.includes(r)) return r;
  }
  const regions = topology.regions;
  return regions[hash32(key) % regions.length] as RegionId;
}

/** The single node that applies every write of `key`. */
export function ownerOf(key: string, homes: Record<string, string>, topology: Topology): NodeId {
  const nodes = topology.nodesOf(homeRegion(key, homes, topology));
  // A second hash (salted) so keys of one region spread over its nodes independently of the region pick.
  return nodes[hash32(`owner:${key}`) % nodes.length] as NodeId;
}
