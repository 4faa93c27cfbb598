/**
 * Worker-thread entry of the scenario pool (pool.ts): runs one resolved scenario per
 * message and posts the outcome back. Runs are independent and deterministic, so which worker
 * runs which scenario never changes a result.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type JobRequest } from './job.js';

parentPort?.on('message', (req: JobRequest) => {
  parentPort?.postMessage(runJob(req));
});
