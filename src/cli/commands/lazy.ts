/**
 * The commands as `replsim --help` lists them, each with a loader for its module. A command's
 * module (and the engines, checker, zod schema and reports it imports) is loaded only when
 * that command runs or shows its own help: `replsim --help` loads none of them, `replsim run`
 * only `run`'s. test/cli/lazy.test.ts keeps this table equal to ./index.ts (names, order,
 * descriptions); a command missing here still runs through the eager list (main.ts).
 */
import type { CommandModule } from './index.js';

export interface LazyCommand {
  /** the command's name (first word of `command`) */
  name: string;
  command: string;
  describe: string;
  load: () => Promise<CommandModule>;
}

export const lazyCommands: readonly LazyCommand[] = [
  {
    name: 'run',
    command: 'run <file>',
    describe: 'run a scenario and report what happened',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'validate',
    command: 'validate <files..>',
    describe: 'check scenario files against the format (no run)',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'check',
    command: 'check <files..>',
    describe: 'check recorded histories for anomalies and linearizability',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'test',
    command: 'test [paths..]',
    describe: 'run every scenario under the paths (default scenarios/) and check expectations and golden outcomes',
    load: async () => (await import('./test.js')).testCommand,
  },
  {
    name: 'compare',
    command: 'compare <file> [others..]',
    describe: 'run one scenario under several engine settings (--engine), or several scenario files, and compare them side by side',
    load: async () => (await import('./compare.js')).compareCommand,
  },
  {
    name: 'sweep',
    command: 'sweep <file>',
    describe: 'run a scenario over many seeds and settings; anomaly rates with 95% intervals',
    load: async () => (await import('./sweep.js')).sweepCommand,
  },
  {
    name: 'merge',
    command: 'merge <files..>',
    describe: "join the runs files of a sweep's shards and print the sweep's summary",
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  {
    name: 'shrink',
    command: 'shrink <file>',
    describe: 'delta-debug a failing scenario to a minimal one that still fails',
    load: async () => (await import('./shrink.js')).shrinkCommand,
  },
];
