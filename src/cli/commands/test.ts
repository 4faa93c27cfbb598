/**
 * `replsim test [PATH...]`: runs every scenario under the paths (default `scenarios/`) on
 * worker threads, checks each `expect` block and golden outcome, prints one line per
 * scenario, and exits 0 (all passed), 1 (a scenario failed) or 2 (bad input).
 * `--update` records golden outcomes; `--junit FILE` writes JUnit XML for CI.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { toJUnitXml } from '../../suite/junit.js';
import { progressLine, renderScenarioLines, renderSuite } from '../../suite/render.js';
import { parseShard, runSuite, suiteExitCode, type ScenarioReport } from '../../suite/suite.js';
import { EXIT, InputError, type Io } from '../io.js';
import { useColor, wallClock } from '../env.js';
import type { CommandModule } from './index.js';

export const testCommand: CommandModule = {
  command: 'test [paths..]',
  describe: 'run every scenario under the paths (default scenarios/) and check expectations and golden outcomes',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'scenario files or directories (default: scenarios)' })
      .option('junit', { type: 'string', describe: 'write a JUnit XML report to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
      .option('update', { type: 'boolean', default: false, describe: 'record golden outcomes (X.outcome.json next to X.yaml)' })
      .option('shard', { type: 'string', describe: 'run only slice k of n of the files (k/n, e.g. 1/4), for CI matrices' })
      .option('exclude', { type: 'string', array: true, describe: 'skip files matching this glob (repeatable)' })
      .option('workers', { type: 'number', alias: 'j', describe: 'worker threads (default: number of cores; 0 runs in-process)' })
      .option('color', { type: 'boolean', describe: 'colour output (--no-color to disable)' }),
  run: async (args, io) => testPaths(args, io),
};

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  return v === undefined ? [] : [String(v)];
}

/** The `test` command with parsed arguments; exported for in-process use (the repo's own vitest suite). */
export async function testPaths(args: Record<string, unknown>, io: Io): Promise<number> {
  const workers = args.workers as number | undefined;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new InputError(`--workers: expected a non-negative integer, got ${String(args.workers)}`);
  }
  let shard;
  if (args.shard !== undefined) {
    const parsed = parseShard(String(args.shard));
    if (!parsed.ok) throw new InputError(parsed.error);
    shard = parsed.shard;
  }
  const json = args.json === true;
  const color = useColor(io, args.color as boolean | undefined);
  const progress = io.isTTY && !json;
  const started = wallClock();
  const result = await runSuite({
    paths: strings(args.paths),
    exclude: strings(args.exclude),
    update: args.update === true,
    ...(shard ? { shard } : {}),
    ...(workers === undefined ? {} : { workers }),
    wallClock,
    onReport: (r: ScenarioReport) => {
      if (json) return;
      if (progress) io.err('\r\x1b[K');
      io.out(`${renderScenarioLines(r, { color }).join('\n')}\n`);
    },
    onProgress: (done, total, file) => {
      if (progress) io.err(`\r\x1b[K${progressLine(done, total, file, 79)}`);
    },
  });
  if (progress) io.err('\r\x1b[K');
  if (!result.ok) throw new InputError(result.error);
  const total_ms = wallClock() - started;
  const report = result.report;
  if (json) io.out(`${JSON.stringify({ ...report, time_ms: total_ms })}\n`);
  else {
    // Scenario lines were streamed as they completed; the summary follows.
    io.out(renderSuite({ ...report, scenarios: [] }, { color, total_ms }));
  }
  if (typeof args.junit === 'string') {
    try {
      writeAtomically(args.junit, toJUnitXml(report, total_ms));
    } catch (e) {
      throw new InputError(`--junit ${args.junit}: ${(e as Error).message}`);
    }
  }
  const code = suiteExitCode(report);
  return code === 0 ? EXIT.OK : code === 1 ? EXIT.EXPECT_UNMET : EXIT.BAD_INPUT;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
