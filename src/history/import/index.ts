/** History importers by `--format` name. */
import { readJepsenEdn } from './jepsen-edn.js';
import { readJepsenLog } from './jepsen-log.js';
import { readJsonl } from './jsonl.js';
import type { ImportResult } from './result.js';

export { readJepsenEdn, readJepsenLog, readJsonl };
export { decodeUtf8, firstInvalidUtf8, type DecodeResult } from './decode.js';
export { escapeControl, formatImportError, type ImportError, type ImportResult } from './result.js';

export const HISTORY_FORMATS = ['jsonl', 'jepsen-edn', 'jepsen-log'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** Reads `text` (the contents of `file`) in `format`. */
export function readHistory(format: HistoryFormat, text: string, file: string): ImportResult {
  switch (format) {
    case 'jsonl':
      return readJsonl(text, file);
    case 'jepsen-edn':
      return readJepsenEdn(text, file);
    case 'jepsen-log':
      return readJepsenLog(text, file);
    default: {
      const never: never = format;
      return never;
    }
  }
}
