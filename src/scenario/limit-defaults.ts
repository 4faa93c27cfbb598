/**
 * Default run limits of the `limits:` section. Each sits far above what any built-in scenario
 * uses (measured with bench/limits.mjs; figures in docs/limits.md) and far
 * below what takes a machine down.
 */
export const LIMIT_DEFAULTS = {
  /** 8 GiB of JSON lines (partition-2h, the largest built-in, writes 1.06 GB) */
  max_history_bytes: 8 * 1024 * 1024 * 1024,
  /** 64 KiB for one record, a set of ~9,000 elements (built-ins: at most 1.3 KB) */
  max_value_bytes: 64 * 1024,
  /** 512 MiB of replica values */
  max_state_bytes: 512 * 1024 * 1024,
  /** MiB of JavaScript heap; capped at 80% of V8's limit */
  max_heap_mb: 3072,
} as const;
