/** `replsim run FILE`: run one scenario, print the report (or JSON), exit by its `expect` block. */
import { runScenario } from '../../run/run.js';
import { formatError } from '../../scenario/load.js';
import { prepareScenario } from '../../run/prepare.js';
import { renderRun } from '../../report/terminal.js';
import { EXIT, InputError, type Io } from '../io.js';
import { heapProbe, useColor, wallClock } from '../env.js';
import { SEED_OPTION, parseSeed } from '../seed.js';
import type { CommandModule } from './index.js';

export const runCommand: CommandModule = {
  command: 'run <file>',
  describe: 'run a scenario and report what happened',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'scenario YAML file' })
      .option('seed', SEED_OPTION)
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
      .option('history', { type: 'string', describe: 'write the history (JSONL) to this file' })
      .option('html', { type: 'string', describe: 'write a self-contained HTML report to this file' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing; exit code only' })
      .option('color', { type: 'boolean', describe: 'colour output (--no-color to disable)' }),
  run: async (args, io) => runFile(args, io),
};

async function runFile(args: Record<string, unknown>, io: Io): Promise<number> {
  const file = String(args.file);
  // Parsed here rather than by yargs, so the message can quote what was typed.
  const seed = parseSeed(args.seed);
  const loaded = await prepareScenario(file, seed === undefined ? {} : { seed });
  if (!loaded.ok) {
    for (const e of loaded.errors) io.err(`${formatError(e)}\n`);
    return EXIT.BAD_INPUT;
  }
  const outcome = runScenario(loaded.scenario, {
    ...(typeof args.history === 'string' ? { historyPath: args.history } : {}),
    ...(typeof args.html === 'string' ? { keepHistory: true } : {}),
    wallClock,
    heap: heapProbe(),
  });
  if (!outcome.ok) throw new InputError(`${file}: ${outcome.error}`);
  const r = outcome.result;
  if (typeof args.html === 'string') {
    // Loaded only when asked for: the HTML report is the heaviest module a plain run would not use.
    const { renderRunHtml, writeFileAtomic } = await import('../../report/html/index.js');
    const html = renderRunHtml({
      scenario: loaded.scenario,
      source: loaded.source,
      result: r,
      history: outcome.history ?? [],
      ...(outcome.capacity ? { capacity: outcome.capacity } : {}),
    });
    const error = writeFileAtomic(args.html, html);
    if (error) throw new InputError(`--html: ${error}`);
  }
  if (args.json) io.out(`${JSON.stringify(r)}\n`);
  else if (!args.quiet) {
    io.out(renderRun(r, { color: useColor(io, args.color as boolean | undefined), description: loaded.scenario.description }));
  }
  return r.passed ? EXIT.OK : EXIT.EXPECT_UNMET;
}
