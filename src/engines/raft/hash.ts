/**
 * FNV-1a, 32 bit. Used for two stable, platform-independent hashes: key → range, and the
 * running chain over a log's (index, term, op) sequence that lets two replicas compare whole
 * log prefixes by one number (log matching and state-machine safety checks).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the string's UTF-16 code units (= its bytes for ASCII keys). Unsigned 32 bit. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Folds integers into a running FNV-1a hash (each as 4 little-endian bytes). */
export function chainHash(prev: number, ...ints: number[]): number {
  let h = prev === 0 ? FNV_OFFSET : prev;
  for (const n of ints) {
    // Numbers here are non-negative integers below 2^53; fold the high part too.
    const lo = n >>> 0;
    const hi = Math.floor(n / 0x1_0000_0000) >>> 0;
    for (const word of [lo, hi]) {
      for (let b = 0; b < 4; b++) {
        h ^= (word >>> (8 * b)) & 0xff;
        h = Math.imul(h, FNV_PRIME);
      }
    }
  }
  return h >>> 0;
}
