/**
 * Every CLI command, one module each. A command's handler returns its exit code; it writes
 * through the given Io only, so commands run in-process in tests.
 */
import type { Io } from '../io.js';
import { checkCommand } from './check.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { testCommand } from './test.js';
import { compareCommand } from './compare.js';
import { sweepCommand } from './sweep.js';
import { mergeCommand } from './merge.js';
import { shrinkCommand } from './shrink.js';

export interface CommandModule {
  command: string;
  describe: string;
  /** registers options/positionals on the yargs instance */
  builder: (y: import('yargs').Argv) => import('yargs').Argv;
  run: (args: Record<string, unknown>, io: Io) => Promise<number>;
}

export const commands: CommandModule[] = [runCommand, validateCommand, checkCommand, testCommand, compareCommand];
// Sweeps (src/sweep): many seeds and settings, their shards joined, a failure shrunk.
commands.push(sweepCommand, mergeCommand, shrinkCommand);
