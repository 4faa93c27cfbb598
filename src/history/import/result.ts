/** What every importer returns: records, or one error naming file:line and what was expected. */
import type { HistoryRecord } from '../types.js';

export interface ImportError {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based, when known */
  column?: number;
  message: string;
}

export type ImportResult =
  | {
      ok: true;
      records: HistoryRecord[];
      /** the 1-based line each record came from (same order), to name it in later errors */
      lines?: number[];
    }
  | { ok: false; error: ImportError };

/**
 * `file:line:column: message`, the one line the CLI prints. Control characters (a lone `\r`
 * quoted from a line, a newline in a file name) are escaped so the line stays one line and
 * nothing is overwritten in a terminal.
 */
export function formatImportError(e: ImportError): string {
  return escapeControl(`${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}: ${e.message}`);
}

/** `\r` → `\\r`, other C0/C1 controls and line separators → `\\u00XX`. */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
