/**
 * The library side of `replsim sweep`: runs a plan's runs (or one shard of them) on the
 * worker pool of `replsim test`, in chunks so that only small records, not whole results with
 * their witnesses, stay in memory, and hands each record on as it completes.
 */
import { runPool } from '../suite/pool.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioOf, shardRuns, type Shard, type SweepPlan } from './plan.js';
import { errorRecord, recordOf, type RecordKey, type RunRecord } from './record.js';

/** Runs handed to the pool at once: enough to keep every worker busy, few enough to bound memory. */
export const CHUNK_RUNS = 256;

export interface SweepOptions {
  shard?: Shard;
  /** worker threads; 0 runs in this thread; default up to the number of cores */
  workers?: number;
  /** called as each run completes (in completion order), with how many are done */
  onRecord?: (r: RunRecord, done: number, total: number) => void;
}

/** Runs the plan's runs of the shard; records come back sorted by run number. */
export async function runSweep(plan: SweepPlan, opts: SweepOptions = {}): Promise<RunRecord[]> {
  const runs = shardRuns(plan.header.runs, opts.shard);
  const records: RunRecord[] = [];
  let done = 0;
  const emit = (r: RunRecord) => {
    records.push(r);
    opts.onRecord?.(r, ++done, runs.length);
  };
  for (let c = 0; c < runs.length; c += CHUNK_RUNS) {
    const chunk = runs.slice(c, c + CHUNK_RUNS);
    const jobs: Array<{ key: RecordKey; scenario: Scenario; expectsInvariant: boolean }> = [];
    for (const i of chunk) {
      const s = scenarioOf(plan, i);
      const key: RecordKey = { run: i, point: s.point.index, seed: s.seed, settings: s.point.settings, ...(s.draw ? { swarm: s.draw } : {}) };
      if (!s.scenario.ok) emit(errorRecord(key, s.scenario.error));
      else jobs.push({ key, scenario: s.scenario.value, expectsInvariant: s.scenario.value.expect.some((e) => e.name === 'invariant') });
    }
    if (jobs.length === 0) continue;
    await runPool(
      jobs.map((j) => j.scenario),
      {
        ...(opts.workers === undefined ? {} : { workers: opts.workers }),
        onDone: (k, out) => {
          const j = jobs[k];
          if (!j) return;
          emit(out.ok ? recordOf(j.key, out.result, j.expectsInvariant) : errorRecord(j.key, out.error));
        },
      },
    );
  }
  return records.sort((a, b) => a.run - b.run);
}
