/**
 * Compiles a scenario's regions and clients into indexed endpoints: nodes first (region order
 * as declared, then index), then clients. Indices make the hot paths array lookups.
 */
import type { Topology } from '../engines/engine.js';
import { nodeName, regionId, type NodeId, type RegionId } from '../sim/ids.js';
import { micros } from '../sim/time.js';
import type { Scenario } from '../scenario/types.js';

export interface NodeInfo {
  index: number;
  id: NodeId;
  region: string;
  regionIndex: number;
}

export interface ClientInfo {
  /** endpoint index (after all nodes) */
  endpoint: number;
  id: string;
  region: string;
  /** position within its region's clients */
  indexInRegion: number;
  rate_per_s: number;
  /** the node of its own region it talks to first */
  homeNode: number;
}

export interface Layout {
  regions: string[];
  nodes: NodeInfo[];
  nodeIndex: Map<string, number>;
  clients: ClientInfo[];
  clientIndex: Map<string, number>;
}

export function layoutOf(s: Scenario): Layout {
  const regions = Object.keys(s.regions);
  const nodes: NodeInfo[] = [];
  const nodeIndex = new Map<string, number>();
  regions.forEach((r, ri) => {
    const n = s.regions[r]?.nodes ?? 0;
    for (let i = 0; i < n; i++) {
      const id = nodeName(r, i);
      nodeIndex.set(id, nodes.length);
      nodes.push({ index: nodes.length, id, region: r, regionIndex: ri });
    }
  });
  const clients: ClientInfo[] = [];
  const clientIndex = new Map<string, number>();
  const addClient = (region: string, i: number, rate: number): void => {
    const id = `${region}/${i}`;
    if (clientIndex.has(id)) return;
    const regionNodes = s.regions[region]?.nodes ?? 1;
    clientIndex.set(id, clients.length);
    clients.push({
      endpoint: nodes.length + clients.length,
      id,
      region,
      indexInRegion: i,
      rate_per_s: rate,
      homeNode: nodeIndex.get(nodeName(region, i % regionNodes)) ?? 0,
    });
  };
  for (const r of regions) {
    const g = s.workload.clients[r];
    if (!g) continue;
    for (let i = 0; i < g.count; i++) addClient(r, i, g.rate_per_s);
  }
  // Clients named only by the script exist too, with no generated traffic.
  const scripted = [...new Set(s.workload.script.map((o) => o.client))].sort();
  for (const c of scripted) {
    const cut = c.lastIndexOf('/');
    addClient(c.slice(0, cut), Number(c.slice(cut + 1)), 0);
  }
  return { regions, nodes, nodeIndex, clients, clientIndex };
}

/** The static topology engines may know about. */
export function topologyOf(layout: Layout, baseLatency: (a: string, b: string) => number): Topology {
  const byRegion = new Map<RegionId, NodeId[]>();
  for (const n of layout.nodes) {
    const r = regionId(n.region);
    const list = byRegion.get(r) ?? [];
    list.push(n.id);
    byRegion.set(r, list);
  }
  const regionOfNode = new Map<NodeId, RegionId>(layout.nodes.map((n) => [n.id, regionId(n.region)]));
  return {
    nodes: layout.nodes.map((n) => n.id),
    regions: layout.regions.map(regionId),
    nodesOf: (r) => byRegion.get(r) ?? [],
    regionOf: (n) => regionOfNode.get(n) ?? regionId(n.slice(0, n.lastIndexOf('/'))),
    baseLatency: (a, b) => micros(baseLatency(regionOfNode.get(a) ?? a, regionOfNode.get(b) ?? b)),
  };
}

/**
 * Expands a target (`region`, `REGION/INDEX`, `REGION/*`) to node indices, sorted.
 */
export function nodesOfTarget(layout: Layout, target: string): number[] {
  if (target.endsWith('/*')) {
    const r = target.slice(0, -2);
    return layout.nodes.filter((n) => n.region === r).map((n) => n.index);
  }
  const i = layout.nodeIndex.get(target);
  if (i !== undefined) return [i];
  return layout.nodes.filter((n) => n.region === target).map((n) => n.index);
}
