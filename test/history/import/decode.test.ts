import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8, formatImportError } from '../../../src/history/import/index.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

describe('decodeUtf8', () => {
  it('refuses invalid UTF-8: keys k\\xff and k\\xfe must not merge into one', () => {
    const r = decodeUtf8(bytes('{"t":1}\n{"key":"k', [0xff], '"}\n'), 'h.jsonl');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatImportError(r.error)).toBe('h.jsonl:2:10: invalid UTF-8 (byte 0xff; the column counts bytes): histories must be UTF-8 text');
  });
  it('decodes valid text and drops a byte-order mark', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'é€😀'), 'x')).toEqual({ ok: true, text: 'é€😀' });
  });
  it('finds overlong forms, surrogates, stray continuations and cut-off sequences', () => {
    expect(firstInvalidUtf8(bytes('ab', [0xc0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(bytes('a', [0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(bytes('a', [0x80]))).toBe(1);
    expect(firstInvalidUtf8(bytes('abc', [0xe2, 0x82]))).toBe(3);
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(bytes('ok é'))).toBe(-1);
  });
  it('agrees with the platform decoder on random bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (b) => {
        let valid = true;
        try {
          strict.decode(b);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(b) === -1).toBe(valid);
      }),
      { seed: 20, numRuns: 3000 },
    );
  });
});
