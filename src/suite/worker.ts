/**
 * Worker-thread entry of the scenario pool (pool.ts): runs one resolved scenario per
 * message and posts the outcome back. Runs are independent and deterministic, so which worker
 * runs which scenario never changes a result.
 */
import { parentPort } from 'node:worker_threads';
import { ensureEngineModule } from '../run/prepare.js';
import { runJob, type JobReply, type JobRequest } from './job.js';

parentPort?.on('message', (req: JobRequest) => {
  // A module engine was imported by the main thread; each worker imports it for itself.
  void ensureEngineModule(req.scenario).then((m) => {
    const reply: JobReply = m.ok ? runJob(req) : { id: req.id, ok: false, error: m.error };
    parentPort?.postMessage(reply);
  });
});
