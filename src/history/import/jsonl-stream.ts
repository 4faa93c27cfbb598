/**
 * A JSON Lines history read from a file as a stream: the file is read in chunks, each line is
 * parsed, checked like `readJsonl` checks it and handed to `push` at once, so neither the
 * file's text nor an array of records is ever held. With `push` going into the checker's
 * sink (src/checker/sink.ts), `replsim check` holds only the sink's columns: its memory grows
 * with the ops and keys of the history (docs/checker.md, "Big histories"), not with the bytes
 * of the file (the text and the record objects were 3.6–14.5× the file size).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { HistoryRecord } from '../types.js';
import { parseJsonlLine } from './jsonl.js';
import { firstInvalidUtf8 } from './decode.js';
import { noOperationErrorOf } from './no-ops.js';
import type { ImportError } from './result.js';

/** Bytes read per chunk. */
const CHUNK_BYTES = 1 << 20;

export interface JsonlStreamOptions {
  /**
   * Rules across records (pairing, time order...): called with each well-formed record and its
   * 1-based line before it is pushed; a message refuses the file at that line.
   */
  check?: (record: HistoryRecord, line: number) => string | undefined;
  /** bytes per read (tests use small chunks to cross lines and characters) */
  chunkBytes?: number;
}

export type JsonlStreamResult =
  | { ok: true; records: number; invokes: number }
  | { ok: false; error: ImportError };

/**
 * Reads the JSON Lines history at `path` (named `file` in errors), pushing each record in
 * file order, with its 1-based line and trimmed text (the partitioned check spills the text
 * as it is, src/checker/partition). Stops at the first bad line: invalid UTF-8, not JSON, a record missing a field
 * its type needs, or what `opts.check` refuses. A file with no `invoke` is refused too. Throws
 * only what the file system throws (the caller names the file).
 */
export function streamJsonl(
  path: string,
  file: string,
  push: (r: HistoryRecord, line: number, text: string) => void,
  opts: JsonlStreamOptions = {},
): JsonlStreamResult {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buf = new Uint8Array(opts.chunkBytes ?? CHUNK_BYTES);
  const fd = openSync(path, 'r');
  let lineNo = 0;
  let records = 0;
  let invokes = 0;
  let rest = ''; // the start of a line not ended yet
  let firstText: { line: number; text: string } | undefined; // the first non-blank line, for messages
  const line = (raw: string): ImportError | undefined => {
    lineNo++;
    const text = raw.trim();
    if (text.length === 0) return undefined;
    firstText ??= { line: lineNo, text };
    const parsedLine = parseJsonlLine(text, lineNo, file, records === 0);
    if ('error' in parsedLine) return parsedLine.error;
    const record = parsedLine.record;
    const broken = opts.check?.(record, lineNo);
    if (broken) return { file, line: lineNo, message: broken };
    if (record.type === 'invoke') invokes++;
    records++;
    push(record, lineNo, text);
    return undefined;
  };
  // where the line being read starts, in bytes from the start of the file (for a bad byte's column)
  let offset = 0;
  let lineStartByte = 0;
  let lines = 1;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      let text: string;
      try {
        text = decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      } catch {
        // as decode.ts says it: the line and byte column of the first bad byte (in this chunk,
        // or at its start when it ends a sequence held back from the chunk before)
        const chunk = buf.subarray(0, n);
        const at = n === 0 ? 0 : Math.max(0, firstInvalidUtf8(chunk));
        for (let i = 0; i < at; i++) {
          if (chunk[i] === 0x0a) {
            lines++;
            lineStartByte = offset + i + 1;
          }
        }
        const hex = (chunk[at] ?? 0).toString(16).padStart(2, '0');
        return {
          ok: false,
          error: { file, line: lines, column: offset + at - lineStartByte + 1, message: `invalid UTF-8 (byte 0x${hex}; the column counts bytes): histories must be UTF-8 text` },
        };
      }
      for (let i = buf.indexOf(0x0a); i >= 0 && i < n; i = buf.indexOf(0x0a, i + 1)) {
        lines++;
        lineStartByte = offset + i + 1;
      }
      offset += n;
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break;
        const err = line(start === 0 ? rest + text.slice(0, end) : text.slice(start, end));
        if (err) return { ok: false, error: err };
        if (start === 0) rest = '';
        start = end + 1;
      }
      rest = start === 0 ? rest + text : text.slice(start);
      if (n === 0) break;
    }
    if (rest.length > 0) {
      const err = line(rest);
      if (err) return { ok: false, error: err };
    }
  } finally {
    closeSync(fd);
  }
  if (invokes === 0) {
    const error = noOperationErrorOf({ empty: offset === 0, lines: lineNo, ...(firstText ? { first: firstText } : {}), records }, file, 'jsonl');
    return { ok: false, error };
  }
  return { ok: true, records, invokes };
}

/**
 * The first line after `afterLine` of the file at `path` that invokes op `op`, if any: read
 * only to name the line when a completion precedes its invoke (as readJsonl says it), as a
 * second stream over the file.
 */
export function laterInvokeLine(path: string, afterLine: number, op: number, chunkBytes = CHUNK_BYTES): number | undefined {
  const decoder = new TextDecoder('utf-8');
  const buf = new Uint8Array(chunkBytes);
  const fd = openSync(path, 'r');
  let lineNo = 0;
  let rest = '';
  const invokes = (raw: string): boolean => {
    lineNo++;
    if (lineNo <= afterLine || !raw.includes('"invoke"')) return false;
    try {
      const r = JSON.parse(raw) as { type?: unknown; op?: unknown };
      return r.type === 'invoke' && r.op === op;
    } catch {
      return false; // a broken later line says nothing about this op
    }
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const text = rest + decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        if (invokes(text.slice(start, end))) return lineNo;
        start = end + 1;
      }
      rest = text.slice(start);
      if (n === 0) return rest.length > 0 && invokes(rest) ? lineNo : undefined;
    }
  } finally {
    closeSync(fd);
  }
}
