/**
 * Client state: one per generating or scripted client, with its own workload stream, its
 * current node, and the ops it is waiting on with their deadlines.
 */
import { stream, type Rng } from '../sim/rng.js';
import { newGenMemory, type GenMemory } from '../workload/ops.js';
import type { ClientInfo } from '../run/topology.js';
import { DeadlineQueue } from './deadlines.js';

export interface ClientRt {
  index: number;
  endpoint: number;
  id: string;
  region: string;
  rate_per_s: number;
  /** the node this client sends its ops to now */
  node: number;
  /** the node of its own region it starts with (where failback returns) */
  homeNode: number;
  rng: Rng;
  mem: GenMemory;
  /** node of the client's last acknowledged write (sticky sessions) */
  stickyNode: number | undefined;
  /**
   * Ops in invoke order with their deadlines. Every op of a client has the same timeout, so
   * the oldest is always due first: one timer per client instead of one event per op.
   */
  deadlines: DeadlineQueue;
  timerArmed: boolean;
}

export function makeClient(index: number, c: ClientInfo, seed: number): ClientRt {
  return {
    index,
    endpoint: c.endpoint,
    id: c.id,
    region: c.region,
    rate_per_s: c.rate_per_s,
    node: c.homeNode,
    homeNode: c.homeNode,
    rng: stream(seed, `workload/${c.id}`),
    mem: newGenMemory(),
    stickyNode: undefined,
    deadlines: new DeadlineQueue(),
    timerArmed: false,
  };
}

/** Time to the client's next generated op: Poisson arrivals at its rate, at least 1 µs. */
export function interArrival(c: ClientRt): number {
  return Math.max(1, Math.round(c.rng.exp(1_000_000 / c.rate_per_s)));
}

/**
 * The node a client uses in region `r`: its home node in its own region, elsewhere one of the
 * region's nodes by the client's index (clients of a region spread over another's nodes).
 */
export function nodeInRegion(c: ClientRt, r: number, regionOfNode: Int32Array, regionNodes: readonly number[][]): number {
  if (r === regionOfNode[c.homeNode]) return c.homeNode;
  const nodes = regionNodes[r] as number[];
  return nodes[c.index % nodes.length] as number;
}
