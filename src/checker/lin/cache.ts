/**
 * The search's memo: the set of (linearized ops as a bitset, model state) configurations
 * already explored. A hand-rolled chained hash table over typed arrays, because the search
 * inserts millions of small entries and a `Map` of objects would spend its time allocating.
 * The bitset's hash is kept incrementally by the caller (Zobrist: xor of one random word per op).
 * A cache can be reset and reused by the next partition's search: its buffers stay allocated,
 * which spares the garbage collector (large typed arrays trigger full collections).
 */

/** A set of configurations. */
export interface ConfigCache {
  /** Adds (bits, state) unless present; true when it was added. `hash` is bits' Zobrist hash. */
  addIfAbsent(bits: Uint32Array, hash: number, state: number): boolean;
  /** Empties the cache for bitsets of `words` words, keeping its buffers. */
  reset(words: number): void;
  /** configurations stored */
  readonly size: number;
}

const MIN_TABLE = 1024;

/** A cache for bitsets of `words` 32-bit words. */
export function createConfigCache(words: number): ConfigCache {
  let w = words;
  let count = 0;
  let capacity = 256;
  let hashes = new Int32Array(capacity);
  let states = new Int32Array(capacity);
  let nexts = new Int32Array(capacity);
  let pool = new Uint32Array(capacity * w);
  let heads = new Int32Array(MIN_TABLE).fill(-1);
  let mask = MIN_TABLE - 1;

  function slot(hash: number, state: number): number {
    let h = hash ^ Math.imul(state + 1, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  }

  function growEntries(): void {
    capacity *= 2;
    const h2 = new Int32Array(capacity);
    h2.set(hashes.subarray(0, count));
    hashes = h2;
    const s2 = new Int32Array(capacity);
    s2.set(states.subarray(0, count));
    states = s2;
    const n2 = new Int32Array(capacity);
    n2.set(nexts.subarray(0, count));
    nexts = n2;
    const p2 = new Uint32Array(capacity * w);
    p2.set(pool.subarray(0, count * w));
    pool = p2;
  }

  function growTable(): void {
    heads = new Int32Array(heads.length * 2).fill(-1);
    mask = heads.length - 1;
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
    reset(words2) {
      w = words2;
      count = 0;
      capacity = Math.floor(pool.length / w);
      if (capacity < 256 || hashes.length < capacity) {
        capacity = Math.max(256, Math.min(capacity, hashes.length));
        if (pool.length < capacity * w) pool = new Uint32Array(capacity * w);
      }
      if (heads.length > MIN_TABLE) {
        heads = new Int32Array(MIN_TABLE);
        mask = MIN_TABLE - 1;
      }
      heads.fill(-1);
    },
    addIfAbsent(bits, hash, state) {
      let b = slot(hash, state);
      for (let i = heads[b]!; i !== -1; i = nexts[i]!) {
        if (hashes[i] !== hash || states[i] !== state) continue;
        const base = i * w;
        let same = true;
        for (let k = 0; k < w; k++) {
          if (pool[base + k] !== bits[k]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      if (count === capacity) growEntries();
      if (2 * count >= heads.length) {
        growTable();
        b = slot(hash, state);
      }
      const i = count++;
      hashes[i] = hash;
      states[i] = state;
      pool.set(bits, i * w);
      nexts[i] = heads[b]!;
      heads[b] = i;
      return true;
    },
  };
}
