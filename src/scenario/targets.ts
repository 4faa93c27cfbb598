/**
 * Region and node references in a scenario: `us-east` (a region), `us-east/2` (one node),
 * `us-east/*` (every node of a region). Checked against the declared regions at load time;
 * `expandTarget` turns a checked reference into node ids for the compiler.
 */
import { didYouMean } from './suggest.js';

/** What a field accepts. */
export interface TargetKinds {
  region?: boolean;
  node?: boolean;
  wildcard?: boolean;
}

export const ANY_TARGET: TargetKinds = { region: true, node: true, wildcard: true };

/** Region name → node count, the only fact references are checked against. */
export type RegionSizes = Readonly<Record<string, { nodes: number }>>;

function kindsText(kinds: TargetKinds): string {
  const parts: string[] = [];
  if (kinds.region) parts.push('a region');
  if (kinds.node) parts.push('a node REGION/INDEX');
  if (kinds.wildcard) parts.push('REGION/*');
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1] ?? ''}` : (parts[0] ?? '');
}

/** Why `name` is not a declared region, with a suggestion; undefined when it is one. */
export function regionError(name: string, regions: RegionSizes): string | undefined {
  if (Object.hasOwn(regions, name)) return undefined;
  const names = Object.keys(regions);
  const hint = didYouMean(name, names);
  return `unknown region "${name}"${hint}; regions are ${names.join(', ')}`;
}

/** Why `ref` is not an acceptable reference of the given kinds; undefined when it is. */
export function targetError(ref: string, regions: RegionSizes, kinds: TargetKinds = ANY_TARGET): string | undefined {
  const slash = ref.lastIndexOf('/');
  if (slash < 0) {
    if (!kinds.region) return `expected ${kindsText(kinds)}, got the region "${ref}"`;
    return regionError(ref, regions);
  }
  const region = ref.slice(0, slash);
  const index = ref.slice(slash + 1);
  const bad = regionError(region, regions);
  if (bad) return bad;
  if (index === '*') return kinds.wildcard ? undefined : `expected ${kindsText(kinds)}, got "${ref}"`;
  if (!/^\d+$/.test(index)) return `expected ${kindsText(kinds)}, got "${ref}"`;
  if (!kinds.node) return `expected ${kindsText(kinds)}, got the node "${ref}"`;
  const nodes = regions[region]?.nodes ?? 0;
  const i = Number(index);
  if (i >= nodes) {
    return `node index ${i} is out of range: ${region} has ${nodes} node${nodes === 1 ? '' : 's'} (${region}/0..${region}/${nodes - 1})`;
  }
  return undefined;
}

/** Node ids a checked reference stands for, in index order. */
export function expandTarget(ref: string, regions: RegionSizes): string[] {
  const slash = ref.lastIndexOf('/');
  const region = slash < 0 ? ref : ref.slice(0, slash);
  const index = slash < 0 ? '*' : ref.slice(slash + 1);
  if (index !== '*') return [ref];
  const n = regions[region]?.nodes ?? 0;
  return Array.from({ length: n }, (_, i) => `${region}/${i}`);
}
