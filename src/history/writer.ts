/**
 * Collects a run's history: forwards each record to a sink (the checker's, which keeps only
 * compact columns), keeps the records themselves only when asked (tests, reports), streams canonical JSON lines
 * into a SHA-256 (the run's fingerprint), and optionally into a file written under a temp
 * name and renamed at the end, so a crashed run never leaves half a history behind.
 * Records are built with a fixed key order, so JSON.stringify is their canonical form.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { HistoryRecord } from './types.js';
import { LineBytes } from './line-bytes.js';

/** Bytes gathered before they go to the hash and the file. */
const CHUNK_BYTES = 1 << 18;

/** Where records go as they are written (e.g. the checker's streaming sink). */
export interface RecordSink {
  push(r: HistoryRecord): void;
}

export class HistoryWriter {
  readonly records: HistoryRecord[] = [];
  private readonly hash: Hash = createHash('sha256');
  /** the lines not yet hashed and written, as UTF-8 bytes (line-bytes.ts: no string per record) */
  private readonly out = new LineBytes(CHUNK_BYTES * 2);
  private fd: number | undefined;
  private readonly tmpPath: string | undefined;

  constructor(
    private readonly path?: string,
    /** keep the record objects in `records` (costly for long runs: ~150 bytes each) */
    private readonly keep = true,
    /** receives every record as it is pushed */
    private readonly sink?: RecordSink,
  ) {
    if (path) {
      this.tmpPath = `${path}.${process.pid}.tmp`;
      this.fd = openSync(this.tmpPath, 'w');
    }
  }

  get length(): number {
    return this.count;
  }
  private count = 0;

  /** Writes one record; returns the length of its JSON line (what run limits count). */
  push(r: HistoryRecord): number {
    this.count++;
    if (this.keep) this.records.push(r);
    this.sink?.push(r);
    const chars = this.out.line(r);
    if (this.out.pos >= CHUNK_BYTES) this.flush();
    return chars;
  }

  private flush(): void {
    if (this.out.pos === 0) return;
    const bytes = this.out.bytes();
    this.hash.update(bytes);
    if (this.fd !== undefined) {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    }
    this.out.clear();
  }

  /** Finishes the hash and moves the file into place; returns the hex digest. */
  finish(): string {
    this.flush();
    if (this.fd !== undefined && this.tmpPath && this.path) {
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.tmpPath, this.path);
    }
    return this.hash.digest('hex');
  }

  /** Drops the temp file (on error). */
  abort(): void {
    if (this.fd !== undefined && this.tmpPath) {
      closeSync(this.fd);
      this.fd = undefined;
      rmSync(this.tmpPath, { force: true });
    }
  }
}
