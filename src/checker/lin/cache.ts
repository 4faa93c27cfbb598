/**
 * The search's memo: the set of (linearized ops as a bitset, model state) configurations
 * already explored. A hand-rolled chained hash table over typed arrays, because the search
 * inserts millions of small entries and a `Map` of objects would spend its time allocating.
 * The bitset's hash is kept incrementally by the caller (Zobrist: xor of one random word per op).
 */

/** A set of configurations; `addIfAbsent` is the only operation the search needs. */
export interface ConfigCache {
  /** Adds (bits, state) unless present; true when it was added. `hash` is bits' Zobrist hash. */
  addIfAbsent(bits: Uint32Array, hash: number, state: number): boolean;
  /** configurations stored */
  readonly size: number;
}

/** A cache for bitsets of `words` 32-bit words. */
export function createConfigCache(words: number, initialCapacity = 1024): ConfigCache {
  let capacity = Math.max(16, initialCapacity);
  let count = 0;
  let mask = tableSizeFor(capacity) - 1;
  let heads = new Int32Array(mask + 1).fill(-1);
  let hashes = new Int32Array(capacity);
  let states = new Int32Array(capacity);
  let nexts = new Int32Array(capacity);
  let pool = new Uint32Array(capacity * words);

  function slot(hash: number, state: number): number {
    let h = hash ^ Math.imul(state + 1, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  }

  function grow(): void {
    capacity *= 2;
    const h2 = new Int32Array(capacity);
    h2.set(hashes);
    hashes = h2;
    const s2 = new Int32Array(capacity);
    s2.set(states);
    states = s2;
    nexts = new Int32Array(capacity);
    const p2 = new Uint32Array(capacity * words);
    p2.set(pool);
    pool = p2;
    mask = tableSizeFor(capacity) - 1;
    heads = new Int32Array(mask + 1).fill(-1);
    for (let i = 0; i < count; i++) {
      const b = slot(hashes[i]!, states[i]!);
      nexts[i] = heads[b]!;
      heads[b] = i;
    }
  }

  return {
    get size() {
      return count;
    },
    addIfAbsent(bits, hash, state) {
      const b = slot(hash, state);
      for (let i = heads[b]!; i !== -1; i = nexts[i]!) {
        if (hashes[i] !== hash || states[i] !== state) continue;
        const base = i * words;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (pool[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      if (count === capacity) return insertAfterGrow(bits, hash, state);
      insertAt(b, bits, hash, state);
      return true;
    },
  };

  function insertAfterGrow(bits: Uint32Array, hash: number, state: number): boolean {
    grow();
    insertAt(slot(hash, state), bits, hash, state);
    return true;
  }

  function insertAt(b: number, bits: Uint32Array, hash: number, state: number): void {
    const i = count++;
    hashes[i] = hash;
    states[i] = state;
    pool.set(bits, i * words);
    nexts[i] = heads[b]!;
    heads[b] = i;
  }
}

/** Smallest power of two at least twice `n` (load factor at most 1/2). */
function tableSizeFor(n: number): number {
  let s = 16;
  while (s < 2 * n) s *= 2;
  return s;
}
