/**
 * A file that yields no client operation is bad input (CHECKING.md): an empty file, only
 * blank lines, only `fault` records, or text in which the format recognises nothing (another
 * format passed with the wrong `--format`). "Valid" would claim a check that never happened.
 */
import type { ImportError } from './result.js';

/** What a reader saw of a file that gave no `invoke`: enough to say why, without its text. */
export interface NoOpSummary {
  /** the file had no byte at all */
  empty: boolean;
  /** lines read (what "only blank lines" counts) */
  lines: number;
  /** the first non-blank line, trimmed, and its number; undefined when every line is blank */
  first?: { line: number; text: string };
  /** records the format recognised (none of them an invoke) */
  records: number;
}

/** The error for a file whose import gave no `invoke`; `format` is the `--format` used. */
export function noOperationError(text: string, file: string, format: string, records: number): ImportError {
  const lines = text.split('\n');
  const nonBlank = lines.findIndex((l) => l.trim().length > 0);
  return noOperationErrorOf(
    {
      empty: text.length === 0,
      lines: text.endsWith('\n') ? lines.length - 1 : lines.length,
      ...(nonBlank === -1 ? {} : { first: { line: nonBlank + 1, text: lines[nonBlank]!.trim() } }),
      records,
    },
    file,
    format,
  );
}

/** The same error from a summary, for a reader that streams the file and never holds its text. */
export function noOperationErrorOf(s: NoOpSummary, file: string, format: string): ImportError {
  if (s.empty) return { file, line: 1, message: 'the file is empty: no operation to check' };
  if (!s.first) return { file, line: 1, message: `the file has only blank lines (${s.lines}): no operation to check` };
  const what =
    s.records > 0
      ? `${s.records} record${s.records === 1 ? '' : 's'} read, none a client operation (${format === 'jsonl' ? 'only faults, applies or finals' : 'only nemesis events'})`
      : `no line is a ${format} operation`;
  const hint = formatHint(s.first.text, format);
  return { file, line: s.first.line, message: `no operation to check: ${what}${hint ? `; ${hint}` : ''}` };
}

/** A guess at the file's real format from its first non-blank line, when it is not `format`. */
export function formatHint(first: string, format: string): string | undefined {
  const guess = /^\{\s*"/.test(first)
    ? 'jsonl'
    : /^[[(]?\s*\{\s*:/.test(first)
      ? 'jepsen-edn'
      : /jepsen\.util\s+-/.test(first)
        ? 'jepsen-log'
        : undefined;
  return guess && guess !== format ? `it looks like ${guess}: pass --format ${guess}` : undefined;
}
