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
  /** `apply` records in each key bucket */
  bucketApplies: number[];
  /** records naming a key (invoke, apply, final) in each bucket: a bucket without any is not judged */
  bucketKeyed: number[];
  /** nodes with a `final` record anywhere in the file, in order of first appearance */
  finalNodes: string[];
  /** `apply` records in the file */
  applies: number;
}

/** The outcome of pass 1; on `refused` and `fallback` the spill directory is already removed. */
export type SpillResult =
  | Spilled
  | { kind: 'refused'; error: ImportError; orphan?: { type: string; op: number; line: number } }
  | { kind: 'fallback'; reason: string };

/** Client op records: by key (invokes), then with their op (completions). */
const ROUTED = new Set(['invoke', 'ok', 'fail', 'info']);
const IGNORED = new Set(['route', 'alert', 'attempt']); // no family reads them (table.ts)
/** Whole-history records, few: copied to every bucket so each sees the faults and the placement. */
const BROADCAST = new Set(['fault', 'live', 'replicas']);
/**
 * Faults whose findings are counted once for the whole history, not per key: an engine
 * `invariant` fault is a witness of its own (counted in every bucket it was copied to), and
 * backup/restore records feed restore.ts, whose reapplied-twice count goes into `invariant`
 * from all keys' applies at once. Histories with them are checked in one pass.
 */
const WHOLE_FAULTS = new Set(['invariant', 'backup', 'restored', 'restore', 'runbook']);
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
  const bucketApplies = new Array<number>(B).fill(0);
  const bucketKeyed = new Array<number>(B).fill(0);
  let applies = 0;
  const finalNodes = new Set<string>();
  // op id → key bucket + 1, for records that name an op long after it completed (apply,
  // extra_reply): 2 bytes per op id up to the largest id, a map for ids that are not small integers
  let opBucket = new Uint16Array(1024);
  const opBucketOther = new Map<number, number>();
  const setOpBucket = (id: number, b: number): void => {
    if (Number.isInteger(id) && id >= 0 && id < 2 ** 30) {
      if (id >= opBucket.length) {
        const grown = new Uint16Array(Math.max(id + 1, 2 * opBucket.length));
        grown.set(opBucket);
        opBucket = grown;
      }
      opBucket[id] = b + 1;
    } else opBucketOther.set(id, b);
  };
  const bucketOfOp = (id: number): number | undefined => {
    if (Number.isInteger(id) && id >= 0 && id < 2 ** 30) return id < opBucket.length && opBucket[id]! > 0 ? opBucket[id]! - 1 : undefined;
    return opBucketOther.get(id);
  };
  let bucket = -1; // the bucket of the record `check` just accepted (-2: every bucket)
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
    if (!ROUTED.has(rec.type)) return whiteBox(rec, line);
    if (rec.type === 'invoke') {
      const before = open.get(rec.op);
      if (before) return structureMessages.duplicateInvoke(rec.op, before.line);
      bucket = keyBucket(rec.key, B);
      files.addEvent(idBucket(rec.op, B), rec.op, line, KIND.invoke);
      why(rec.op, rec.f, rec.value, undefined, false, line);
      open.set(rec.op, { f: rec.f, input: rec.value, line, bucket });
      setOpBucket(rec.op, bucket);
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
  // the simulator's records (docs/checker.md, "Big histories"): by key, by op, or to every bucket
  const whiteBox = (rec: HistoryRecord, line: number): string | undefined => {
    const stop = (why: string): string => {
      fallback = `${why} (line ${line})`;
      return FALLBACK;
    };
    switch (rec.type) {
      case 'apply': {
        bucket = keyBucket(rec.key, B);
        if (rec.op === undefined) return undefined;
        const ob = bucketOfOp(rec.op);
        // the op's row must be in the apply's table (aborted reads, double applies, restores)
        if (ob === undefined) return stop(`an \`apply\` names op ${rec.op} before its invoke`);
        if (ob !== bucket) return stop(`an \`apply\` of key ${JSON.stringify(rec.key)} names op ${rec.op} of another key`);
        return undefined;
      }
      case 'final':
        bucket = keyBucket(rec.key, B);
        finalNodes.add(rec.node);
        return undefined;
      case 'extra_reply': {
        const ob = bucketOfOp(rec.op);
        if (ob === undefined) return stop(`an \`extra_reply\` names op ${rec.op}, never invoked before it`);
        bucket = ob;
        return undefined;
      }
      case 'fault':
        if (WHOLE_FAULTS.has(rec.fault)) return stop(`the history has a \`${rec.fault}\` fault, judged over all keys at once`);
        bucket = -2;
        return undefined;
      default:
        if (BROADCAST.has(rec.type)) {
          bucket = -2;
          return undefined;
        }
        if (IGNORED.has(rec.type)) return undefined;
        return stop(`the history has \`${rec.type}\` records`);
    }
  };
  const push = (rec: HistoryRecord, _line: number, text: string): void => {
    if (rec.type === 'invoke') {
      files.addLine(bucket, `${row++}\t${text}\n`);
      bucketOps[bucket]!++;
      bucketKeyed[bucket]!++;
    } else if (rec.type === 'apply') {
      files.addLine(bucket, `a${applies++}\t${text}\n`);
      bucketApplies[bucket]!++;
      bucketKeyed[bucket]!++;
    } else if (IGNORED.has(rec.type)) return;
    else if (rec.type === 'final') {
      files.addLine(bucket, `${text}\n`);
      bucketKeyed[bucket]!++;
    } else if (bucket === -2) for (let b = 0; b < B; b++) files.addLine(b, `${text}\n`);
    else files.addLine(bucket, `${text}\n`);
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
  return { kind: 'spilled', files, end_t: endT, ops: row, bucketOps, bucketApplies, bucketKeyed, finalNodes: [...finalNodes], applies };
}

function refused(file: string, p: IdProblem): SpillResult {
  return {
    kind: 'refused',
    error: { file, line: p.line, message: p.message },
    ...(p.orphan ? { orphan: { ...p.orphan, line: p.line } } : {}),
  };
}
