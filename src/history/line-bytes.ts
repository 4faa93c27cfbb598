/**
 * History lines written straight into a byte buffer: the same bytes as the UTF-8 of
 * `serializeRecord(r) + '\n'` (serialize.ts), without building a string per record. A long run
 * writes ~13 M lines; as strings each one was built from pieces, appended to a chunk string,
 * and the chunk was flattened and UTF-8-encoded again for the hash and the file: a quarter of
 * the 2-hour partition's CPU, most of it string copies and the collections they caused. Here
 * numbers are written digit by digit, names are encoded once and copied as bytes, and only
 * rare shapes (classes, clocks, values that are not integers) fall back to JSON.stringify.
 * Fixed text, names and whole runs of them (an invoke's `,"client":…,"key":`, an apply's
 * `,"type":"apply","node":…,"key":`) are kept as byte spans and copied four bytes at a time;
 * a time past 10^9 µs reuses the digits of its leading part (they change every 1,000 s).
 */
import type { HistoryRecord, Value } from './types.js';

const encoder = new TextEncoder();

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CLOSE = 0x7d; // }

/**
 * Byte spans kept flat: their UTF-8 bytes back to back in `pool`, and per span two int32s in
 * `ent`: the offset in `pool` and the byte length, complemented (`~length`, negative) when the
 * text is not ASCII; then `wide` holds the text's UTF-16 length minus its byte length. (ASCII
 * spans, nearly all, so cost no adjustment.) Flat because a name is written ~13 M times on a
 * long run, and an object per name (entry → Uint8Array → its buffer) cost three dependent
 * loads on each. Each span starts at a multiple of 8 bytes and is padded with zeros to the
 * next, so every span is copied in whole 64-bit words read as doubles: a word of UTF-8 text
 * and zero padding is never a NaN's bit pattern (that needs a byte 0xF0-0xFF followed by
 * 0x7F or 0xFF, which UTF-8 never has: a byte from 0xF0 is followed by one from 0x80-0xBF),
 * so the bits go through unchanged.
 */
let pool = new Uint8Array(1 << 14);
let poolView = new DataView(pool.buffer);
let poolEnd = 0;
let ent = new Int32Array(2 * 256);
let wide = new Int32Array(256);
let spans = 0;

/** A new span holding `text` (already JSON where it must be); its index. */
function addSpan(text: string): number {
  const bytes = encoder.encode(text);
  const padded = (bytes.length + 7) & ~7;
  if (poolEnd + padded > pool.length) {
    const grown = new Uint8Array(Math.max(pool.length * 2, poolEnd + padded));
    grown.set(pool.subarray(0, poolEnd));
    pool = grown;
    poolView = new DataView(pool.buffer);
  }
  pool.set(bytes, poolEnd);
  if (spans + 1 > wide.length) {
    const grown = new Int32Array(ent.length * 2);
    grown.set(ent);
    ent = grown;
    const w = new Int32Array(wide.length * 2);
    w.set(wide);
    wide = w;
  }
  const e = spans++;
  ent[2 * e] = poolEnd;
  ent[2 * e + 1] = text.length === bytes.length ? bytes.length : ~bytes.length;
  wide[e] = text.length - bytes.length;
  poolEnd += padded; // the padding is still zeros: the pool only grows
  return e;
}

/** Distinct names cached (node, client, key and op names: a few thousand in practice). */
const MAX_CACHED = 1 << 16;
const entryOf = new Map<string, number>();
let names = 0;

/**
 * A direct-mapped cache in front of the map, as the checker's name table has (table.ts): the
 * same few string objects come back on every record, so one identity comparison usually
 * answers instead of a map lookup.
 */
const FRONT = 1 << 14;
const frontKey: Array<string | undefined> = new Array<string | undefined>(FRONT).fill(undefined);
const frontEntry = new Int32Array(FRONT);

/** The span of `s` quoted, or -1 once MAX_CACHED names are cached and `s` is not one. */
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

/**
 * A small number naming `s` for as long as the process runs (the same for equal strings), or
 * -1 for every string once MAX_CACHED names are named and `s` is not one of them: a name's
 * answer never changes (the cache's contract, which test/run/limits.test.ts leans on to fill it).
 */
export function nameId(s: string): number {
  return entry(s);
}

function slowEntry(s: string): number {
  const known = entryOf.get(s);
  if (known !== undefined) return known;
  if (names >= MAX_CACHED) return -1;
  names++;
  const e = addSpan(JSON.stringify(s));
  entryOf.set(s, e);
  return e;
}

/**
 * Invoke templates: `,"client":C,"node":N,"f":F,"key":` as one span per (client, node, f),
 * found through a direct-mapped cache slotted by the client's span and the op name's length
 * (a client sends to one node at a time and uses two or three op names) and checked by
 * comparing the three strings.
 */
const MAX_TEMPLATES = 1 << 16;
const templateOf = new Map<string, number>();
const INV = 1 << 12;
const invClient: Array<string | undefined> = new Array<string | undefined>(INV).fill(undefined);
const invNode: Array<string | undefined> = new Array<string | undefined>(INV).fill(undefined);
const invF: Array<string | undefined> = new Array<string | undefined>(INV).fill(undefined);
const invSpan = new Int32Array(INV);

/** The invoke template's span, or -1 when a name is not cached or there are too many templates. */
function invokeTemplate(eClient: number, client: string, node: string, f: string): number {
  const h = (eClient * 8 + f.length) & (INV - 1);
  if (invClient[h] === client && invNode[h] === node && invF[h] === f) return invSpan[h] as number;
  const eNode = entry(node);
  const eF = entry(f);
  if (eNode < 0 || eF < 0) return -1;
  const id = `${eClient},${eNode},${eF}`;
  let e = templateOf.get(id);
  if (e === undefined) {
    if (templateOf.size >= MAX_TEMPLATES) return -1;
    e = addSpan(`,"client":${JSON.stringify(client)},"node":${JSON.stringify(node)},"f":${JSON.stringify(f)},"key":`);
    templateOf.set(id, e);
  }
  invClient[h] = client;
  invNode[h] = node;
  invF[h] = f;
  invSpan[h] = e;
  return e;
}

/** Apply templates, `,"type":"apply","node":N,"key":`, by the node name's span (-1: none yet). */
let applySpan = new Int32Array(64).fill(-1);

function applyTemplate(eNode: number, node: string): number {
  if (eNode >= applySpan.length) {
    const grown = new Int32Array(Math.max(eNode + 1, applySpan.length * 2)).fill(-1);
    grown.set(applySpan);
    applySpan = grown;
  }
  let e = applySpan[eNode] as number;
  if (e < 0) {
    e = addSpan(`,"type":"apply","node":${JSON.stringify(node)},"key":`);
    applySpan[eNode] = e;
  }
  return e;
}

/** "00" to "99" as ASCII digit pairs, and as little-endian 16-bit words (one store per pair). */
const PAIRS = new Uint8Array(200);
const PAIR16 = new Uint16Array(100);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
  PAIR16[i] = (0x30 + Math.floor(i / 10)) | ((0x30 + (i % 10)) << 8);
}

/** Bytes kept free before a record is written: a common record is far shorter. */
const HEADROOM = 1 << 12;

/** Bytes past every `room` that need no check: the longest fixed piece with its spare word, digits, `}` and the newline. */
const SLACK = 64;

/** Where times start to be written as a leading part and nine digits. */
const SPLIT = 1e9;

/**
 * A growable byte buffer that history records are appended to as JSON lines. `pos` bytes are
 * pending; the owner takes them with `bytes()` and calls `clear()`.
 */
export class LineBytes {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  /** UTF-16 length minus UTF-8 length of the line being written (non-zero only for non-ASCII text) */
  private adjust = 0;
  /** `{"t":` and the digits of `tHead / 1e9` (tHead a multiple of 1e9; -1: none yet) */
  private tHead = -1;
  private readonly tHeadView = new DataView(new ArrayBuffer(16));
  private tHeadLength = 0;

  constructor(size = 1 << 20) {
    this.buf = new Uint8Array(Math.max(size, HEADROOM * 2));
    this.view = new DataView(this.buf.buffer);
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
      case 'invoke': {
        if (r.clock_us !== undefined || r.class !== undefined) return false;
        const eClient = entry(r.client);
        const tpl = eClient < 0 ? -1 : invokeTemplate(eClient, r.client, r.node, r.f);
        if (tpl < 0) return false;
        this.time(r.t);
        this.invokeOp();
        this.num(r.op);
        this.span(tpl);
        this.name(r.key);
        if (r.value !== undefined) {
          this.valueKey();
          this.value(r.value);
        }
        this.buf[this.pos++] = CLOSE;
        return true;
      }
      case 'ok':
        this.time(r.t);
        this.okOp();
        this.num(r.op);
        if (r.value !== undefined) {
          this.valueKey();
          this.value(r.value);
        }
        this.buf[this.pos++] = CLOSE;
        return true;
      case 'apply': {
        if (r.clock_us !== undefined || r.op === undefined || r.version === undefined) return false;
        const eNode = entry(r.node);
        if (eNode < 0) return false;
        this.time(r.t);
        this.span(applyTemplate(eNode, r.node));
        this.name(r.key);
        this.valueKey();
        this.value(r.value);
        this.opKey();
        this.num(r.op);
        this.versionKey();
        this.str(r.version);
        this.buf[this.pos++] = CLOSE;
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Makes room for `n` more bytes and SLACK beyond them, which the fixed pieces, digits and
   * closing bytes written after a variable-length piece use without a check of their own.
   */
  private room(n: number): void {
    if (this.pos + n + SLACK <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n + HEADROOM));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Copies span `e`, eight bytes at a time (the last word may write up to seven bytes past the span's end, which later writes overwrite; SLACK covers them). */
  private span(e: number): void {
    const off = ent[2 * e] as number;
    let len = ent[2 * e + 1] as number;
    if (len < 0) {
      len = ~len;
      this.adjust += wide[e] as number;
    }
    this.room(len);
    const dst = this.view;
    const src = poolView;
    const p = this.pos;
    for (let i = 0; i < len; i += 8) dst.setFloat64(p + i, src.getFloat64(off + i, true), true);
    this.pos = p + len;
  }

  // The fixed pieces of the common shapes (serialize.ts writes the same text) as little-endian words (the bytes past a piece's end are overwritten by
  // what follows). Immediates instead of a copy from the pool: no loads, no loop.

  /** `,"type":"invoke","op":` */
  private invokeOp(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x7974222c, true);
    v.setInt32(p + 4, 0x3a226570, true);
    v.setInt32(p + 8, 0x766e6922, true);
    v.setInt32(p + 12, 0x22656b6f, true);
    v.setInt32(p + 16, 0x706f222c, true);
    v.setInt32(p + 20, 0x00003a22, true);
    this.pos = p + 22;
  }

  /** `,"type":"ok","op":` */
  private okOp(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x7974222c, true);
    v.setInt32(p + 4, 0x3a226570, true);
    v.setInt32(p + 8, 0x226b6f22, true);
    v.setInt32(p + 12, 0x706f222c, true);
    v.setInt32(p + 16, 0x00003a22, true);
    this.pos = p + 18;
  }

  /** `,"value":` */
  private valueKey(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x6176222c, true);
    v.setInt32(p + 4, 0x2265756c, true);
    v.setInt32(p + 8, 0x0000003a, true);
    this.pos = p + 9;
  }

  /** `,"op":` */
  private opKey(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x706f222c, true);
    v.setInt32(p + 4, 0x00003a22, true);
    this.pos = p + 6;
  }

  /** `,"version":` */
  private versionKey(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x6576222c, true);
    v.setInt32(p + 4, 0x6f697372, true);
    v.setInt32(p + 8, 0x003a226e, true);
    this.pos = p + 11;
  }

  /** `{"t":` */
  private tKey(): void {
    const v = this.view;
    const p = this.pos;
    v.setInt32(p, 0x2274227b, true);
    v.setInt32(p + 4, 0x0000003a, true);
    this.pos = p + 5;
  }

  private name(s: string): void {
    const e = entry(s);
    if (e < 0) {
      // past MAX_CACHED distinct names: quoted each time (text() keeps `adjust` as above)
      this.text(JSON.stringify(s));
      return;
    }
    this.span(e);
  }

  /** `{"t":` and the time; a time past SPLIT reuses its leading digits while they last. */
  private time(t: number): void {
    if (t >= SPLIT) {
      let lo = t - this.tHead;
      if (!(lo >= 0 && lo < SPLIT)) {
        if (!Number.isSafeInteger(t)) {
          this.tKey();
          this.num(t);
          return;
        }
        this.head(t);
        lo = t - this.tHead;
      }
      if ((lo | 0) === lo) {
        // the head is at most `{"t":9007199` (12 bytes): three words
        const src = this.tHeadView;
        const dst = this.view;
        const p = this.pos;
        dst.setUint32(p, src.getUint32(0, true), true);
        dst.setUint32(p + 4, src.getUint32(4, true), true);
        dst.setUint32(p + 8, src.getUint32(8, true), true);
        this.pos = p + this.tHeadLength;
        this.nine(lo);
        return;
      }
    }
    this.tKey();
    this.num(t);
  }

  /** Sets the cached leading part to `t`'s (a safe integer past SPLIT). */
  private head(t: number): void {
    const hi = Math.floor(t / SPLIT);
    const text = `{"t":${hi}`;
    for (let i = 0; i < text.length; i++) this.tHeadView.setUint8(i, text.charCodeAt(i));
    this.tHeadLength = text.length;
    this.tHead = hi * SPLIT;
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

  /**
   * A non-negative int32 in decimal. Split into groups of four digits first, so that the
   * divisions form short independent chains (an op number of seven digits: one division for
   * the split, one per group) instead of one chain of a division per digit pair.
   */
  private small(v: number): void {
    if (v < 10000) {
      this.upTo4(v);
      return;
    }
    const hi = (v / 10000) | 0;
    const lo = v - hi * 10000;
    if (hi < 10000) this.upTo4(hi);
    else {
      const top = (hi / 10000) | 0; // v >= 10^8: one or two digits
      this.upTo4(top);
      this.four(hi - top * 10000);
    }
    this.four(lo);
  }

  /** A number below 10^4, without leading zeros. */
  private upTo4(x: number): void {
    const p = this.pos;
    if (x < 100) {
      if (x < 10) {
        this.buf[p] = 0x30 + x;
        this.pos = p + 1;
      } else {
        this.view.setUint16(p, PAIR16[x] as number, true);
        this.pos = p + 2;
      }
      return;
    }
    const q = (x / 100) | 0;
    if (q < 10) {
      this.buf[p] = 0x30 + q;
      this.view.setUint16(p + 1, PAIR16[x - q * 100] as number, true);
      this.pos = p + 3;
    } else {
      this.view.setUint16(p, PAIR16[q] as number, true);
      this.view.setUint16(p + 2, PAIR16[x - q * 100] as number, true);
      this.pos = p + 4;
    }
  }

  /** A number below 10^4 as exactly four digits (zero-padded). */
  private four(x: number): void {
    const p = this.pos;
    const q = (x / 100) | 0;
    this.view.setUint16(p, PAIR16[q] as number, true);
    this.view.setUint16(p + 2, PAIR16[x - q * 100] as number, true);
    this.pos = p + 4;
  }

  /** A non-negative integer below 1e9 as exactly nine digits (zero-padded). */
  private nine(v: number): void {
    // Split at 10^4 first: the halves' digit pairs are then short independent chains of
    // divisions instead of one chain of four.
    const hi = (v / 10000) | 0; // five digits
    const top = (hi / 10000) | 0; // the first of them
    this.buf[this.pos++] = 0x30 + top;
    this.four(hi - top * 10000);
    this.four(v - hi * 10000);
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
