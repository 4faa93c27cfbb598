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
import { serializeRecord } from './serialize.js';

const CHUNK_CHARS = 1 << 16;

/** Where records go as they are written (e.g. the checker's streaming sink). */
export interface RecordSink {
  push(r: HistoryRecord): void;
}

export class HistoryWriter {
  readonly records: HistoryRecord[] = [];
  private readonly hash: Hash = createHash('sha256');
  private buf = '';
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
    const line = serializeRecord(r);
    this.buf += `${line}\n`;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
    return line.length + 1;
  }

  private flush(): void {
    if (!this.buf) return;
    this.hash.update(this.buf);
    if (this.fd !== undefined) writeSync(this.fd, this.buf);
    this.buf = '';
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
