/**
 * Replication lag as a monitor sees it while the run goes on: for each node, the age of the
 * oldest acknowledged write whose key the node should hold (by the scenario's placement) and
 * whose state there is still older than that write (no write of the key invoked at or after
 * it has been applied there); 0 when the node is caught up. A partition makes it grow at
 * once, not only when the writes finally arrive. A write that lost to a newer one (LWW skips
 * it) counts as delivered once the newer one is applied. Fed the history records as written.
 */
import type { HistoryRecord } from '../history/types.js';

interface Acked {
  key: string;
  invoke_t: number;
  ack_t: number;
  replicas: readonly number[];
}

export class LagMonitor {
  /** open writes: op → key and invoke time */
  private readonly open = new Map<number, { key: string; invoke_t: number }>();
  /** invoke time of every op seen (for applies that come after its completion) */
  private readonly invokeT = new Map<number, number>();
  /** per node: key → latest invoke time among the writes applied there */
  private readonly held: Array<Map<string, number>>;
  /** acked writes in ack order; entries at the head are dropped once every replica holds them */
  private queue: Acked[] = [];
  private head = 0;

  constructor(
    private readonly nodeIndex: ReadonlyMap<string, number>,
    private readonly replicasOf: (key: string) => readonly number[],
    /** bound on writes tracked at once; beyond it the oldest are forgotten (lag is then a lower bound) */
    private readonly max = 1_000_000,
  ) {
    this.held = [...nodeIndex.keys()].map(() => new Map());
  }

  observe(r: HistoryRecord): void {
    switch (r.type) {
      case 'invoke':
        if (r.f === 'read') return;
        this.open.set(r.op, { key: r.key, invoke_t: r.t });
        this.invokeT.set(r.op, r.t);
        if (this.invokeT.size > this.max) this.invokeT.delete(this.invokeT.keys().next().value as number);
        return;
      case 'apply': {
        if (r.op === undefined) return;
        const node = this.nodeIndex.get(r.node);
        const t = this.invokeT.get(r.op);
        if (node === undefined || t === undefined) return;
        const held = this.held[node] as Map<string, number>;
        if ((held.get(r.key) ?? -1) < t) held.set(r.key, t);
        return;
      }
      case 'ok': {
        const o = this.open.get(r.op);
        if (!o) return;
        this.open.delete(r.op);
        this.queue.push({ key: o.key, invoke_t: o.invoke_t, ack_t: r.t, replicas: this.replicasOf(o.key) });
        if (this.queue.length - this.head > this.max) this.head++;
        return;
      }
      case 'fail':
      case 'info':
        this.open.delete(r.op);
        return;
      default:
        return;
    }
  }

  private owedAt(e: Acked, node: number): boolean {
    return ((this.held[node] as Map<string, number>).get(e.key) ?? -1) < e.invoke_t;
  }

  /** The largest lag (µs) now among `nodes`. */
  maxLag_us(now: number, nodes: readonly number[]): number {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head] as Acked;
      if (e.replicas.some((n) => this.owedAt(e, n))) break;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    let worst = 0;
    for (const n of nodes) {
      for (let i = this.head; i < this.queue.length; i++) {
        const e = this.queue[i] as Acked;
        if (e.replicas.includes(n) && this.owedAt(e, n)) {
          worst = Math.max(worst, now - e.ack_t);
          break;
        }
      }
    }
    return worst;
  }
}
