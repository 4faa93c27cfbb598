/**
 * File bytes to text, refusing invalid UTF-8. A lenient decoder replaces each bad byte with
 * U+FFFD, so keys `k\xff` and `k\xfe` would become one key and their ops would be judged
 * together. A leading byte-order mark is dropped.
 */
import type { ImportError } from './result.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export type DecodeResult = { ok: true; text: string } | { ok: false; error: ImportError };

/** Decodes `bytes` (the contents of `file`); an error names the line and byte column of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): DecodeResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return {
      ok: false,
      error: { file, line, column: at - lineStart + 1, message: `invalid UTF-8 (byte 0x${hex}; the column counts bytes): histories must be UTF-8 text` },
    };
  }
}

/**
 * Offset of the first byte that does not begin a well-formed UTF-8 sequence (a stray
 * continuation byte, an overlong form, a surrogate, a code point past U+10FFFF, or a sequence
 * cut off by a bad byte or the end of the file); -1 when all is well-formed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // past U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i; // cut off by the end of the file
      const c = bytes[i + k]!;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}
