/**
 * Runs files (`sweep --out runs.jsonl`): a header line (what was swept, and which shard),
 * then one line per run in run order. Reading checks every line and names `file:line` on the
 * first bad one; merging checks that the shards belong to one sweep and joins them by run
 * number, whatever order the files come in.
 */
import { readBounded } from '../scenario/load.js';
import type { SweepHeader } from './plan.js';
import type { RunRecord } from './record.js';
import type { Parsed } from './values.js';

/** Largest runs file read (a million runs is about 1 GiB of lines; shard beyond that). */
export const MAX_RUNS_FILE_BYTES = 1024 * 1024 * 1024;

/** The file's text: the header, then the records sorted by run number. */
export function runsFileText(header: SweepHeader, records: readonly RunRecord[]): string {
  const sorted = [...records].sort((a, b) => a.run - b.run);
  return `${JSON.stringify(header)}\n${sorted.map((r) => JSON.stringify(r)).join('\n')}${sorted.length > 0 ? '\n' : ''}`;
}

export interface RunsFile {
  header: SweepHeader;
  records: RunRecord[];
}

/** Reads and checks a runs file; errors are one line naming `file:line`. */
export function readRunsFile(path: string): Parsed<RunsFile> {
  let text: string;
  try {
    const bytes = readBounded(path, MAX_RUNS_FILE_BYTES);
    if (bytes === undefined) return { ok: false, error: `${path}: larger than ${MAX_RUNS_FILE_BYTES} bytes; merge fewer runs per file` };
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return { ok: false, error: `${path}: no such file` };
    return { ok: false, error: `${path}: cannot read: ${e instanceof Error ? e.message : String(e)}` };
  }
  return parseRunsText(text, path);
}

/** Parses the text of a runs file (`name` is used in errors). */
export function parseRunsText(text: string, name: string): Parsed<RunsFile> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { ok: false, error: `${name}:1: empty file; expected a runs file written by replsim sweep --out` };
  let header: SweepHeader | undefined;
  const records: RunRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = `${name}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(lines[i] as string);
    } catch (e) {
      return { ok: false, error: `${at}: not JSON (${(e as Error).message})` };
    }
    if (i === 0) {
      const bad = headerError(v);
      if (bad) return { ok: false, error: `${at}: ${bad}` };
      header = v as SweepHeader;
      continue;
    }
    const bad = recordError(v, header as SweepHeader);
    if (bad) return { ok: false, error: `${at}: ${bad}` };
    records.push(v as RunRecord);
  }
  return { ok: true, value: { header: header as SweepHeader, records } };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function headerError(v: unknown): string | undefined {
  if (!isObj(v) || v.type !== 'sweep') return 'expected the header line of a runs file ({"type":"sweep",…}) written by replsim sweep --out';
  if (v.format !== 1) return `format ${JSON.stringify(v.format)}: this replsim reads format 1`;
  for (const k of ['scenario', 'file', 'source_sha256'] as const) if (typeof v[k] !== 'string') return `header: "${k}" should be a string`;
  if (!isObj(v.seeds) || !Number.isSafeInteger(v.seeds.first) || !Number.isSafeInteger(v.seeds.last)) return 'header: "seeds" should be {first, last}';
  if (!Array.isArray(v.vary) || !v.vary.every((x) => isObj(x) && typeof x.path === 'string' && Array.isArray(x.values) && x.values.length > 0)) {
    return 'header: "vary" should be a list of {path, values}';
  }
  if (typeof v.swarm !== 'boolean') return 'header: "swarm" should be true or false';
  if (!Number.isSafeInteger(v.runs) || (v.runs as number) < 0) return 'header: "runs" should be a count';
  const points = (v.vary as Array<{ values: unknown[] }>).reduce((n, x) => n * x.values.length, 1);
  const seeds = (v.seeds.last as number) - (v.seeds.first as number) + 1;
  if (points * seeds !== v.runs) return `header: "runs" is ${String(v.runs)} but the settings and seeds give ${points * seeds}`;
  if (v.shard !== undefined) {
    const s = v.shard;
    if (!isObj(s) || !Number.isSafeInteger(s.index) || !Number.isSafeInteger(s.count) || (s.index as number) < 1 || (s.index as number) > (s.count as number)) {
      return 'header: "shard" should be {index, count} with 1 <= index <= count';
    }
  }
  return undefined;
}

function recordError(v: unknown, h: SweepHeader): string | undefined {
  if (!isObj(v) || v.type !== 'run') return 'expected a run line ({"type":"run",…})';
  if (!Number.isSafeInteger(v.run) || (v.run as number) < 0 || (v.run as number) >= h.runs) return `"run" should be a run number below ${h.runs}`;
  const seeds = h.seeds.last - h.seeds.first + 1;
  const run = v.run as number;
  if (v.point !== Math.floor(run / seeds) || v.seed !== h.seeds.first + (run % seeds)) {
    return `run ${run} should be point ${Math.floor(run / seeds)}, seed ${h.seeds.first + (run % seeds)}`;
  }
  if (h.shard && run % h.shard.count !== h.shard.index - 1) return `run ${run} does not belong to shard ${h.shard.index}/${h.shard.count}`;
  if (typeof v.failed !== 'boolean') return '"failed" should be true or false';
  if (v.ok === false) return typeof v.error === 'string' ? undefined : '"error" should be a string';
  if (v.ok !== true) return '"ok" should be true or false';
  if (!isObj(v.anomalies) || !Object.values(v.anomalies).every((c) => c === null || (typeof c === 'number' && Number.isFinite(c) && c >= 0))) {
    return '"anomalies" should map each family to a count or null';
  }
  if (!isObj(v.metrics)) return '"metrics" should be an object';
  if (typeof v.history_sha256 !== 'string') return '"history_sha256" should be a string';
  return undefined;
}

/** The header without its shard: what every shard of one sweep shares. */
export function sweepOf(h: SweepHeader): SweepHeader {
  const { shard: _shard, ...rest } = h;
  return rest;
}

/**
 * Joins runs files of one sweep. Files may come in any order and may repeat a run (a retried
 * CI job) as long as the repeat is identical: the simulator is deterministic, so a differing
 * repeat means different code or inputs, and is an error.
 */
export function mergeRunsFiles(files: ReadonlyArray<{ name: string; file: RunsFile }>): Parsed<RunsFile> {
  if (files.length === 0) return { ok: false, error: 'merge: name at least one runs file' };
  const first = files[0] as { name: string; file: RunsFile };
  const sweep = sweepOf(first.file.header);
  const want = JSON.stringify(sweep);
  const byRun = new Map<number, { line: string; rec: RunRecord; from: string }>();
  for (const { name, file } of files) {
    const got = sweepOf(file.header);
    if (JSON.stringify(got) !== want) {
      return { ok: false, error: `${name}: not a shard of the same sweep as ${first.name} (${headerDiff(sweep, got)})` };
    }
    for (const rec of file.records) {
      const line = JSON.stringify(rec);
      const prev = byRun.get(rec.run);
      if (prev && prev.line !== line) return { ok: false, error: `${name}: run ${rec.run} differs from the same run in ${prev.from}; were they built from the same replsim?` };
      if (!prev) byRun.set(rec.run, { line, rec, from: name });
    }
  }
  const records = [...byRun.keys()].sort((a, b) => a - b).map((k) => (byRun.get(k) as { rec: RunRecord }).rec);
  return { ok: true, value: { header: sweep, records } };
}

function headerDiff(a: SweepHeader, b: SweepHeader): string {
  for (const k of ['scenario', 'file', 'source_sha256', 'seeds', 'vary', 'swarm', 'runs'] as const) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k} ${JSON.stringify(a[k]).slice(0, 60)} vs ${JSON.stringify(b[k]).slice(0, 60)}`;
  }
  return 'headers differ';
}
