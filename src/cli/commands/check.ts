/**
 * `replsim check FILE...`: judges recorded histories (the simulator's JSONL or Jepsen's EDN /
 * log) with the same checker `run` uses. One line per file, or with `--json` one JSON object
 * per line. Exit codes: 0 every file valid, 1 some anomaly, 2 bad input, 3 some verdict
 * unknown (a search budget ran out; the reason is printed).
 */
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkHistory, createCheckSink, type CheckSink } from '../../checker/index.js';
import { historyMisfit, modelMisfit } from '../../checker/lin/models/fit.js';
import type { AnomalyReport, CheckModel, CheckOptions } from '../../checker/types.js';
import type { HistoryRecord, OpFn, Value } from '../../history/types.js';
import {
  decodeUtf8,
  escapeControl,
  formatImportError,
  HISTORY_FORMATS,
  readHistory,
  type HistoryFormat,
} from '../../history/import/index.js';
import { laterInvokeLine, streamJsonl } from '../../history/import/jsonl-stream.js';
import { createStructureCheck } from '../../history/import/structure.js';
import { bucketsFor, DEFAULT_MEMORY_MB, judgeSpilled, spillJsonl, type Spilled } from '../../checker/partition/index.js';
import { EXIT, InputError, type Io } from '../io.js';
import type { CommandModule } from './index.js';

const MODELS = ['register', 'cas-register', 'multi-register', 'kv', 'counter', 'set'] as const;
const BY_EXTENSION: Record<string, HistoryFormat> = { '.jsonl': 'jsonl', '.edn': 'jepsen-edn', '.log': 'jepsen-log' };

export const checkCommand: CommandModule = {
  command: 'check <files..>',
  describe: 'check recorded histories for anomalies and linearizability',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'history files' })
      .option('format', {
        choices: HISTORY_FORMATS,
        describe: 'history format (default: from the extension: .jsonl, .edn, .log)',
      })
      .option('model', { choices: MODELS, default: 'register', describe: 'the object the history operates on' })
      .option('initial', { type: 'string', describe: 'initial state as JSON (default: empty register, "" for kv, 0 counter)' })
      .option('nil-read', {
        choices: ['empty', 'any'] as const,
        default: 'empty',
        describe: 'a read of nil means "no value" (empty, Porcupine) or matches anything (any, Knossos)',
      })
      .option('sessions', {
        choices: ['none', 'sticky'] as const,
        default: 'none',
        describe: 'sticky: each client (process) was promised its session guarantees, so read_your_writes and monotonic_read are counted; none: not applicable, would-be violations listed',
      })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per file' })
      .option('memory-mb', {
        type: 'number',
        default: DEFAULT_MEMORY_MB,
        describe: 'a .jsonl file whose check would hold more than this is spilled to temporary files by key and judged one part at a time (docs/checker.md, "Big histories")',
      })
      .option('budget-ms', {
        type: 'number',
        describe: 'stop the linearizability search after this many ms per file (verdict unknown, exit 3); without it the search is bounded by work only',
      }),
  run: (args, io) => {
    const done = checkFiles(args, io);
    // main.ts returns without awaiting the handler when yargs has already rejected a flag
    // (e.g. a bad --model choice); mark the promise handled so that is not an unhandled rejection.
    done.catch(() => undefined);
    return done;
  },
};

/**
 * A file read: its records, or (jsonl, streamed) the checker's sink they went into, or (a big
 * jsonl file) its spill buckets, judged one at a time (src/checker/partition).
 */
type Parsed = { file: string; records: HistoryRecord[] } | { file: string; sink: CheckSink } | { file: string; spilled: Spilled };

async function checkFiles(args: Record<string, unknown>, io: Io): Promise<number> {
  const files = Array.isArray(args.files) ? args.files.map(String) : [];
  if (files.length === 0) throw new InputError('name at least one history file: replsim check FILE... --format F --model M');
  const model = String(args.model) as CheckModel;
  if (!(MODELS as readonly string[]).includes(model)) throw new InputError(`--model must be one of ${MODELS.join(', ')}, got ${model}`);
  const budgetMs = args['budget-ms'];
  if (budgetMs !== undefined && (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0)) {
    throw new InputError(`--budget-ms must be a positive number of milliseconds, got ${String(budgetMs)}`);
  }
  const memoryMb = args['memory-mb'] ?? DEFAULT_MEMORY_MB;
  if (typeof memoryMb !== 'number' || !Number.isFinite(memoryMb) || memoryMb <= 0) {
    throw new InputError(`--memory-mb must be a positive number of megabytes, got ${String(memoryMb)}`);
  }
  let initial: unknown;
  if (args.initial !== undefined) {
    try {
      initial = JSON.parse(String(args.initial));
    } catch {
      throw new InputError(`--initial must be JSON (e.g. 0, null, "", {"x":0}), got ${String(args.initial)}`);
    }
  }
  const opts: CheckOptions = {
    model,
    nilRead: args['nil-read'] === 'any' ? 'any' : 'empty',
    sessions: args.sessions === 'sticky' ? 'sticky' : 'none',
    // a time budget only when asked for: otherwise the verdict must not depend on the machine
    ...(typeof budgetMs === 'number' ? { budget: { now_ms: () => performance.now(), time_ms: budgetMs } } : {}),
    ...(initial !== undefined ? { initial } : {}),
  };
  // Read and parse everything first: bad input stops before any verdict is printed.
  // jsonl files stream into the checker's columns as they are read (no text, no record objects).
  const parsed: Parsed[] = [];
  try {
    for (const file of files) parsed.push(parse(file, args.format as HistoryFormat | undefined, model, opts, memoryMb * 2 ** 20, io));
    return judgeAll(parsed, args, opts, io);
  } finally {
    for (const p of parsed) if ('spilled' in p) p.spilled.files.remove();
  }
}

function judgeAll(parsed: Parsed[], args: Record<string, unknown>, opts: CheckOptions, io: Io): number {
  let anyInvalid = false;
  let anyUnknown = false;
  for (const p of parsed) {
    const file = p.file;
    const start = performance.now();
    const report = 'sink' in p ? p.sink.finish() : 'spilled' in p ? judgeSpilledFile(p.spilled, file, opts) : checkHistory(p.records, opts);
    const check_ms = Math.round((performance.now() - start) * 10) / 10;
    const found = Object.entries(report.anomalies).filter(([, a]) => a.applicable && a.count !== null && a.count > 0);
    // A violation found decides `false` even while some family is unknown; otherwise any
    // family whose search stopped (count null, unknown) makes the file unknown, never valid.
    const undecided = Object.entries(report.anomalies).filter(([, a]) => a.unknown === true);
    const valid: boolean | 'unknown' =
      found.length > 0 || report.linearizable === false ? false : undecided.length > 0 || report.linearizable === 'unknown' ? 'unknown' : true;
    if (valid === false) anyInvalid = true;
    if (valid === 'unknown') anyUnknown = true;
    if (args.json) {
      io.out(`${JSON.stringify({ file, valid, linearizable: report.linearizable, anomalies: report.anomalies, check_ms })}\n`);
    } else {
      // the reason of the first family with no verdict (linearizability, as a rule)
      const why = report.anomalies.non_linearizable.unknown ? report.anomalies.non_linearizable : (undecided[0]?.[1] ?? report.anomalies.non_linearizable);
      io.out(`${summaryLine(file, valid, report.anomalies.non_linearizable, found, check_ms, why)}\n`);
    }
  }
  return anyInvalid ? EXIT.EXPECT_UNMET : anyUnknown ? EXIT.UNKNOWN : EXIT.OK;
}

function parse(file: string, format: HistoryFormat | undefined, model: CheckModel, opts: CheckOptions, memoryBytes: number, io: Io): Parsed {
  const fmt = format ?? BY_EXTENSION[/\.[^./]+$/.exec(file)?.[0] ?? ''];
  if (!fmt) throw new InputError(escapeControl(`cannot tell the format of ${file} from its name; pass --format jsonl|jepsen-edn|jepsen-log`));
  if (fmt === 'jsonl') {
    const spilled = spillFile(file, model, memoryBytes, io);
    return spilled ? { file, spilled } : { file, sink: streamFile(file, model, opts) };
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(escapeControl(`cannot read ${file}${code ? ` (${code})` : ''}`));
  }
  const decoded = decodeUtf8(bytes, file);
  if (!decoded.ok) throw new InputError(formatImportError(decoded.error));
  const r = readHistory(fmt, decoded.text, file);
  if (!r.ok) throw new InputError(formatImportError(r.error));
  // ops the model cannot judge would be ignored, and a history of them judged "valid"
  const misfit = historyMisfit(r.records, model);
  if (misfit) {
    const line = r.lines?.[misfit.index] ?? 1;
    const message = `op ${misfit.op} cannot be judged with --model ${model}: ${misfit.why}; pass the model the history was recorded with`;
    throw new InputError(formatImportError({ file, line, message }));
  }
  return { file, records: r.records };
}

/** `FILE: valid (…)`, `FILE: NOT LINEARIZABLE: <witness>`, `FILE: unknown: <reason>`. */
function summaryLine(
  file: string,
  valid: boolean | 'unknown',
  lin: AnomalyReport,
  found: [string, AnomalyReport][],
  check_ms: number,
  why: AnomalyReport = lin,
): string {
  const time = `[${check_ms} ms]`;
  if (valid === true) return `${file}: valid (linearizable, no anomalies) ${time}`;
  if (valid === 'unknown') return `${file}: unknown: ${why.note ?? 'no verdict'} ${time}`;
  const parts: string[] = [];
  // failing keys: the count, or, when the search stopped on other keys, at least those found
  const failing = lin.count ?? lin.at_least ?? 0;
  if (failing > 0) {
    const n = failing === 1 ? '1 key' : `${failing} keys`;
    const keys = lin.count === null ? `at least ${n}; the other keys unknown` : n;
    parts.push(`not linearizable (${keys}): ${(lin.witnesses[0]?.explanation ?? '').replace(/\.$/, '')}`);
    if (lin.note) parts.push(`(${lin.note})`);
  }
  const others = found.filter(([name]) => name !== 'non_linearizable');
  if (others.length > 0) {
    parts.push(`${parts.length > 0 ? 'also ' : ''}${others.map(([name, a]) => `${name} ${a.count}`).join(', ')}`);
    const first = others[0]![1].witnesses[0];
    if (first && parts.length === 1) parts.push(`e.g. ${first.explanation.replace(/\.$/, '')}`);
  }
  return `${file}: ${parts.join('; ')} ${time}`;
}

/**
 * A jsonl file too big for the one-pass check under `memoryBytes`, spilled by key (pass 1 of
 * src/checker/partition), or undefined: small enough, or a history the partition cannot
 * judge exactly (the multi-register model; applies across keys, engine invariant and backup
 * faults: spill.ts names the reason), checked in one pass.
 */
function spillFile(file: string, model: CheckModel, memoryBytes: number, io: Io): Spilled | undefined {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(escapeControl(`cannot read ${file}${code ? ` (${code})` : ''}`));
  }
  const buckets = bucketsFor(size, memoryBytes);
  if (buckets <= 1) return undefined;
  const onePass = (why: string): undefined => {
    io.err(`${escapeControl(`${file}: checked in one pass (${why}): memory grows with its ops, not bounded by --memory-mb`)}\n`);
    return undefined;
  };
  // every txn of the multi-register model is one linearizability partition, across keys
  if (model === 'multi-register') return onePass('the multi-register model judges all keys together');
  let r: ReturnType<typeof spillJsonl>;
  try {
    r = spillJsonl(file, file, model, buckets);
  } catch (e) {
    throw spillError(file, e);
  }
  if (r.kind === 'fallback') return onePass(r.reason);
  if (r.kind === 'refused') {
    const o = r.orphan;
    const later = o && o.line === r.error.line ? laterInvokeLine(file, o.line, o.op) : undefined;
    if (o && later !== undefined) r.error.message = `${o.type} for op ${o.op} comes before its invoke (line ${later}): an invoke must come first`;
    throw new InputError(formatImportError(r.error));
  }
  return r;
}

/** Pass 2 of a spilled file; a spill file gone or unreadable is one line, not a stack trace. */
function judgeSpilledFile(spilled: Spilled, file: string, opts: CheckOptions): ReturnType<typeof judgeSpilled> {
  try {
    return judgeSpilled(spilled, file, opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw spillError(file, e);
  }
}

/** A file-system error while reading `file` or its spill files (a full or unwritable temp directory). */
function spillError(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(escapeControl(`cannot read ${file} or spill it to the temporary directory${code ? ` (${code})` : ''}`));
}

/**
 * A jsonl file streamed into a fresh checker sink (jsonl-stream.ts), under the rules the
 * whole-file path applies: structure (structure.ts) and ops the model cannot judge (fit.ts),
 * the latter held per open op only (an op's output is known at its `ok`).
 */
function streamFile(file: string, model: CheckModel, opts: CheckOptions): CheckSink {
  const sink = createCheckSink(opts);
  const structure = createStructureCheck();
  const open = new Map<number, { f: OpFn; input: Value | undefined; line: number }>();
  let misfit: { line: number; message: string } | undefined;
  let orphan: { type: string; op: number; line: number } | undefined;
  const check = (rec: HistoryRecord, line: number): string | undefined => {
    const broken = structure.add(rec, line);
    if (broken) {
      if (broken.kind === 'orphan' && (rec.type === 'ok' || rec.type === 'fail' || rec.type === 'info')) orphan = { type: rec.type, op: rec.op, line };
      return broken.message;
    }
    const why = (op: number, f: OpFn, input: Value | undefined, output: Value | undefined, known: boolean, at: number): void => {
      const w = misfit ? undefined : modelMisfit(model, { f, input, output, known });
      if (w !== undefined) misfit = { line: at, message: `op ${op} cannot be judged with --model ${model}: ${w}; pass the model the history was recorded with` };
    };
    if (rec.type === 'invoke') {
      why(rec.op, rec.f, rec.value, undefined, false, line);
      open.set(rec.op, { f: rec.f, input: rec.value, line });
    } else if (rec.type === 'ok' || rec.type === 'fail' || rec.type === 'info') {
      const o = open.get(rec.op);
      open.delete(rec.op);
      if (o && rec.type === 'ok') why(rec.op, o.f, o.input, rec.value, true, o.line);
    }
    return undefined;
  };
  let r: ReturnType<typeof streamJsonl>;
  try {
    r = streamJsonl(file, file, (rec) => sink.push(rec), { check });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(escapeControl(`cannot read ${file}${code ? ` (${code})` : ''}`));
  }
  if (!r.ok) {
    // a completion before its invoke: name the invoke's line, as the whole-file reader does
    const later = orphan && orphan.line === r.error.line ? laterInvokeLine(file, orphan.line, orphan.op) : undefined;
    if (orphan && later !== undefined) {
      r.error.message = `${orphan.type} for op ${orphan.op} comes before its invoke (line ${later}): an invoke must come first`;
    }
    throw new InputError(formatImportError(r.error));
  }
  if (misfit) throw new InputError(formatImportError({ file, ...misfit }));
  return sink;
}
