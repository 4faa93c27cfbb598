/**
 * Pass 1 of the partitioned check: streams a JSON Lines history once, applies the rules
 * that need only the open state (line syntax, UTF-8, time order, pairing of each completion
 * with an open invoke, ops the model cannot judge) and appends each record's text to the
 * spill bucket of its key, each op-id event to the bucket of its id (ids.ts checks those).
 * What it holds: the ops still open and the write buffers, never one entry per op.
 */
import type { HistoryRecord, OpFn, Value } from '../../history/types.js';
import type { ImportError } from '../../history/import/result.js';
import { streamJsonl } from '../../history/import/jsonl-stream.js';
import { structureMessages } from '../../history/import/structure.js';
import { modelMisfit } from '../lin/models/fit.js';
import type { CheckModel } from '../types.js';
import { idBucket, keyBucket } from './hash.js';
import { firstIdProblem, type IdProblem } from './ids.js';
import { createSpillFiles, type SpillFiles } from './spill-files.js';

/** The history spilled: `files` must be removed by the caller (`files.remove()`). */
export interface Spilled {
  kind: 'spilled';
  files: SpillFiles;
  /** the largest time of any record (the table's `end_t` of the whole history) */
  end_t: number;
  /** client ops (invokes) in the file */
  ops: number;
  /** client ops in each key bucket (pass 2 sizes each bucket's table once) */
  bucketOps: number[];
}

/** The outcome of pass 1; on `refused` and `fallback` the spill directory is already removed. */
export type SpillResult =
  | Spilled
  | { kind: 'refused'; error: ImportError; orphan?: { type: string; op: number; line: number } }
  | { kind: 'fallback'; reason: string };

/** Record types a black-box history has; any other makes the check fall back to one pass. */
const ROUTED = new Set(['invoke', 'ok', 'fail', 'info']);
const IGNORED = new Set(['route', 'alert', 'attempt']); // no family reads them (table.ts)
const KIND = { invoke: 0, ok: 1, fail: 2, info: 3 } as const;

/** Internal stop signals, never shown: the stream stops at the line that returned them. */
const DEFER = '\u0000defer';
const FALLBACK = '\u0000fallback';

/**
 * Spills the history at `path` (named `file` in messages) into `buckets` buckets under
 * `root` (the OS temp directory by default). Throws only what the file system throws, after
 * removing the spill directory.
 */
export function spillJsonl(path: string, file: string, model: CheckModel, buckets: number, root?: string): SpillResult {
  const files = createSpillFiles(buckets, root);
  let keep = false;
  try {
    const r = pass1(path, file, model, files);
    keep = r.kind === 'spilled';
    return r;
  } finally {
    if (!keep) files.remove();
  }
}

function pass1(path: string, file: string, model: CheckModel, files: SpillFiles): SpillResult {
  const B = files.buckets;
  const open = new Map<number, { f: OpFn; input: Value | undefined; line: number; bucket: number }>();
  let lastT = 0;
  let lastLine = 0;
  let endT = 0;
  let row = 0; // invokes so far: the global row of the next op
  const bucketOps = new Array<number>(B).fill(0);
  let bucket = -1; // the bucket of the record `check` just accepted
  let fallback: string | undefined;
  let misfit: { line: number; message: string } | undefined;
  const why = (op: number, f: OpFn, input: Value | undefined, output: Value | undefined, known: boolean, at: number): void => {
    const w = misfit ? undefined : modelMisfit(model, { f, input, output, known });
    if (w !== undefined) misfit = { line: at, message: `op ${op} cannot be judged with --model ${model}: ${w}; pass the model the history was recorded with` };
  };
  // the same rules, in the same order, as streamFile in src/cli/commands/check.ts with structure.ts
  const check = (rec: HistoryRecord, line: number): string | undefined => {
    if (rec.t < lastT) return `time goes backwards: "t" ${rec.t} is before ${lastT} on line ${lastLine} (records must be in time order)`;
    lastT = rec.t;
    lastLine = line;
    if (rec.t > endT) endT = rec.t;
    if (!ROUTED.has(rec.type)) {
      if (IGNORED.has(rec.type)) return undefined;
      fallback = `the history has \`${rec.type}\` records (line ${line}): families look across keys through them`;
      return FALLBACK;
    }
    if (rec.type === 'invoke') {
      const before = open.get(rec.op);
      if (before) return structureMessages.duplicateInvoke(rec.op, before.line);
      bucket = keyBucket(rec.key, B);
      files.addEvent(idBucket(rec.op, B), rec.op, line, KIND.invoke);
      why(rec.op, rec.f, rec.value, undefined, false, line);
      open.set(rec.op, { f: rec.f, input: rec.value, line, bucket });
      return undefined;
    }
    if (rec.type !== 'ok' && rec.type !== 'fail' && rec.type !== 'info') return undefined;
    files.addEvent(idBucket(rec.op, B), rec.op, line, KIND[rec.type]);
    const o = open.get(rec.op);
    // not open: never invoked, completed already, or invoked twice; ids.ts tells which
    if (!o) return DEFER;
    open.delete(rec.op);
    bucket = o.bucket;
    if (rec.type === 'ok') why(rec.op, o.f, o.input, rec.value, true, o.line);
    return undefined;
  };
  const push = (rec: HistoryRecord, _line: number, text: string): void => {
    if (rec.type === 'invoke') {
      files.addLine(bucket, `${row++}\t${text}\n`);
      bucketOps[bucket]!++;
    }
    else if (ROUTED.has(rec.type)) files.addLine(bucket, `${text}\n`);
  };
  const r = streamJsonl(path, file, push, { check });
  files.flush();
  if (fallback !== undefined) return { kind: 'fallback', reason: fallback };
  // an id rule broken before where the stream stopped comes first (the whole-file rules stop there)
  const ids = firstIdProblem(Array.from({ length: B }, (_, b) => files.idPath(b)));
  const stop = r.ok ? Infinity : r.error.line;
  if (ids && (ids.line < stop || (!r.ok && r.error.message === DEFER))) return refused(file, ids);
  if (!r.ok) return { kind: 'refused', error: r.error };
  if (misfit) return { kind: 'refused', error: { file, ...misfit } };
  return { kind: 'spilled', files, end_t: endT, ops: row, bucketOps };
}

function refused(file: string, p: IdProblem): SpillResult {
  return {
    kind: 'refused',
    error: { file, line: p.line, message: p.message },
    ...(p.orphan ? { orphan: { ...p.orphan, line: p.line } } : {}),
  };
}
