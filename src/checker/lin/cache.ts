/**
 * The search's memo: the set of (linearized ops as a bitset, model state) configurations
 * already explored. A hand-rolled chained hash table over typed arrays, because the search
 * inserts millions of small entries and a `Map` of objects would spend its time allocating.
 * The bitset's hash is kept incrementally by the caller (Zobrist: xor of one random word per op).
 * A cache can be reset and reused by the next partition's search: its buffers stay allocated,
 * which spares the garbage collector (large typed arrays trigger full collections).
 *
 * Bitsets are stored compressed: the search linearizes ops roughly in history order, so a
 * configuration's bitset is a run of all-ones words, a short ragged middle, then zeros. An
 * entry keeps the count of leading all-ones words and the middle only. On a 10,000-op
 * single-key history this is 3 words instead of 313 per entry: the memo is ~50× smaller
 * and no longer dominates the check (see bench/check-cli.bench.mjs).
 */

/** A set of configurations. */
export interface ConfigCache {
  /**
   * Adds (bits, state) unless present; true when it was added. `hash` is bits' Zobrist hash;
   * words [0, lead) of `bits` are all ones and words [end, words) zero (the caller tracks them).
   */
  addIfAbsent(bits: Uint32Array, hash: number, state: number, lead: number, end: number): boolean;
  /** Empties the cache for bitsets of `words` words, keeping its buffers. */
  reset(words: number): void;
  /** configurations stored */
  readonly size: number;
  /** bytes the stored configurations take (entry header plus compressed bitset) */
  readonly bytes: number;
  /** bytes the last successful `addIfAbsent` added */
  readonly lastBytes: number;
  /** bytes of the buffers held (allocated, used or not): what keeping the cache for later costs */
  readonly heldBytes: number;
}

const MIN_TABLE = 1024;
/**
 * A reset keeps a table up to this many slots (128 KiB): refilling it costs microseconds,
 * while shrinking it made every small history that follows a larger one regrow its table.
 */
const KEPT_TABLE = 1 << 15;
/** hash, state, chain link, leading ones, middle offset, middle length: six Int32 per entry */
const HEADER_BYTES = 24;

/** A cache for bitsets of `words` 32-bit words. */
export function createConfigCache(words: number): ConfigCache {
  let w = words;
  let count = 0;
  let capacity = 256;
  let hashes = new Int32Array(capacity);
  let states = new Int32Array(capacity);
  let nexts = new Int32Array(capacity);
  let leads = new Int32Array(capacity);
  let offs = new Int32Array(capacity);
  let lens = new Int32Array(capacity);
  let pool = new Uint32Array(1024);
  let poolUsed = 0;
  let bytes = 0;
  let lastBytes = 0;
  let heads = new Int32Array(MIN_TABLE).fill(-1);
  let mask = MIN_TABLE - 1;

  function slot(hash: number, state: number): number {
    let h = hash ^ Math.imul(state + 1, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  }

  function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
    const b = new Int32Array(capacity);
    b.set(a.subarray(0, count));
    return b;
  }

  function growEntries(): void {
    capacity *= 2;
    hashes = grow(hashes);
    states = grow(states);
    nexts = grow(nexts);
    leads = grow(leads);
    offs = grow(offs);
    lens = grow(lens);
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
    get bytes() {
      return bytes;
    },
    get lastBytes() {
      return lastBytes;
    },
    get heldBytes() {
      return 6 * 4 * capacity + 4 * pool.length + 4 * heads.length;
    },
    reset(words2) {
      w = words2;
      count = 0;
      poolUsed = 0;
      bytes = 0;
      if (heads.length > KEPT_TABLE) {
        heads = new Int32Array(MIN_TABLE);
        mask = MIN_TABLE - 1;
      }
      heads.fill(-1);
    },
    addIfAbsent(bits, hash, state, lead, end) {
      // the compressed form: `lead` all-ones words, then bits[lead .. end)
      const len = end - lead;
      let b = slot(hash, state);
      for (let i = heads[b]!; i !== -1; i = nexts[i]!) {
        if (hashes[i] !== hash || states[i] !== state || leads[i] !== lead || lens[i] !== len) continue;
        const base = offs[i]! - lead;
        let same = true;
        for (let k = lead; k < end; k++) {
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
      if (poolUsed + len > pool.length) {
        const p2 = new Uint32Array(Math.max(2 * pool.length, poolUsed + len));
        p2.set(pool.subarray(0, poolUsed));
        pool = p2;
      }
      const i = count++;
      hashes[i] = hash;
      states[i] = state;
      leads[i] = lead;
      offs[i] = poolUsed;
      lens[i] = len;
      for (let k = lead; k < end; k++) pool[poolUsed++] = bits[k]!;
      nexts[i] = heads[b]!;
      heads[b] = i;
      lastBytes = HEADER_BYTES + 4 * len;
      bytes += lastBytes;
      return true;
    },
  };
}
