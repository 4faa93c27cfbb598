/**
 * Runs many scenarios on worker threads (node:worker_threads), up to the number of cores.
 * Results come back in input order whatever order the workers finish in; `onDone` reports
 * each completion as it happens (for a progress bar). With `workers: 0` everything runs in
 * the calling thread, one after another.
 *
 * From the compiled package the worker is dist/suite/worker.js. From TypeScript sources
 * (tests run by vitest, `tsx`) the worker loads worker.ts through tsx's loader.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import { runJob, type JobReply, type JobRequest } from './job.js';
import type { RunResult } from '../run/result.js';

export type PoolOutcome =
  | { ok: true; result: RunResult; wall_ms: number | null; nondeterministic?: string }
  | { ok: false; error: string; wall_ms: number | null };

type Reply = { ok: true; result: RunResult; nondeterministic?: string } | { ok: false; error: string };

export interface PoolOptions {
  /** number of worker threads; 0 runs in this thread; default: min(cores, jobs) */
  workers?: number;
  /** order in which to start the jobs (indexes into `scenarios`), e.g. longest first; default: input order */
  order?: readonly number[];
  /** called as each job completes, with its input index */
  onDone?: (index: number, outcome: PoolOutcome) => void;
  /** monotonic milliseconds, for per-job wall time (src/suite reads no clock itself) */
  wallClock?: () => number;
  /** run module-engine scenarios twice and report differing histories (`replsim test`) */
  guardDeterminism?: boolean;
}

/** Default number of workers for `jobs` jobs. */
export function defaultWorkers(jobs: number): number {
  return Math.max(1, Math.min(availableParallelism(), jobs));
}

/** Runs every scenario; the i-th outcome belongs to the i-th scenario. */
export async function runPool(scenarios: readonly Scenario[], opts: PoolOptions = {}): Promise<PoolOutcome[]> {
  const n = scenarios.length;
  const order = opts.order ? [...opts.order] : scenarios.map((_, i) => i);
  const results: Array<PoolOutcome | undefined> = new Array(n).fill(undefined);
  const clock = opts.wallClock;
  const finish = (i: number, reply: Reply, started: number | undefined) => {
    const wall_ms = clock && started !== undefined ? clock() - started : null;
    const out: PoolOutcome = !reply.ok
      ? { ok: false, error: reply.error, wall_ms }
      : reply.nondeterministic === undefined
        ? { ok: true, result: reply.result, wall_ms }
        : { ok: true, result: reply.result, wall_ms, nondeterministic: reply.nondeterministic };
    results[i] = out;
    opts.onDone?.(i, out);
  };

  const request = (i: number): JobRequest => {
    const scenario = scenarios[i] as Scenario;
    return opts.guardDeterminism && scenario.engine.type === 'module' ? { id: i, scenario, twice: true } : { id: i, scenario };
  };
  const workers = Math.min(opts.workers ?? defaultWorkers(n), n);
  if (workers <= 0) {
    for (const i of order) {
      const started = clock?.();
      finish(i, runJob(request(i)), started);
    }
  } else {
    await new Promise<void>((resolve) => {
      let next = 0;
      let running = 0;
      const startWorker = () => {
        const w = spawnWorker();
        let current: { i: number; started: number | undefined } | undefined;
        const feed = () => {
          if (next >= order.length) {
            current = undefined;
            void w.terminate();
            return;
          }
          const i = order[next++] as number;
          current = { i, started: clock?.() };
          w.postMessage(request(i));
        };
        running++;
        w.on('message', (reply: JobReply) => {
          if (current && reply.id === current.i) finish(current.i, reply, current.started);
          feed();
        });
        w.on('error', (e) => {
          // A worker that dies takes only its current job with it; the rest go on elsewhere.
          if (current) finish(current.i, { ok: false, error: `worker crashed: ${e.message}` }, current.started);
          current = undefined;
        });
        w.on('exit', () => {
          running--;
          if (next < order.length) startWorker();
          else if (running === 0) resolve();
        });
        feed();
      };
      for (let k = 0; k < workers; k++) startWorker();
    });
  }
  return results.map((r, i) => r ?? { ok: false, error: `job ${i} produced no result`, wall_ms: null });
}

function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  // Running from sources: register tsx's loader inside the worker, then import worker.ts.
  const target = new URL('./worker.ts', here).href;
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true });
}

function tsxApiUrl(): string {
  const cjs = createRequire(fileURLToPath(import.meta.url)).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}
