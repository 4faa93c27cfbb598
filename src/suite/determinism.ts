/**
 * The determinism guard of `replsim test` for module engines: a user's engine runs twice on
 * the same scenario and seed, in the same thread, and the two histories must be the same
 * bytes. Built-in engines are held to that by their own tests; a user's engine can break it
 * in ways replsim cannot see statically (a random draw or a host clock read in a step, state kept
 * in module scope), so it is checked where it matters, and the first differing record is shown.
 */
import type { HistoryRecord } from '../history/types.js';
import { serializeRecord } from '../history/serialize.js';
import { runScenario } from '../run/run.js';
import type { RunResult } from '../run/result.js';
import type { Scenario } from '../scenario/types.js';
import { NONDETERMINISM_CAUSES } from '../report/nondeterminism.js';

const MAX_SHOWN_CHARS = 200;

export type GuardedRun = { ok: true; result: RunResult; nondeterministic?: string } | { ok: false; error: string };

/** Runs `s` twice and compares the histories; `nondeterministic` says where they part. */
export function runTwice(s: Scenario): GuardedRun {
  const a = runScenario(s, { keepHistory: true });
  if (!a.ok) return a;
  const b = runScenario(s, { keepHistory: true });
  if (!b.ok) return { ok: false, error: `second run (determinism check): ${b.error}` };
  if (a.result.history_sha256 === b.result.history_sha256) return { ok: true, result: a.result };
  return { ok: true, result: a.result, nondeterministic: explainDifference(a.history ?? [], b.history ?? []) };
}

/** One line: the two hashes' records first differing, and the usual causes. */
export function explainDifference(a: readonly HistoryRecord[], b: readonly HistoryRecord[]): string {
  const n = Math.min(a.length, b.length);
  let i = 0;
  let left = '';
  let right = '';
  for (; i < n; i++) {
    left = serializeRecord(a[i] as HistoryRecord);
    right = serializeRecord(b[i] as HistoryRecord);
    if (left !== right) break;
  }
  const where =
    i < n
      ? `record ${i + 1} differs: ${clip(left)} vs ${clip(right)}`
      : `one history is longer (${a.length} vs ${b.length} records)`;
  return `nondeterministic engine: two runs with the same seed gave different histories (${where}); ${NONDETERMINISM_CAUSES}`;
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > MAX_SHOWN_CHARS ? `${t.slice(0, MAX_SHOWN_CHARS)}…` : t;
}
