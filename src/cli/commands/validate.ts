/**
 * `replsim validate FILE...`: checks scenario files without running them. Prints
 * `FILE: ok` per valid file and every error of an invalid one as `file:line:col path: message`.
 * Exit code 0 when all are valid, 2 otherwise.
 */
import { formatError } from '../../scenario/load.js';
import { prepareScenario } from '../../run/prepare.js';
import { EXIT, type Io } from '../io.js';
import type { CommandModule } from './index.js';

export const validateCommand: CommandModule = {
  command: 'validate <files..>',
  describe: 'check scenario files against the format (no run)',
  builder: (y) => y.positional('files', { type: 'string', array: true, describe: 'scenario YAML files' }),
  run: async (args, io) => validateFiles(filesOf(args.files), io),
};

function filesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  return v === undefined ? [] : [String(v)];
}

/** Validates each file in order; returns the exit code. */
export async function validateFiles(files: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.OK;
  for (const file of files) {
    // prepareScenario: a module engine is imported and its settings checked too.
    const r = await prepareScenario(file);
    if (r.ok) {
      io.out(`${file}: ok\n`);
    } else {
      code = EXIT.BAD_INPUT;
      for (const e of r.errors) io.err(`${formatError(e)}\n`);
    }
  }
  return code;
}
