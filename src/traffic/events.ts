/**
 * The traffic layer's events: clients generating and timing out operations, replies reaching
 * them, and the health probes that failover and routing send over the simulated network.
 * The world (src/run/world.ts) routes these kinds to the traffic layer and the rest to nodes.
 */
import type { OpResult } from '../engines/engine.js';

export type TrafficEv =
  | { k: 'gen'; client: number }
  | { k: 'script'; index: number }
  | { k: 'rep'; client: number; op: number; result: OpResult }
  | { k: 'timeout'; client: number }
  /** a client's failover probe round (only while it is away from a region it gave up on) */
  | { k: 'probe_tick'; client: number }
  /** a probe reaching a node (`back`: false) or its answer reaching the client (`back`: true) */
  | { k: 'probe'; client: number; node: number; back: boolean }
  /** a client re-reads where to send its ops (its DNS answer expired) */
  | { k: 'reroute'; client: number }
  /** a client's next attempt of logical op `op` (after its backoff) */
  | { k: 'retry'; client: number; op: number }
  /** hedge logical op `op` if it is still unanswered */
  | { k: 'hedge'; client: number; op: number }
  /** a round of global-routing health checks */
  | { k: 'hc_tick' }
  /** a health probe from vantage region `v` to a node of region `r`, or its answer */
  | { k: 'hc'; v: number; r: number; node: number; seq: number; back: boolean }
  /** a health probe's timeout */
  | { k: 'hc_due'; v: number; r: number; seq: number }
  /** a client's DNS answer expired: it resolves again */
  | { k: 'dns'; client: number }
  /** anycast routes from vantage region `v` converged on the health seen `convergence` ago */
  | { k: 'converge'; v: number };

/** What the traffic layer needs of the kernel: the time, and scheduling its own events. */
export interface Scheduler {
  readonly now: number;
  at(at: number, e: TrafficEv): void;
  after(delay_us: number, e: TrafficEv): void;
}
