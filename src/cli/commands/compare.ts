/**
 * `replsim compare FILE --engine async:lww,sync:pause,raft:lease`: runs one scenario (same
 * seed, workload, network and faults) under each engine setting and prints them side by side,
 * or as JSON. Exit 0 when every setting ran, 2 for bad input (including a setting that does
 * not fit the scenario, which still gets its row).
 */
import { compareScenario } from '../../compare/compare.js';
import { compareRestores } from '../../compare/restores.js';
import { parseRestoreSettings } from '../../compare/restore-settings.js';
import { renderRestoreCompare } from '../../report/restore-table.js';
import { KNOWN_SETTINGS, parseEngineSettings } from '../../compare/settings.js';
import { renderCompare } from '../../report/table.js';
import { progressLine } from '../../suite/render.js';
import { comparePage } from '../../report/html/compare-page.js';
import { writeFileAtomic } from '../../report/html/write.js';
import { EXIT, InputError, type Io } from '../io.js';
import { useColor } from '../env.js';
import { SEED_OPTION, parseSeed } from '../seed.js';
import type { CommandModule } from './index.js';

export const compareCommand: CommandModule = {
  command: 'compare <file> [others..]',
  describe: 'run one scenario under several engine settings (--engine), or several scenario files, and compare them side by side',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'scenario YAML file' })
      .positional('others', { type: 'string', array: true, describe: 'more scenario files to compare with the first (without --engine)' })
      .option('engine', {
        type: 'string',
        array: true,
        describe: `engine settings, comma-separated: ${KNOWN_SETTINGS.join(', ')} (sync:witness:REGION names the witness)`,
      })
      .option('vary', {
        type: 'string',
        array: true,
        describe: 'run the file once per value of a field, PATH=v1,v2 (e.g. workload.read_from=local,quorum); repeatable: combinations',
      })
      .option('restore', {
        type: 'string',
        array: true,
        describe: 'instead of engines, compare recovery methods for the scenario\'s restores: snapshot, logs, pitr:TIME (each optionally :none|all|non-conflicting)',
      })
      .option('seed', SEED_OPTION)
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' })
      .option('html', { type: 'string', describe: 'also write a self-contained HTML comparison to this file' })
      .option('workers', { type: 'number', alias: 'j', describe: 'worker threads (default: number of cores; 0 runs in-process)' })
      .option('color', { type: 'boolean', describe: 'colour output (--no-color to disable)' }),
  run: async (args, io) => compareFile(args, io),
};

async function compareFile(args: Record<string, unknown>, io: Io): Promise<number> {
  const file = String(args.file);
  const seed = parseSeed(args.seed);
  const workers = args.workers as number | undefined;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new InputError(`--workers: expected a non-negative integer, got ${String(args.workers)}`);
  }
  if (args.restore !== undefined) return compareRestoreMethods(file, args, io, seed, workers);
  const others = Array.isArray(args.others) ? args.others.map(String) : [];
  if (others.length > 0) {
    if (args.engine !== undefined) throw new InputError('--engine compares settings of one file; to compare files, name them without --engine');
    return compareFileList([file, ...others], seed, workers, args, io);
  }
  if (args.vary !== undefined) {
    if (args.engine !== undefined) throw new InputError('--vary and --engine: use one of them (--vary engine.type=... varies the engine too)');
    return compareVary(file, (Array.isArray(args.vary) ? args.vary : [args.vary]).map(String), seed, workers, args, io);
  }
  // Checked here rather than with yargs' demandOption, so the message is ours and one line.
  if (args.engine === undefined) throw new InputError(`--engine: name the settings to compare, e.g. --engine ${KNOWN_SETTINGS.slice(0, 3).join(',')}`);
  const engines = Array.isArray(args.engine) ? args.engine.map(String) : [String(args.engine)];
  const settings = parseEngineSettings(engines);
  if (!settings.ok) throw new InputError(settings.error);
  const progress = io.isTTY && args.json !== true;
  const r = await compareScenario(file, settings.settings, {
    ...(seed === undefined ? {} : { seed }),
    ...(workers === undefined ? {} : { workers }),
    onProgress: (done, total, setting) => {
      if (progress) io.err(`\r\x1b[K${progressLine(done, total, setting, 79)}`);
    },
  });
  if (progress) io.err('\r\x1b[K');
  if (!r.ok) {
    for (const e of r.errors) io.err(`${e}\n`);
    return EXIT.BAD_INPUT;
  }
  if (typeof args.html === 'string') {
    const page = comparePage(file, settings.settings, seed === undefined ? {} : { seed });
    const error = page.ok ? writeFileAtomic(args.html, page.html) : page.error;
    if (error) throw new InputError(`--html: ${error}`);
  }
  if (args.json) io.out(`${JSON.stringify(r.report)}\n`);
  else io.out(renderCompare(r.report, { color: useColor(io, args.color as boolean | undefined) }));
  return r.report.rows.every((row) => row.ok) ? EXIT.OK : EXIT.BAD_INPUT;
}

/** `compare A.yaml B.yaml ...`: each file with its own engine. */
async function compareFileList(files: string[], seed: number | undefined, workers: number | undefined, args: Record<string, unknown>, io: Io): Promise<number> {
  if (typeof args.html === 'string') throw new InputError('--html: the HTML comparison takes one file and --engine settings');
  const { compareFiles } = await import('../../compare/files.js');
  return printed(await compareFiles(files, runOptions(seed, workers)), args, io, renderCompare);
}

/** The seed and worker count given on the command line, as options (unset ones left out). */
function runOptions(seed: number | undefined, workers: number | undefined): { seed?: number; workers?: number } {
  return { ...(seed === undefined ? {} : { seed }), ...(workers === undefined ? {} : { workers }) };
}

/** A comparison's report: errors, or the table (JSON); the exit code (bad input unless every row ran). */
function printed<R extends { rows: readonly { ok: boolean }[] }>(
  r: { ok: true; report: R } | { ok: false; errors: readonly string[] },
  args: Record<string, unknown>,
  io: Io,
  render: (report: R, o: { color: boolean }) => string,
): number {
  if (!r.ok) {
    for (const e of r.errors) io.err(`${e}\n`);
    return EXIT.BAD_INPUT;
  }
  if (args.json) io.out(`${JSON.stringify(r.report)}\n`);
  else io.out(render(r.report, { color: useColor(io, args.color as boolean | undefined) }));
  return r.report.rows.every((row) => row.ok) ? EXIT.OK : EXIT.BAD_INPUT;
}

/** `compare FILE --vary PATH=v1,v2`: the file once per value (per combination of values). */
async function compareVary(file: string, specs: string[], seed: number | undefined, workers: number | undefined, args: Record<string, unknown>, io: Io): Promise<number> {
  if (typeof args.html === 'string') throw new InputError('--html: the HTML comparison takes --engine settings');
  const { compareVaried, parseVary } = await import('../../compare/vary.js');
  const { loadScenario, formatError } = await import('../../scenario/load.js');
  const varies = specs.map((v) => {
    const p = parseVary(v);
    if (!p.ok) throw new InputError(p.error);
    return p.vary;
  });
  const loaded = loadScenario(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) io.err(`${formatError(e)}\n`);
    return EXIT.BAD_INPUT;
  }
  return printed(await compareVaried(file, loaded.source, varies, runOptions(seed, workers)), args, io, renderCompare);
}

/** `--restore`: the scenario's restores under each recovery method, side by side. */
async function compareRestoreMethods(file: string, args: Record<string, unknown>, io: Io, seed: number | undefined, workers: number | undefined): Promise<number> {
  if (args.engine !== undefined) throw new InputError('--restore and --engine compare different things; give one of them');
  const values = Array.isArray(args.restore) ? args.restore.map(String) : [String(args.restore)];
  const parsed = parseRestoreSettings(values);
  if (!parsed.ok) throw new InputError(parsed.error);
  return printed(await compareRestores(file, parsed.settings, runOptions(seed, workers)), args, io, renderRestoreCompare);
}
