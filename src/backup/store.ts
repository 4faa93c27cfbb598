/**
 * The simulated S3-compatible object store: where it is, how long a request and a transfer
 * take, and its own faults. Pure functions of the spec and the time; reachability through
 * the network (a partition cutting the store's region off) is the caller's question.
 */
import type { ObjectStoreSpec } from '../scenario/types.js';

/** The store's condition at `now`: reachable requests and the slow-down of transfers. */
export interface StoreCondition {
  available: boolean;
  /** transfers take this many times longer (1: normal) */
  factor: number;
}

export function storeCondition(spec: ObjectStoreSpec, now_us: number): StoreCondition {
  let available = true;
  let factor = 1;
  for (const f of spec.faults) {
    if (now_us < f.at_us || now_us >= f.at_us + f.for_us) continue;
    if (f.kind === 'unavailable') available = false;
    else factor = Math.max(factor, f.factor);
  }
  return { available, factor };
}

/**
 * Microseconds one transfer of `bytes` takes: a request round trip (the store's own latency
 * plus the network's one-way latency each way) and the bytes at the store's bandwidth, slowed
 * by `factor`. Linear in `bytes` at fixed bandwidth, which the RTO test checks.
 */
export function transferUs(spec: ObjectStoreSpec, bytes: number, networkOneWay_us: number, factor: number): number {
  const request = spec.latency_us + 2 * networkOneWay_us;
  const body = (bytes / spec.bandwidth_bytes_per_s) * 1e6 * factor;
  return Math.ceil(request + body);
}
