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
  | { k: 'reroute'; client: number };

/** What the traffic layer needs of the kernel: the time, and scheduling its own events. */
export interface Scheduler {
  readonly now: number;
  at(at: number, e: TrafficEv): void;
  after(delay_us: number, e: TrafficEv): void;
}
