/**
 * Default run limits of the `limits:` section. Each sits far above what any built-in scenario
 * uses (measured with bench/limits.mjs; figures in docs/limits.md) and far
 * below what takes a machine down.
 */
export const LIMIT_DEFAULTS = {
  /** 8 GiB of JSON lines (partition-2h, the largest built-in, writes 1.06 GB) */
  max_history_bytes: 8 * 1024 * 1024 * 1024,
  /**
   * 16 KiB for one record, a set of ~2,300 elements (built-ins: at most 1.3 KB). The OR-set
   * flood of issue 20.5 stops here after 0.5 s simulated, in 29 s and 466 MB; at 64 KiB it
   * took 4 minutes of CPU and 1.2 GB, as every apply carries the whole set.
   */
  max_value_bytes: 16 * 1024,
  /** 512 MiB of replica values */
  max_state_bytes: 512 * 1024 * 1024,
  /** MiB of JavaScript heap; capped at 80% of V8's limit */
  max_heap_mb: 3072,
} as const;
