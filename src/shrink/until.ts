/**
 * What "still fails" means while shrinking. `--until 'lost_update>=1'` names an anomaly count
 * or a metric and a comparison; without it, a candidate still fails when every expectation
 * that failed in the original run still fails (the same failure, not just any failure).
 * A value that is null (not applicable, unknown) never satisfies `--until`: unknown is never
 * a reproduction.
 */
import { compare, evaluateExpectations, expectNameError, parseComparison } from '../scenario/expect.js';
import type { Expectation } from '../scenario/types.js';
import type { RunResult } from '../run/result.js';
import { expectValue } from '../run/expect-values.js';
import type { Parsed } from '../sweep/values.js';

export type FailureTest =
  | { kind: 'until'; text: string; expectation: Expectation }
  | { kind: 'unmet'; names: string[] };

/** `lost_update>=1`, `stale_read > 0`, `availability < 0.9`. */
export function parseUntil(text: string): Parsed<FailureTest> {
  const m = /^\s*([A-Za-z0-9_./-]+)\s*((?:>=|<=|==|>|<).*)$/.exec(text);
  if (!m) return { ok: false, error: `--until: expected NAME OP NUMBER, e.g. 'lost_update>=1' or 'availability<0.9', got "${text}"` };
  const name = m[1] as string;
  const bad = expectNameError(name);
  if (bad) return { ok: false, error: `--until: ${bad}` };
  const c = parseComparison(m[2] as string);
  if (!c.ok) return { ok: false, error: `--until: ${c.error}` };
  return { ok: true, value: { kind: 'until', text: text.trim(), expectation: { name, op: c.op, value: c.value, want: c.want } } };
}

/** The test for "fails like the original" from the original run's result. */
export function unmetTest(original: RunResult): FailureTest {
  return { kind: 'unmet', names: original.expect.filter((e) => !e.met).map((e) => e.name) };
}

/** Whether `r` fails in the sense of `t`. */
export function stillFails(t: FailureTest, r: RunResult): boolean {
  if (t.kind === 'until') {
    const [res] = evaluateExpectations([t.expectation], (name) => expectValue(r.anomalies, r.metrics, name));
    return res !== undefined && res.got !== null && compare(res.got, t.expectation.op, t.expectation.value);
  }
  if (t.names.length === 0) return false;
  const unmet = new Set(r.expect.filter((e) => !e.met).map((e) => e.name));
  return t.names.every((n) => unmet.has(n));
}

/** For the header comment and progress: what is being kept failing. */
export function describeTest(t: FailureTest): string {
  return t.kind === 'until' ? t.text : `unmet expectations: ${t.names.join(', ')}`;
}
