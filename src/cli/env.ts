/** The CLI's view of its environment: colour, the wall clock and the heap (src/cli may read the process). */
import { getHeapStatistics } from 'node:v8';
import type { HeapProbe } from '../run/limits.js';
import type { Io } from './io.js';

/** Colour when asked, else when writing to a TTY and NO_COLOR is unset. */
export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTTY;
}

/**
 * Milliseconds from a monotonic clock, for wall_seconds and check_ms. process.hrtime rather
 * than the global `performance`, whose first use loads perf_hooks (~2 ms of a cold start).
 */
export function wallClock(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** The heap in use and V8's limit, for the `max_heap_mb` run limit. */
export function heapProbe(): HeapProbe {
  return {
    used_mb: () => getHeapStatistics().used_heap_size / (1024 * 1024),
    limit_mb: getHeapStatistics().heap_size_limit / (1024 * 1024),
  };
}
