/**
 * Default run limits of the `limits:` section. Each sits far above what any built-in scenario
 * uses (measured with bench/limits.mjs; figures in docs/limits.md) and far
 * below what takes a machine down.
 */
export const LIMIT_DEFAULTS = {
  /** 2 GiB of JSON lines */
  max_history_bytes: 2 * 1024 * 1024 * 1024,
  /** 1 MiB for one record: a set of ~100,000 elements */
  max_value_bytes: 1024 * 1024,
  /** 512 MiB of replica values */
  max_state_bytes: 512 * 1024 * 1024,
  /** MiB of JavaScript heap; capped at 80% of V8's limit */
  max_heap_mb: 3072,
} as const;
