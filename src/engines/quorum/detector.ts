/**
 * Failure detection: a phi-accrual detector (Hayashibara et al. 2004, as Cassandra implements
 * it) per peer, fed by the arrivals of the peer's newer heartbeat versions through gossip
 * (gossip.ts). With exponentially distributed arrivals, phi = (t / mean) / ln 10, where t is
 * the time since the last arrival and mean the mean of recent arrival intervals. A peer is
 * believed down while phi > `phi_convict_threshold` (8: about 18.4 mean intervals of silence)
 * and up again at the next arrival of a newer version.
 *
 * Times are this node's own clock: a clock step shifts them all (as it would in Cassandra).
 */
import type { NodeId } from '../../sim/ids.js';
import type { QuorumCfg } from './config.js';

/** Cassandra's PHI_FACTOR: 1 / ln 10. */
const PHI_FACTOR = 1 / Math.LN10;
/** arrival intervals kept per peer (Cassandra keeps 1000; the mean settles long before) */
const WINDOW = 100;

export interface PeerFd {
  /** own clock at the last heartbeat (or at start) */
  last_us: number;
  intervals: number[];
  next: number;
  sum_us: number;
  /** what the detector last said: up, or down since `downSince_us` (the last heartbeat) */
  up: boolean;
  downSince_us: number;
  /** the newest heartbeat known: the peer's generation (bumped by restarts) and version */
  gen: number;
  ver: number;
}

export function newPeerFd(now_us: number): PeerFd {
  return { last_us: now_us, intervals: [], next: 0, sum_us: 0, up: true, downSince_us: 0, gen: -1, ver: 0 };
}

/** phi of a peer at `now_us`; the mean interval starts at the gossip interval. */
export function phiOf(c: QuorumCfg, fd: PeerFd, now_us: number): number {
  const mean = fd.intervals.length > 0 ? fd.sum_us / fd.intervals.length : c.spec.gossip_interval_us;
  const t = Math.max(0, now_us - fd.last_us);
  return (PHI_FACTOR * t) / Math.max(1, mean);
}

/**
 * Whether this node believes `peer` is up at `now_us` (itself always). Records the transition
 * to down, so the hint window counts from the last heartbeat.
 */
export function believedUp(c: QuorumCfg, fds: Map<NodeId, PeerFd>, self: NodeId, peer: NodeId, now_us: number): boolean {
  if (peer === self) return true;
  const fd = fds.get(peer);
  if (fd === undefined) return true;
  // A convicted peer stays down until its next heartbeat (onHeartbeat), whatever phi says.
  if (phiOf(c, fd, now_us) <= c.spec.phi_convict_threshold) return fd.up;
  if (fd.up) {
    fd.up = false;
    fd.downSince_us = fd.last_us;
  }
  return false;
}

/**
 * Records that the peer's heartbeat reached (gen, ver), learnt directly or through others;
 * nothing newer than known is no arrival. Returns true when the peer was believed down (it
 * is up again: replay its hints). Intervals longer than twice the gossip interval are
 * outages, not the heartbeat rate, and are left out of the mean (Cassandra ignores intervals
 * above its MAX_INTERVAL).
 */
export function learnHeartbeat(c: QuorumCfg, fd: PeerFd, gen: number, ver: number, now_us: number): boolean {
  if (gen < fd.gen || (gen === fd.gen && ver <= fd.ver)) return false;
  fd.ver = ver;
  const interval = now_us - fd.last_us;
  if (fd.gen === gen && interval > 0 && interval <= 2 * c.spec.gossip_interval_us) {
    if (fd.intervals.length < WINDOW) fd.intervals.push(interval);
    else {
      fd.sum_us -= fd.intervals[fd.next] as number;
      fd.intervals[fd.next] = interval;
      fd.next = (fd.next + 1) % WINDOW;
    }
    fd.sum_us += interval;
  }
  fd.gen = gen;
  fd.last_us = now_us;
  const wasDown = !fd.up;
  fd.up = true;
  return wasDown;
}
