/**
 * History lines written straight into a byte buffer: the same bytes as the UTF-8 of
 * `serializeRecord(r) + '\n'` (serialize.ts), without building a string per record. A long run
 * writes ~13 M lines; as strings each one was built from pieces, appended to a chunk string,
 * and the chunk was flattened and UTF-8-encoded again for the hash and the file: a quarter of
 * the 2-hour partition's CPU, most of it string copies and the collections they caused. Here
 * numbers are written digit by digit, names are encoded once and copied as bytes, and only
 * rare shapes (classes, clocks, values that are not integers) fall back to JSON.stringify.
 */
import type { HistoryRecord, Value } from './types.js';

const encoder = new TextEncoder();

function ascii(s: string): Uint8Array {
  return encoder.encode(s);
}

// Fixed pieces of the common shapes (serialize.ts writes the same text).
const T = ascii('{"t":');
const INVOKE_OP = ascii(',"type":"invoke","op":');
const OK_OP = ascii(',"type":"ok","op":');
const APPLY_NODE = ascii(',"type":"apply","node":');
const CLIENT = ascii(',"client":');
const NODE = ascii(',"node":');
const F = ascii(',"f":');
const KEY = ascii(',"key":');
const VALUE = ascii(',"value":');
const OP = ascii(',"op":');
const VERSION = ascii(',"version":');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CLOSE = 0x7d; // }

/**
 * Names JSON-quoted once, kept flat: their UTF-8 bytes back to back in `pool`, and per entry
 * three int32s in `ent` (offset in `pool`, byte length, and the quoted text's UTF-16 length
 * minus its byte length). Flat because a name is written ~13 M times on a long run, and an
 * object per name (entry → Uint8Array → its buffer) cost three dependent loads on each.
 */
let pool = new Uint8Array(1 << 14);
let poolEnd = 0;
let ent = new Int32Array(3 * 256);
let entries = 0;

/** Distinct names cached (node, client, key and op names: a few thousand in practice). */
const MAX_CACHED = 1 << 16;
const entryOf = new Map<string, number>();

/**
 * A direct-mapped cache in front of the map, as the checker's name table has (table.ts): the
 * same few string objects come back on every record, so one identity comparison usually
 * answers instead of a map lookup.
 */
const FRONT = 1 << 14;
const frontKey: Array<string | undefined> = new Array<string | undefined>(FRONT).fill(undefined);
const frontEntry = new Int32Array(FRONT);

/** The entry of `s` (index into `ent` / 3), or -1 once MAX_CACHED names are cached and `s` is not one. */
function entry(s: string): number {
  // slot from the length, the first and the last three characters (keys differ at the end:
  // k17, k117, k217), mixed so that a thousand keys take ~980 of the slots
  const n = s.length;
  let h = n;
  if (n > 0) {
    h = Math.imul(h ^ s.charCodeAt(0), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0x85ebca6b);
    if (n > 1) h = Math.imul(h ^ s.charCodeAt(n - 2), 0xc2b2ae35);
    if (n > 2) h = Math.imul(h ^ s.charCodeAt(n - 3), 0x27d4eb2f);
  }
  h = (h ^ (h >>> 15)) & (FRONT - 1);
  if (frontKey[h] === s) return frontEntry[h] as number;
  const e = slowEntry(s);
  if (e >= 0) {
    frontKey[h] = s;
    frontEntry[h] = e;
  }
  return e;
}

function slowEntry(s: string): number {
  const known = entryOf.get(s);
  if (known !== undefined) return known;
  if (entries >= MAX_CACHED) return -1;
  const text = JSON.stringify(s);
  const bytes = encoder.encode(text);
  if (poolEnd + bytes.length > pool.length) {
    const grown = new Uint8Array(Math.max(pool.length * 2, poolEnd + bytes.length));
    grown.set(pool.subarray(0, poolEnd));
    pool = grown;
  }
  pool.set(bytes, poolEnd);
  if (3 * (entries + 1) > ent.length) {
    const grown = new Int32Array(ent.length * 2);
    grown.set(ent);
    ent = grown;
  }
  const e = entries++;
  ent[3 * e] = poolEnd;
  ent[3 * e + 1] = bytes.length;
  ent[3 * e + 2] = text.length - bytes.length;
  poolEnd += bytes.length;
  entryOf.set(s, e);
  return e;
}

/** "00" to "99" as ASCII digit pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** Bytes kept free before a record is written: a common record is far shorter. */
const HEADROOM = 1 << 12;

/**
 * A growable byte buffer that history records are appended to as JSON lines. `pos` bytes are
 * pending; the owner takes them with `bytes()` and calls `clear()`.
 */
export class LineBytes {
  private buf: Uint8Array;
  pos = 0;
  /** UTF-16 length minus UTF-8 length of the line being written (non-zero only for non-ASCII text) */
  private adjust = 0;

  constructor(size = 1 << 20) {
    this.buf = new Uint8Array(Math.max(size, HEADROOM * 2));
  }

  /** The pending bytes (a view: valid until the next write or clear). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  clear(): void {
    this.pos = 0;
  }

  /**
   * Appends `r`'s line and its newline; returns the line's length in UTF-16 units plus one,
   * as `serializeRecord(r).length + 1` (what the run's limits count).
   */
  line(r: HistoryRecord): number {
    this.room(HEADROOM);
    const start = this.pos;
    this.adjust = 0;
    if (!this.common(r)) {
      this.pos = start;
      this.adjust = 0;
      this.text(JSON.stringify(r));
    }
    this.buf[this.pos++] = NEWLINE;
    return this.pos - start + this.adjust;
  }

  /** The shapes serialize.ts writes field by field; false for every other record. */
  private common(r: HistoryRecord): boolean {
    switch (r.type) {
      case 'invoke':
        if (r.clock_us !== undefined || r.class !== undefined) return false;
        this.raw(T);
        this.num(r.t);
        this.raw(INVOKE_OP);
        this.num(r.op);
        this.raw(CLIENT);
        this.name(r.client);
        this.raw(NODE);
        this.name(r.node);
        this.raw(F);
        this.name(r.f);
        this.raw(KEY);
        this.name(r.key);
        if (r.value !== undefined) {
          this.raw(VALUE);
          this.value(r.value);
        }
        this.buf[this.pos++] = CLOSE;
        return true;
      case 'ok':
        this.raw(T);
        this.num(r.t);
        this.raw(OK_OP);
        this.num(r.op);
        if (r.value !== undefined) {
          this.raw(VALUE);
          this.value(r.value);
        }
        this.buf[this.pos++] = CLOSE;
        return true;
      case 'apply':
        if (r.clock_us !== undefined || r.op === undefined || r.version === undefined) return false;
        this.raw(T);
        this.num(r.t);
        this.raw(APPLY_NODE);
        this.name(r.node);
        this.raw(KEY);
        this.name(r.key);
        this.raw(VALUE);
        this.value(r.value);
        this.raw(OP);
        this.num(r.op);
        this.raw(VERSION);
        this.str(r.version);
        this.buf[this.pos++] = CLOSE;
        return true;
      default:
        return false;
    }
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n + HEADROOM));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  private raw(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i] as number;
    this.pos = p;
  }

  private name(s: string): void {
    const e = entry(s);
    if (e < 0) {
      // past MAX_CACHED distinct names: quoted each time (text() keeps `adjust` as above)
      this.text(JSON.stringify(s));
      return;
    }
    const off = ent[3 * e] as number;
    const end = off + (ent[3 * e + 1] as number);
    this.room(end - off);
    const buf = this.buf;
    const src = pool;
    let p = this.pos;
    for (let i = off; i < end; i++) buf[p++] = src[i] as number;
    this.pos = p;
    this.adjust += ent[3 * e + 2] as number;
  }

  /** A number as `String(n)` writes it; integers digit by digit. */
  private num(n: number): void {
    if ((n | 0) === n && n >= 0) {
      this.small(n);
      return;
    }
    if (!Number.isSafeInteger(n)) {
      this.text(String(n));
      return;
    }
    let v = n;
    if (v < 0) {
      this.buf[this.pos++] = 0x2d; // -
      v = -v;
    }
    if (v <= 0x7fffffff) {
      this.small(v);
      return;
    }
    // Past 2^31 (an hour of microseconds already is): two int32 halves, as int-text.ts does,
    // so the digits come from integer division instead of the double one.
    const hi = Math.floor(v / 1e9);
    this.small(hi);
    this.nine(v - hi * 1e9);
  }

  /** A non-negative int32 in decimal, two digits per division. */
  private small(v: number): void {
    let len = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) len++;
    const buf = this.buf;
    let p = this.pos + len;
    this.pos = p;
    let x = v;
    while (x >= 100) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) << 1;
      buf[--p] = PAIRS[r + 1] as number;
      buf[--p] = PAIRS[r] as number;
      x = q;
    }
    if (x >= 10) {
      buf[--p] = PAIRS[(x << 1) + 1] as number;
      buf[--p] = PAIRS[x << 1] as number;
    } else buf[--p] = 0x30 + x;
  }

  /** A non-negative integer below 1e9 as exactly nine digits (zero-padded). */
  private nine(v: number): void {
    const buf = this.buf;
    let p = this.pos + 9;
    this.pos = p;
    let x = v;
    for (let i = 0; i < 4; i++) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) << 1;
      buf[--p] = PAIRS[r + 1] as number;
      buf[--p] = PAIRS[r] as number;
      x = q;
    }
    buf[--p] = 0x30 + x;
  }

  /** A value as serialize.ts's `val`: finite numbers as `String`, the rest as JSON. */
  private value(v: Value): void {
    if (typeof v === 'number' && Number.isFinite(v)) this.num(v);
    else this.text(String(JSON.stringify(v)));
  }

  /** `JSON.stringify(s)`: printable ASCII without quotes or backslashes is copied as is. */
  private str(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.text(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** Any text, as UTF-8. */
  private text(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        const rest = n - i;
        this.room(rest * 3);
        const { written } = encoder.encodeInto(s.slice(i), this.buf.subarray(this.pos));
        this.pos += written;
        this.adjust += rest - written;
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }
}
