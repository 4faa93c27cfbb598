/** One pool job: a scenario in, a run result or an error (as data) out. Shared by the worker and the in-thread mode. */
import { runScenario } from '../run/run.js';
import type { RunResult } from '../run/result.js';
import type { Scenario } from '../scenario/types.js';
import { runTwice } from './determinism.js';

export interface JobRequest {
  id: number;
  scenario: Scenario;
  /** run twice and compare the histories (`replsim test` does for module engines) */
  twice?: boolean;
}

/** `nondeterministic`: with `twice`, why the two runs' histories differed. */
export type JobReply = { id: number; ok: true; result: RunResult; nondeterministic?: string } | { id: number; ok: false; error: string };

/** Runs the scenario; an unavailable engine or a crash of the run becomes `{ ok: false }`. */
export function runJob(req: JobRequest): JobReply {
  try {
    if (req.twice) {
      const g = runTwice(req.scenario);
      if (!g.ok) return { id: req.id, ok: false, error: g.error };
      return g.nondeterministic === undefined
        ? { id: req.id, ok: true, result: g.result }
        : { id: req.id, ok: true, result: g.result, nondeterministic: g.nondeterministic };
    }
    const r = runScenario(req.scenario);
    return r.ok ? { id: req.id, ok: true, result: r.result } : { id: req.id, ok: false, error: r.error };
  } catch (e) {
    return { id: req.id, ok: false, error: `internal error: ${crashText(e)}` };
  }
}

/**
 * An error thrown by a run, with where it was thrown: its first three stack frames, paths from
 * the package's src/ or dist/ on. One line; enough to report the bug, or to find it again.
 */
export function crashText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 3)
    .map((l) => l.trim().slice(3).replace(/(?:file:\/\/)?[^\s(]*?\/((?:src|dist)\/)/, '$1'));
  return frames.length === 0 ? e.message : `${e.message} (at ${frames.join(' < ')})`;
}
