/**
 * `replsim merge a.jsonl b.jsonl … [--json] [--out all.jsonl]`: joins the runs files of a
 * sweep's shards, in any order, and prints the summary a single unsharded sweep prints, byte
 * for byte. Exit 0 when no run failed, 1 when some did, 2 for bad input.
 */
import { mergeRunsFiles, readRunsFile, type RunsFile } from '../../sweep/runs-file.js';
import { InputError, type Io } from '../io.js';
import { reportSweep } from './sweep.js';
import type { CommandModule } from './index.js';

export const mergeCommand: CommandModule = {
  command: 'merge <files..>',
  describe: "join the runs files of a sweep's shards and print the sweep's summary",
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'runs files written by sweep --out' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('out', { type: 'string', describe: 'also write the joined runs file' })
      .option('html', { type: 'string', describe: 'write a page with the curves' }),
  run: async (args, io) => mergeFiles(args, io),
};

async function mergeFiles(args: Record<string, unknown>, io: Io): Promise<number> {
  const names = Array.isArray(args.files) ? args.files.map(String) : [String(args.files)];
  const files: Array<{ name: string; file: RunsFile }> = [];
  for (const name of names) {
    const r = readRunsFile(name);
    if (!r.ok) throw new InputError(r.error);
    files.push({ name, file: r.value });
  }
  const merged = mergeRunsFiles(files);
  if (!merged.ok) throw new InputError(merged.error);
  return reportSweep(io, args, merged.value.header, merged.value.records);
}
