/**
 * Global routing between clients and regions, one policy per scenario (`routing.policy`):
 *
 * - `nearest`: every client goes to the nearest region its region's health checks call
 *   healthy, as soon as they say so (a client-side load balancer with health checks);
 * - `dns`: the resolver answers the nearest healthy region, and each client keeps its answer
 *   for the TTL (answers expire at staggered times, as caches do); a fraction of resolvers
 *   ignore the TTL and keep an answer for `ignore_ttl.keep`;
 * - `anycast`: one address announced by every region; when health changes, the routes seen
 *   from a region converge on it `convergence` later, for all its clients at once;
 * - `weighted`: each op picks a region with probability proportional to its weight: 0 when
 *   unhealthy or when the probes' error rate is above `error_rate_above`, else
 *   1 − `latency_penalty_per_ms` × probe round trip (ms), never below `floor`;
 * - `home`: clients are pinned to their own region; with `repoint: true` they go to the
 *   nearest healthy region while it is unhealthy and come back when it recovers.
 *
 * Health comes from src/traffic/health.ts (probes over the simulated network). Every move of
 * a client is a `route` record: when traffic left a region and when it came back.
 */
import type { Layout } from '../run/topology.js';
import { stream, type Rng } from '../sim/rng.js';
import { nodeInRegion, type ClientRt } from './clients.js';
import type { Scheduler } from './events.js';
import { nearestFirst } from './failover.js';
import { HealthChecks, type HealthCheckSpec } from './health.js';
import type { Network } from '../net/network.js';

export type RoutingPolicy =
  | { kind: 'nearest' }
  | { kind: 'dns'; ttl_us: number; ignore_ttl_fraction: number; ignore_ttl_keep_us: number }
  | { kind: 'anycast'; convergence_us: number }
  | { kind: 'weighted'; error_rate_above: number; latency_penalty_per_ms: number; floor: number }
  | { kind: 'home'; repoint: boolean };

export interface RoutingSpec {
  policy: RoutingPolicy;
  health_check: HealthCheckSpec;
}

export interface RoutingHost {
  move(c: ClientRt, node: number, reason: string, now: number): void;
  nodeAnswers(node: number, fromEndpoint: number): boolean;
}

export class GlobalRouting {
  readonly health: HealthChecks;
  private readonly regionOfNode: Int32Array;
  private readonly regionNodes: number[][];
  /** per client: regions nearest first from its own region */
  private readonly order: number[][];
  private readonly clientRegion: Int32Array;
  /** per client: its own routing stream (DNS cache phase, weighted draws) */
  private readonly rngs: Rng[];
  /** per client (dns): whether its resolver ignores the TTL */
  private readonly ignoresTtl: boolean[];
  /** per vantage region (weighted): the current weights, recomputed on each probe result */
  private readonly weights: Float64Array[];

  constructor(
    private readonly spec: RoutingSpec,
    private readonly layout: Layout,
    net: Network,
    private readonly clients: readonly ClientRt[],
    private readonly sched: Scheduler,
    private readonly host: RoutingHost,
    seed: number,
  ) {
    this.regionOfNode = Int32Array.from(layout.nodes, (n) => n.regionIndex);
    this.regionNodes = layout.regions.map((r) => layout.nodes.filter((n) => n.region === r).map((n) => n.index));
    this.order = clients.map((c) => nearestFirst(layout.regions, c.region, (a, b) => net.baseLatency(a, b)));
    this.clientRegion = Int32Array.from(clients, (c) => layout.regions.indexOf(c.region));
    this.rngs = clients.map((c) => stream(seed, `routing/${c.id}`));
    const p = spec.policy;
    this.ignoresTtl = clients.map((_, i) => p.kind === 'dns' && (this.rngs[i] as Rng).next() < p.ignore_ttl_fraction);
    this.weights = layout.regions.map(() => new Float64Array(layout.regions.length));
    this.health = new HealthChecks(spec.health_check, layout, net, sched, host.nodeAnswers);
    this.health.onChange = (v, r, healthy, now) => this.onHealth(v, r, healthy, now);
    this.health.onResult = (v, now) => this.onProbeResult(v, now);
  }

  start(): void {
    this.health.start();
    const p = this.spec.policy;
    if (p.kind === 'dns') {
      // caches were filled at unrelated times: the first expiry of each is spread over a TTL
      this.clients.forEach((c, i) => {
        const keep = this.ignoresTtl[i] ? p.ignore_ttl_keep_us : p.ttl_us;
        this.sched.at(1 + Math.floor((this.rngs[i] as Rng).next() * keep), { k: 'dns', client: c.index });
      });
    }
    if (p.kind === 'weighted') this.layout.regions.forEach((_, v) => this.reweigh(v));
  }

  /** The node for a new op (weighted draws one region per op; other policies keep `c.node`). */
  target(c: ClientRt): number {
    const p = this.spec.policy;
    if (p.kind !== 'weighted') return c.node;
    const w = this.weights[this.clientRegion[c.index] as number] as Float64Array;
    let total = 0;
    for (let r = 0; r < w.length; r++) total += w[r] as number;
    if (total <= 0) return c.node;
    let x = (this.rngs[c.index] as Rng).next() * total;
    for (let r = 0; r < w.length; r++) {
      x -= w[r] as number;
      if (x < 0) return r === this.regionOfNode[c.node] ? c.node : this.nodeIn(c, r);
    }
    return c.node;
  }

  /** A client's DNS answer expired: resolve again, and keep the answer for the TTL. */
  onDns(c: ClientRt, now: number): void {
    const p = this.spec.policy;
    if (p.kind !== 'dns') return;
    this.goTo(c, this.nearestHealthy(c), 'dns', now);
    this.sched.after(this.ignoresTtl[c.index] ? p.ignore_ttl_keep_us : p.ttl_us, { k: 'dns', client: c.index });
  }

  /** Anycast: the routes seen from region `v` have converged; its clients follow. */
  onConverge(v: number, now: number): void {
    for (const c of this.clients) if (this.clientRegion[c.index] === v) this.goTo(c, this.nearestHealthy(c), 'anycast', now);
  }

  private onHealth(v: number, r: number, healthy: boolean, now: number): void {
    void r;
    void healthy;
    const p = this.spec.policy;
    switch (p.kind) {
      case 'nearest':
        for (const c of this.clients) if (this.clientRegion[c.index] === v) this.goTo(c, this.nearestHealthy(c), 'nearest', now);
        return;
      case 'home':
        if (!p.repoint) return;
        for (const c of this.clients) if (this.clientRegion[c.index] === v) this.goTo(c, this.nearestHealthy(c), 'home', now);
        return;
      case 'anycast':
        this.sched.after(p.convergence_us, { k: 'converge', v });
        return;
      case 'weighted':
        this.reweigh(v);
        for (const c of this.clients) if (this.clientRegion[c.index] === v) this.goTo(c, this.heaviest(c), 'weighted', now);
        return;
      case 'dns':
        return; // clients see it when their cached answer expires
      default: {
        const never: never = p;
        throw new Error(`unknown routing policy ${JSON.stringify(never)}`);
      }
    }
  }

  /** A probe result changed region `v`'s view: recompute its weights (weighted only). */
  onProbeResult(v: number, now: number): void {
    if (this.spec.policy.kind !== 'weighted') return;
    this.reweigh(v);
    for (const c of this.clients) if (this.clientRegion[c.index] === v) this.goTo(c, this.heaviest(c), 'weighted', now);
  }

  private reweigh(v: number): void {
    const p = this.spec.policy;
    if (p.kind !== 'weighted') return;
    const w = this.weights[v] as Float64Array;
    for (let r = 0; r < w.length; r++) {
      const h = this.health;
      if (!h.healthy(v, r) || h.errorRate(v, r) > p.error_rate_above) w[r] = 0;
      else w[r] = Math.max(p.floor, 1 - p.latency_penalty_per_ms * (h.rtt_us(v, r) / 1000));
    }
  }

  /** The region with the largest weight (ties: the nearer), where the client's `node` points. */
  private heaviest(c: ClientRt): number {
    const w = this.weights[this.clientRegion[c.index] as number] as Float64Array;
    let best = -1;
    for (const r of this.order[c.index] as number[]) if (best < 0 || (w[r] as number) > (w[best] as number)) best = r;
    return best < 0 || (w[best] as number) <= 0 ? (this.regionOfNode[c.node] as number) : best;
  }

  private nearestHealthy(c: ClientRt): number {
    const v = this.clientRegion[c.index] as number;
    const order = this.order[c.index] as number[];
    return order.find((r) => this.health.healthy(v, r)) ?? (order[0] as number);
  }

  private goTo(c: ClientRt, r: number, reason: string, now: number): void {
    if (r === this.regionOfNode[c.node]) return;
    this.host.move(c, this.nodeIn(c, r), reason, now);
  }

  private nodeIn(c: ClientRt, r: number): number {
    return nodeInRegion(c, r, this.regionOfNode, this.regionNodes);
  }
}
