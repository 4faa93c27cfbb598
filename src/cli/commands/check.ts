/**
 * `replsim check FILE...`: judges recorded histories (the simulator's JSONL or Jepsen's EDN /
 * log) with the same checker `run` uses. One line per file, or with `--json` one JSON object
 * per line. Exit codes: 0 every file valid, 1 some anomaly, 2 bad input, 3 some verdict
 * unknown (a search budget ran out; the reason is printed).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkHistory, createCheckSink, type CheckSink } from '../../checker/index.js';
import type { AnomalyReport, CheckModel, CheckOptions } from '../../checker/types.js';
import type { HistoryRecord } from '../../history/types.js';
import { formatImportError, HISTORY_FORMATS, readHistory, type HistoryFormat } from '../../history/import/index.js';
import { streamJsonl } from '../../history/import/jsonl-stream.js';
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
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per file' })
      .option('budget-ms', { type: 'number', describe: 'linearizability search time budget per file (default 10000)' }),
  run: (args, io) => {
    const done = checkFiles(args, io);
    // main.ts returns without awaiting the handler when yargs has already rejected a flag
    // (e.g. a bad --model choice); mark the promise handled so that is not an unhandled rejection.
    done.catch(() => undefined);
    return done;
  },
};

/** A file read: its records, or (jsonl, streamed) the checker's sink they went into. */
type Parsed = { file: string; records: HistoryRecord[] } | { file: string; sink: CheckSink };

async function checkFiles(args: Record<string, unknown>, io: Io): Promise<number> {
  const files = Array.isArray(args.files) ? args.files.map(String) : [];
  if (files.length === 0) throw new InputError('name at least one history file: replsim check FILE... --format F --model M');
  const model = String(args.model) as CheckModel;
  if (!(MODELS as readonly string[]).includes(model)) throw new InputError(`--model must be one of ${MODELS.join(', ')}, got ${model}`);
  const budgetMs = args['budget-ms'];
  if (budgetMs !== undefined && (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0)) {
    throw new InputError(`--budget-ms must be a positive number of milliseconds, got ${String(budgetMs)}`);
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
    budget: { now_ms: () => performance.now(), ...(typeof budgetMs === 'number' ? { time_ms: budgetMs } : {}) },
    ...(initial !== undefined ? { initial } : {}),
  };
  // Read and parse everything first: bad input stops before any verdict is printed.
  // jsonl files stream into the checker's columns as they are read (no text, no record objects).
  const parsed: Parsed[] = files.map((file) => parse(file, args.format as HistoryFormat | undefined, opts));
  let anyInvalid = false;
  let anyUnknown = false;
  for (const p of parsed) {
    const file = p.file;
    const start = performance.now();
    const report = 'sink' in p ? p.sink.finish() : checkHistory(p.records, opts);
    const check_ms = Math.round((performance.now() - start) * 10) / 10;
    const found = Object.entries(report.anomalies).filter(([, a]) => a.applicable && (a.count ?? 0) > 0);
    const valid: boolean | 'unknown' = found.length > 0 ? false : report.linearizable === 'unknown' ? 'unknown' : true;
    if (valid === false) anyInvalid = true;
    if (valid === 'unknown') anyUnknown = true;
    if (args.json) {
      io.out(`${JSON.stringify({ file, valid, linearizable: report.linearizable, anomalies: report.anomalies, check_ms })}\n`);
    } else {
      io.out(`${summaryLine(file, valid, report.anomalies.non_linearizable, found, check_ms)}\n`);
    }
  }
  return anyInvalid ? EXIT.EXPECT_UNMET : anyUnknown ? EXIT.UNKNOWN : EXIT.OK;
}

function parse(file: string, format: HistoryFormat | undefined, opts: CheckOptions): Parsed {
  const fmt = format ?? BY_EXTENSION[/\.[^./]+$/.exec(file)?.[0] ?? ''];
  if (!fmt) throw new InputError(`cannot tell the format of ${file} from its name; pass --format jsonl|jepsen-edn|jepsen-log`);
  if (fmt === 'jsonl') return { file, sink: streamFile(file, opts) };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}${code ? ` (${code})` : ''}`);
  }
  const r = readHistory(fmt, text, file);
  if (!r.ok) throw new InputError(formatImportError(r.error));
  return { file, records: r.records };
}

/** `FILE: valid (…)`, `FILE: NOT LINEARIZABLE: <witness>`, `FILE: unknown: <reason>`. */
function summaryLine(
  file: string,
  valid: boolean | 'unknown',
  lin: AnomalyReport,
  found: [string, AnomalyReport][],
  check_ms: number,
): string {
  const time = `[${check_ms} ms]`;
  if (valid === true) return `${file}: valid (linearizable, no anomalies) ${time}`;
  if (valid === 'unknown') return `${file}: unknown: ${lin.note ?? 'no verdict'} ${time}`;
  const parts: string[] = [];
  if ((lin.count ?? 0) > 0) {
    const keys = lin.count === 1 ? '1 key' : `${lin.count} keys`;
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

/** A jsonl file streamed into a fresh checker sink (jsonl-stream.ts). */
function streamFile(file: string, opts: CheckOptions): CheckSink {
  const sink = createCheckSink(opts);
  let r: ReturnType<typeof streamJsonl>;
  try {
    r = streamJsonl(file, file, (rec) => sink.push(rec));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}${code ? ` (${code})` : ''}`);
  }
  if (!r.ok) throw new InputError(formatImportError(r.error));
  return sink;
}
