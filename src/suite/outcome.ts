/**
 * Golden outcomes: what a scenario's run produced, recorded next to the scenario
 * (`x.yaml` → `x.outcome.json`) by `replsim test --update`. A later run that produces
 * different anomaly counts, operation counts or history is reported as drift, naming what
 * changed (`lost_update 14 → 9`): this is how CI catches a conflict-outcome regression that
 * still satisfies the scenario's own `expect` block.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ANOMALY_NAMES } from '../checker/types.js';
import type { RunResult } from '../run/result.js';

/** The recorded outcome of one scenario run. Counts are null where not applicable. */
export interface Outcome {
  scenario: string;
  engine: string;
  seed: number;
  ops: { total: number; ok: number; fail: number; info: number };
  anomalies: Record<string, number | null>;
  history_sha256: string;
}

/** `scenarios/x.yaml` → `scenarios/x.outcome.json`. */
export function outcomePath(scenarioFile: string): string {
  return scenarioFile.replace(/\.ya?ml$/, '') + '.outcome.json';
}

/** The part of a run result that is recorded. */
export function outcomeOf(r: RunResult): Outcome {
  const anomalies: Record<string, number | null> = {};
  for (const name of ANOMALY_NAMES) anomalies[name] = r.anomalies[name].count;
  return {
    scenario: r.scenario,
    engine: r.engine,
    seed: r.seed,
    ops: { total: r.ops.total, ok: r.ops.ok, fail: r.ops.fail, info: r.ops.info },
    anomalies,
    history_sha256: r.history_sha256,
  };
}

/** JSON with object keys sorted at every level, two-space indent and a final newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export type ReadOutcome =
  | { kind: 'missing' }
  | { kind: 'ok'; outcome: Outcome }
  | { kind: 'invalid'; error: string };

/** Reads a golden outcome file; a missing file is not an error (the scenario has none yet). */
export function readOutcome(path: string): ReadOutcome {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', error: `cannot read ${path}: ${(e as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', error: `${path}: not valid JSON (${(e as Error).message}); run --update to rewrite it` };
  }
  const bad = outcomeShapeError(data);
  if (bad) return { kind: 'invalid', error: `${path}: ${bad}; run --update to rewrite it` };
  return { kind: 'ok', outcome: data as Outcome };
}

function outcomeShapeError(d: unknown): string | undefined {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return 'expected a JSON object';
  const o = d as Record<string, unknown>;
  for (const k of ['scenario', 'engine', 'history_sha256'] as const) {
    if (typeof o[k] !== 'string') return `"${k}" should be a string`;
  }
  if (typeof o.seed !== 'number') return '"seed" should be a number';
  const ops = o.ops as Record<string, unknown> | null;
  if (ops === null || typeof ops !== 'object') return '"ops" should be an object';
  for (const k of ['total', 'ok', 'fail', 'info']) if (typeof ops[k] !== 'number') return `"ops.${k}" should be a number`;
  const an = o.anomalies as Record<string, unknown> | null;
  if (an === null || typeof an !== 'object') return '"anomalies" should be an object';
  for (const [k, v] of Object.entries(an)) if (v !== null && typeof v !== 'number') return `"anomalies.${k}" should be a number or null`;
  return undefined;
}

/**
 * Writes the outcome atomically: a temporary file in the same directory, then a rename, so
 * an interrupted `--update` never leaves half a golden file.
 */
export function writeOutcome(path: string, outcome: Outcome): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, stableJson(outcome));
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * What changed from the golden outcome `want` to `got`, one phrase each, in a fixed order:
 * identity (scenario, engine, seed), anomaly counts, operation counts, then the history hash.
 * Empty when nothing changed.
 */
export function outcomeDrift(want: Outcome, got: Outcome): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => a === b;
  for (const k of ['scenario', 'engine', 'seed'] as const) {
    if (!same(want[k], got[k])) out.push(`${k} ${String(want[k])} → ${String(got[k])}`);
  }
  const names = [...new Set([...Object.keys(want.anomalies), ...Object.keys(got.anomalies)])];
  const order = (n: string) => {
    const i = (ANOMALY_NAMES as readonly string[]).indexOf(n);
    return i < 0 ? ANOMALY_NAMES.length : i;
  };
  names.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const n of names) {
    const a = want.anomalies[n];
    const b = got.anomalies[n];
    if (!same(a ?? null, b ?? null)) out.push(`${n} ${count(a)} → ${count(b)}`);
  }
  for (const k of ['total', 'ok', 'fail', 'info'] as const) {
    if (!same(want.ops[k], got.ops[k])) out.push(`ops.${k} ${want.ops[k]} → ${got.ops[k]}`);
  }
  if (want.history_sha256 !== got.history_sha256) {
    out.push(`history ${want.history_sha256.slice(0, 12)}… → ${got.history_sha256.slice(0, 12)}…`);
  }
  return out;
}

function count(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : String(v);
}
