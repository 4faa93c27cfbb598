/**
 * A file that yields no client operation is bad input (CHECKING.md): an empty file, only
 * blank lines, only `fault` records, or text in which the format recognises nothing (another
 * format passed with the wrong `--format`). "Valid" would claim a check that never happened.
 */
import type { ImportError } from './result.js';

/** The error for a file whose import gave no `invoke`; `format` is the `--format` used. */
export function noOperationError(text: string, file: string, format: string, records: number): ImportError {
  const lines = text.split('\n');
  const nonBlank = lines.findIndex((l) => l.trim().length > 0);
  if (text.length === 0) return { file, line: 1, message: 'the file is empty: no operation to check' };
  if (nonBlank === -1) {
    const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
    return { file, line: 1, message: `the file has only blank lines (${count}): no operation to check` };
  }
  const what =
    records > 0
      ? `${records} record${records === 1 ? '' : 's'} read, none a client operation (${format === 'jsonl' ? 'only faults, applies or finals' : 'only nemesis events'})`
      : `no line is a ${format} operation`;
  const hint = formatHint(lines[nonBlank]!.trim(), format);
  return { file, line: nonBlank + 1, message: `no operation to check: ${what}${hint ? `; ${hint}` : ''}` };
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
