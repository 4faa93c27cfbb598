/**
 * `replsim compare FILE --vary PATH=v1,v2`: one scenario with one field set to each value
 * (any field: `workload.read_from`, `workload.failover.dns_ttl`, `engine.recovery`,
 * `faults.0.at`), run side by side on the same traffic. Several `--vary` flags multiply.
 * The syntax is `replsim sweep`'s. Each value is YAML (`10s`, `true`, `3`), written into the
 * file's text, so a variant is validated and resolved exactly as the file would be.
 */
import { parse, parseDocument } from 'yaml';
import { prepareLoaded } from '../run/prepare.js';
import { formatError, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { runPool } from '../suite/pool.js';
import { rowOf, type CompareOptions, type CompareResult, type CompareRow } from './compare.js';

/** One `--vary`: a field path and the values to give it. */
export interface Vary {
  path: Array<string | number>;
  /** the path as typed, for labels */
  name: string;
  values: string[];
}

/** Parses `PATH=v1,v2` (at least one value; a path of dotted names and list indexes). */
export function parseVary(text: string): { ok: true; vary: Vary } | { ok: false; error: string } {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  const values = eq < 0 ? [] : text.slice(eq + 1).split(',').map((v) => v.trim());
  if (!name || values.length === 0 || values.some((v) => v === '') || !/^[A-Za-z0-9_.-]+$/.test(name) || name.split('.').some((p) => p === '')) {
    return { ok: false, error: `--vary: expected PATH=v1,v2 (e.g. workload.read_from=local,quorum), got "${text}"` };
  }
  return { ok: true, vary: { name, path: name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), values } };
}

/** Every combination of the values, first `--vary` slowest: labels and scenario texts. */
export function variantTexts(source: string, varies: readonly Vary[]): Array<{ label: string; text: string }> {
  let combos: Array<Array<{ vary: Vary; value: string }>> = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((value) => [...c, { vary: v, value }]));
  return combos.map((c) => {
    const doc = parseDocument(source, { version: '1.2', merge: false });
    for (const { vary, value } of c) doc.setIn(vary.path, parse(value, { version: '1.2' }));
    return { label: c.map(({ vary, value }) => `${vary.name}=${value}`).join(' '), text: doc.toString() };
  });
}

/** Runs `file` once per variant; a variant that is not a valid scenario is a row with its error. */
export async function compareVaried(file: string, source: string, varies: readonly Vary[], opts: CompareOptions = {}): Promise<CompareResult> {
  const variants = variantTexts(source, varies);
  const prepared = await Promise.all(
    variants.map(async (v) => {
      const loaded = await prepareLoaded(parseScenario(v.text, file), file);
      if (!loaded.ok) return { label: v.label, error: loaded.errors.map(formatError).join('; ') };
      const scenario: Scenario = opts.seed === undefined ? loaded.scenario : { ...loaded.scenario, seed: opts.seed };
      return { label: v.label, scenario };
    }),
  );
  const runnable = prepared.flatMap((p, at) => ('scenario' in p && p.scenario ? [{ at, scenario: p.scenario }] : []));
  let done = 0;
  const outcomes = await runPool(
    runnable.map((r) => r.scenario),
    {
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      onDone: (k) => opts.onProgress?.(++done, runnable.length, prepared[runnable[k]?.at ?? 0]?.label ?? ''),
    },
  );
  const rows: CompareRow[] = prepared.map((p, i) => {
    if ('error' in p) return { setting: p.label, ok: false, error: p.error ?? 'invalid' };
    const out = outcomes[runnable.findIndex((r) => r.at === i)];
    if (!out) return { setting: p.label, ok: false, error: 'not run' };
    return out.ok ? rowOf(p.label, out.result) : { setting: p.label, ok: false, error: out.error };
  });
  const first = runnable[0]?.scenario;
  return { ok: true, report: { scenario: first?.name ?? file, file, seed: first?.seed ?? opts.seed ?? 0, rows } };
}
