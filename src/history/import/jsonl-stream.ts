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
import { checkRecord } from './jsonl.js';
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
 * file order. Stops at the first bad line: invalid UTF-8, not JSON, a record missing a field
 * its type needs, or what `opts.check` refuses. A file with no `invoke` is refused too. Throws
 * only what the file system throws (the caller names the file).
 */
export function streamJsonl(path: string, file: string, push: (r: HistoryRecord) => void, opts: JsonlStreamOptions = {}): JsonlStreamResult {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buf = new Uint8Array(opts.chunkBytes ?? CHUNK_BYTES);
  const fd = openSync(path, 'r');
  let lineNo = 0;
  let records = 0;
  let invokes = 0;
  let rest = ''; // the start of a line not ended yet
  const line = (raw: string): ImportError | undefined => {
    lineNo++;
    const text = raw.trim();
    if (text.length === 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      return { file, line: lineNo, ...(pos ? { column: Number(pos[1]) + 1 } : {}), message: `not valid JSON (${msg})` };
    }
    const problem = checkRecord(parsed);
    if (problem) return { file, line: lineNo, message: problem };
    const record = parsed as HistoryRecord;
    // `node` defaults to the client, as in readJsonl
    if (record.type === 'invoke' && record.node === undefined) record.node = record.client;
    const broken = opts.check?.(record, lineNo);
    if (broken) return { file, line: lineNo, message: broken };
    if (record.type === 'invoke') invokes++;
    records++;
    push(record);
    return undefined;
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      let text: string;
      try {
        text = decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      } catch {
        // the bad bytes are in this chunk (or complete a sequence held back from the one before)
        return { ok: false, error: { file, line: lineNo + 1 + newlinesBeforeInvalid(buf.subarray(0, n)), message: 'invalid UTF-8: histories must be UTF-8 text' } };
      }
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
    const message = lineNo === 0 ? 'the file is empty: no operation to check' : `no operation to check: ${records} record${records === 1 ? '' : 's'} read, none an invoke`;
    return { ok: false, error: { file, line: 1, message } };
  }
  return { ok: true, records, invokes };
}

/** Newlines before the first invalid UTF-8 sequence of `bytes` (found by bisection: a prefix decodes until it reaches it). */
function newlinesBeforeInvalid(bytes: Uint8Array): number {
  const valid = (k: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, k), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0; // valid(lo)
  let hi = bytes.length; // !valid(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid;
  }
  let lines = 0;
  for (let i = 0; i < lo; i++) if (bytes[i] === 0x0a) lines++;
  return lines;
}
