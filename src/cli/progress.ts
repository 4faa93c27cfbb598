/**
 * The sweep progress bar: cli-progress on stderr with an ETA, only when the output is a
 * terminal (a CI log or a pipe gets no bar, so its bytes stay the summary alone).
 */
import cliProgress from 'cli-progress';
import type { Io } from './io.js';

export interface Progress {
  /** runs done, and the second count (failed runs, or reductions kept) */
  update(done: number, failed: number): void;
  stop(): void;
}

const QUIET: Progress = { update: () => undefined, stop: () => undefined };

/** A bar for `total` runs when `io` is a terminal and `enabled`; a no-op otherwise. */
export function progressBar(io: Io, total: number, label: string, enabled: boolean, counted = 'failed'): Progress {
  if (!io.isTTY || !enabled || total <= 0) return QUIET;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {value}/{total} runs · {failed} ${counted} · ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { failed: 0 });
  return {
    update: (done, failed) => bar.update(done, { failed }),
    stop: () => bar.stop(),
  };
}
