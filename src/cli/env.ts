/** The CLI's view of its environment: colour and the wall clock (src/cli may read real time). */
import type { Io } from './io.js';

/** Colour when asked, else when writing to a TTY and NO_COLOR is unset. */
export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTTY;
}

/** Milliseconds from a monotonic clock, for wall_seconds and check_ms. */
export function wallClock(): number {
  return performance.now();
}
