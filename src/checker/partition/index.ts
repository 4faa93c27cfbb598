/**
 * The partitioned check of a big JSON Lines history (docs/checker.md, "Big histories"):
 * pass 1 (spill.ts) streams the file once into spill buckets by key and by op id under a
 * temporary directory, pass 2 (judge.ts) judges one bucket at a time and merge.ts joins the
 * findings into what the one-pass check reports. Memory follows a bucket, not the file.
 */
export { spillJsonl, type SpillResult, type Spilled } from './spill.js';
export { judgeSpilled } from './judge.js';
export type { PartitionedReport } from './merge.js';

/** Default working-set budget of one bucket (`replsim check --memory-mb`). */
export const DEFAULT_MEMORY_MB = 64;

/**
 * Bytes the one-pass check holds per byte of a jsonl file, measured (docs/checker.md: 590–614
 * MB on a 162 MB file, 324 MB on 160 MB with 1,000 keys): the bucket count keeps
 * bytes × this under the budget.
 */
export const WORK_PER_FILE_BYTE = 4;

/** More buckets than this would cost more in per-bucket passes than they save. */
export const MAX_BUCKETS = 4096;

/**
 * How many buckets a file of `fileBytes` needs so one bucket's working set stays under
 * `budgetBytes`; 1 means the file is small enough for the one-pass check.
 */
export function bucketsFor(fileBytes: number, budgetBytes: number): number {
  const need = Math.ceil((fileBytes * WORK_PER_FILE_BYTE) / Math.max(1, budgetBytes));
  return Math.min(MAX_BUCKETS, Math.max(1, need));
}
