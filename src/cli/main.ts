/**
 * The `replsim` command line: a thin layer over src/index.ts. Parses flags with yargs, runs
 * one command module, and turns every error into one line and an exit code (never a stack).
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import type { CommandModule } from './commands/index.js';
import { lazyCommands } from './commands/lazy.js';
import { EXIT, InputError, processIo, type Io } from './io.js';

/**
 * The command modules this invocation needs, loaded before yargs parses (its builders are
 * synchronous): only the named command's module, none for `replsim --help`. Completion, and a
 * name that is not in the lazy table (a typo, or a command added to ./commands/index.ts only),
 * load every command as before.
 */
async function commandsFor(argv: readonly string[]): Promise<CommandModule[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  const wanted = lazyCommands.find((c) => c.name === first);
  if (argv.includes('--get-yargs-completions') || (first !== undefined && !wanted)) {
    return (await import('./commands/index.js')).commands;
  }
  const loaded = wanted ? await wanted.load() : undefined;
  return lazyCommands.map((c) =>
    c === wanted && loaded
      ? loaded
      : { command: c.command, describe: c.describe, builder: (y) => y, run: async (args, io) => (await c.load()).run(args, io) },
  );
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.OK;
  let failure: string | undefined;
  let ran: Promise<number> | undefined;
  let y = yargs(argv)
    .scriptName('replsim')
    .usage('$0 <command> [options]\n\nDeterministic simulator of multi-region active-active replication.')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .help()
    .version('version', 'print the version of replsim', packageVersion())
    .alias('version', 'V')
    .completion('completion', 'print a shell completion script (bash, zsh): replsim completion >> ~/.bashrc')
    .demandCommand(1, 'name a command: replsim <command> (see --help)')
    .fail((msg, err) => {
      failure = msg ?? (err instanceof Error ? err.message : String(err));
    });
  for (const c of await commandsFor(argv)) {
    y = y.command(c.command, c.describe, c.builder, (args) => {
      ran = c.run(args as Record<string, unknown>, io);
    });
  }
  y = y.epilogue('Docs: docs/README.md. Exit codes: 0 ok, 1 expectation not met / anomaly, 2 bad input.');
  let helpText = '';
  try {
    await y.parseAsync(argv, {}, (err, _argv, output) => {
      if (err && !failure) failure = err.message;
      helpText = output;
    });
  } catch (e) {
    if (!failure) failure = e instanceof Error ? e.message : String(e);
  }
  if (failure) {
    // A handler may have started before yargs rejected a value: its outcome no longer matters.
    (ran as Promise<number> | undefined)?.catch(() => undefined);
    io.err(`replsim: ${oneLine(failure)}\n`);
    return EXIT.BAD_INPUT;
  }
  if (helpText) io.out(helpText.endsWith('\n') ? helpText : `${helpText}\n`);
  if (ran) {
    try {
      code = await ran;
    } catch (e) {
      if (e instanceof InputError) {
        io.err(`replsim: ${oneLine(e.message)}\n`);
        return EXIT.BAD_INPUT;
      }
      // An internal error: still one line for the user, the stack only when asked for.
      const msg = e instanceof Error ? e.message : String(e);
      io.err(`replsim: internal error: ${oneLine(msg)}\n`);
      if (io.env.REPLSIM_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
      return EXIT.BAD_INPUT;
    }
  }
  return code;
}

/** The version in package.json (dist/cli/main.js and src/cli/main.ts both sit two levels down). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** Entry point for bin/replsim.mjs. */
export async function cli(): Promise<void> {
  const code = await main(process.argv.slice(2), processIo());
  process.exitCode = code;
}
