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

export type ImportResult = { ok: true; records: HistoryRecord[] } | { ok: false; error: ImportError };

/** `file:line:column: message`, the one line the CLI prints. */
export function formatImportError(e: ImportError): string {
  return `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}: ${e.message}`;
}
