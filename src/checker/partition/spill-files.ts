/**
 * Append-only spill files in a temporary directory: text lines per key bucket and op-id
 * events (two float64 each) per id bucket, buffered in memory up to a fixed total so that
 * the buffers, not the file, bound what pass 1 holds.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of buffered text and events, across all buckets, before a bucket is flushed. */
const BUFFER_BYTES = 4 << 20;
const MIN_FLUSH_BYTES = 16 << 10;

export interface SpillFiles {
  readonly dir: string;
  readonly buckets: number;
  /** the text file of key bucket `b` */
  textPath(b: number): string;
  /** the event file of id bucket `b` */
  idPath(b: number): string;
  addLine(b: number, line: string): void;
  /** an event of op `id` on `line`; `kind` 0 invoke, 1 ok, 2 fail, 3 info */
  addEvent(b: number, id: number, line: number, kind: number): void;
  /** bytes of text written to each key bucket (after `flush`) */
  readonly textBytes: number[];
  flush(): void;
  /** removes the directory and everything in it */
  remove(): void;
}

/** Creates the directory (under `root`, the OS temp directory by default) and empty buffers. */
export function createSpillFiles(buckets: number, root: string = tmpdir()): SpillFiles {
  const dir = mkdtempSync(join(root, 'replsim-check-'));
  const flushAt = Math.max(MIN_FLUSH_BYTES, Math.floor(BUFFER_BYTES / (2 * buckets)));
  const text: string[][] = Array.from({ length: buckets }, () => []);
  const textLen = new Float64Array(buckets);
  const textBytes = new Array<number>(buckets).fill(0);
  const eventsPer = Math.max(256, Math.floor(flushAt / 16));
  const events: Float64Array[] = [];
  const eventN = new Int32Array(buckets);
  const textPath = (b: number): string => join(dir, `k${b}.jsonl`);
  const idPath = (b: number): string => join(dir, `i${b}.f64`);
  const flushText = (b: number): void => {
    const chunk = text[b]!;
    if (chunk.length === 0) return;
    const data = Buffer.from(chunk.join(''), 'utf8');
    appendFileSync(textPath(b), data);
    textBytes[b] = (textBytes[b] as number) + data.length;
    text[b] = [];
    textLen[b] = 0;
  };
  const flushEvents = (b: number): void => {
    const n = eventN[b] as number;
    const ev = events[b];
    if (!ev || n === 0) return;
    appendFileSync(idPath(b), new Uint8Array(ev.buffer, 0, n * 16));
    eventN[b] = 0;
  };
  return {
    dir,
    buckets,
    textPath,
    idPath,
    textBytes,
    addLine(b, line) {
      text[b]!.push(line);
      textLen[b] = (textLen[b] as number) + line.length;
      if ((textLen[b] as number) >= flushAt) flushText(b);
    },
    addEvent(b, id, line, kind) {
      const ev = (events[b] ??= new Float64Array(2 * eventsPer));
      const n = eventN[b] as number;
      ev[2 * n] = id;
      ev[2 * n + 1] = line * 4 + kind;
      eventN[b] = n + 1;
      if (n + 1 === eventsPer) flushEvents(b);
    },
    flush() {
      for (let b = 0; b < buckets; b++) {
        flushText(b);
        flushEvents(b);
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
