/**
 * Client-side failover (`workload.failover: { detect, dns_ttl }`): a client whose requests to
 * its current region go unanswered for `detect` (plus `dns_ttl`, the time its resolver keeps
 * the old answer) gives that region up and moves to the nearest region it has not given up
 * on, by base latency from its home. While it is away it probes every region it gave up on
 * (a small request over the simulated network, every `detect`); once one answers, the client
 * re-reads its target `dns_ttl` later and goes back if that region is nearer (failback).
 *
 * Why timeouts are counted per region: a request sent to the old region before the move times
 * out after the move. Counting those against the new region moved clients on a second time,
 * to a farther region (the bug issue 15 names: us-east clients ending in ap-northeast, 75 ms
 * away, instead of eu-west, 35 ms), and nothing ever brought them home.
 */
import type { Network } from '../net/network.js';
import type { Layout } from '../run/topology.js';
import { nodeInRegion, type ClientRt } from './clients.js';
import type { Scheduler } from './events.js';

export interface FailoverSpec {
  detect_us: number;
  dns_ttl_us: number;
}

/** What failover asks of the world: move a client, and whether a node answers. */
export interface FailoverHost {
  move(c: ClientRt, node: number, reason: 'failover' | 'failback', now: number): void;
  nodeAnswers(node: number, fromEndpoint: number): boolean;
}

interface ClientFailover {
  /** when the first unanswered request of the current streak (to the current region) was sent */
  failingSince: number | undefined;
  /** regions given up on (index into layout.regions) */
  down: boolean[];
  downCount: number;
  /** regions nearest first from the client's home (home first) */
  order: number[];
  probing: boolean;
}

export class Failover {
  private readonly st: ClientFailover[];
  private readonly regionOfNode: Int32Array;
  private readonly regionNodes: number[][];

  constructor(
    private readonly spec: FailoverSpec,
    layout: Layout,
    private readonly net: Network,
    private readonly clients: readonly ClientRt[],
    private readonly timeout_us: number,
    private readonly sched: Scheduler,
    private readonly host: FailoverHost,
  ) {
    this.regionOfNode = Int32Array.from(layout.nodes, (n) => n.regionIndex);
    this.regionNodes = layout.regions.map((r) => layout.nodes.filter((n) => n.region === r).map((n) => n.index));
    this.st = clients.map((c) => ({
      failingSince: undefined,
      down: layout.regions.map(() => false),
      downCount: 0,
      order: nearestFirst(layout.regions, c.region, (a, b) => net.baseLatency(a, b)),
      probing: false,
    }));
  }

  /** An op sent to `node` got no answer in time. */
  onTimeout(c: ClientRt, node: number, now: number): void {
    if (this.regionOfNode[node] !== this.regionOfNode[c.node]) return; // sent before a move
    const s = this.st[c.index] as ClientFailover;
    if (s.failingSince === undefined) {
      s.failingSince = now - this.timeout_us;
      return;
    }
    if (now - s.failingSince < this.spec.detect_us + this.spec.dns_ttl_us) return;
    s.failingSince = undefined;
    const r = this.regionOfNode[c.node] as number;
    if (!s.down[r]) {
      s.down[r] = true;
      s.downCount++;
    }
    this.reroute(c, now);
    if (!s.probing) {
      s.probing = true;
      this.sched.after(this.spec.detect_us, { k: 'probe_tick', client: c.index });
    }
  }

  /** An op sent to `node` was answered. */
  onAnswer(c: ClientRt, node: number): void {
    if (this.regionOfNode[node] !== this.regionOfNode[c.node]) return;
    (this.st[c.index] as ClientFailover).failingSince = undefined;
  }

  /** Every `detect` while away: probe each region given up on. */
  onProbeTick(c: ClientRt, now: number): void {
    const s = this.st[c.index] as ClientFailover;
    if (s.downCount === 0) {
      s.probing = false;
      return;
    }
    for (const r of s.order) {
      if (!s.down[r]) continue;
      const node = this.nodeIn(c, r);
      const tx = this.net.transmit(c.endpoint, node, now);
      if (tx.dropped === false) this.sched.at(tx.times[0] as number, { k: 'probe', client: c.index, node, back: false });
    }
    this.sched.after(this.spec.detect_us, { k: 'probe_tick', client: c.index });
  }

  /** A probe reached its node, or its answer reached the client. */
  onProbe(c: ClientRt, node: number, back: boolean, now: number): void {
    if (!back) {
      if (!this.host.nodeAnswers(node, c.endpoint)) return;
      const tx = this.net.transmit(node, c.endpoint, now);
      if (tx.dropped === false) this.sched.at(tx.times[0] as number, { k: 'probe', client: c.index, node, back: true });
      return;
    }
    const s = this.st[c.index] as ClientFailover;
    const r = this.regionOfNode[node] as number;
    if (!s.down[r]) return;
    s.down[r] = false;
    s.downCount--;
    // The resolver keeps its old answer for the TTL: the client sees the recovered region then.
    this.sched.after(this.spec.dns_ttl_us, { k: 'reroute', client: c.index });
  }

  /** Sends the client to the nearest region it has not given up on (if that is not where it is). */
  reroute(c: ClientRt, now: number): void {
    const s = this.st[c.index] as ClientFailover;
    const best = s.order.find((r) => !s.down[r]);
    if (best === undefined || best === this.regionOfNode[c.node]) return;
    const reason = best === this.regionOfNode[c.homeNode] ? 'failback' : 'failover';
    s.failingSince = undefined;
    this.host.move(c, this.nodeIn(c, best), reason, now);
  }

  private nodeIn(c: ClientRt, r: number): number {
    return nodeInRegion(c, r, this.regionOfNode, this.regionNodes);
  }
}

/** Region indices by base latency from `home` (home first; ties in declaration order). */
export function nearestFirst(regions: readonly string[], home: string, latency: (a: string, b: string) => number): number[] {
  return regions
    .map((r, i) => ({ i, d: r === home ? -1 : latency(home, r) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.i);
}
