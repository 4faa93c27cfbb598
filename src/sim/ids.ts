/** Branded identifiers: a node id is not a client id is not a key, even though all are strings. */
export type RegionId = string & { readonly __id: 'region' };
/** `REGION/INDEX`, e.g. `us-east/0`. */
export type NodeId = string & { readonly __id: 'node' };
/** `REGION/INDEX` of a client; clients and nodes share the naming but not the namespace. */
export type ClientId = string & { readonly __id: 'client' };
/** Operation id, unique within a history. */
export type OpId = number & { readonly __id: 'op' };

export const regionId = (s: string): RegionId => s as RegionId;
export const nodeId = (s: string): NodeId => s as NodeId;
export const clientId = (s: string): ClientId => s as ClientId;
export const opId = (n: number): OpId => n as OpId;

export function nodeName(region: string, index: number): NodeId {
  return `${region}/${index}` as NodeId;
}

/** Region part of a `REGION/INDEX` id. */
export function regionOf(id: string): RegionId {
  const i = id.lastIndexOf('/');
  return (i < 0 ? id : id.slice(0, i)) as RegionId;
}

export function indexOf(id: string): number {
  const i = id.lastIndexOf('/');
  return i < 0 ? 0 : Number(id.slice(i + 1));
}
