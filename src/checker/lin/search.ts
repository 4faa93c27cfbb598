/**
 * Wing–Gong–Lowe linearizability search with memoisation (Lowe, "Testing for
 * linearizability", 2017; the same loop as Porcupine's checker.go).
 *
 * Every op contributes a call entry and a return entry, sorted by their positions in the
 * history, in a doubly linked list. The search walks the list from its head: at a call entry
 * it tries to linearize that op now (the model must accept it, and the configuration —
 * linearized ops as a bitset plus model state — must be new), lifting the op's two entries
 * out of the list; at a return entry it is stuck (that op had to be linearized already) and
 * backtracks. Open ops (info / never completed) return after everything, with unknown result,
 * so they may take effect at any point after their call or, equivalently, never.
 *
 * The furthest return entry the search ever got stuck at marks the shortest failing prefix
 * of the history: all ops completed before it can be linearized, that op cannot be added.
 */
import type { CompiledModel } from './model.js';
import type { LinOp } from './ops.js';
import { createConfigCache, type ConfigCache } from './cache.js';

/** Limits shared by all partitions of one history; `states` counts configurations stored by all of them. */
export interface SearchBudget {
  /** wall clock in ms (injected: src/checker reads no clock itself); absent = no time limit */
  now_ms?: () => number;
  deadline_ms: number;
  time_ms: number;
  max_states: number;
  /** configurations stored so far, across partitions */
  states: number;
  /** bytes held by the memos of unfinished searches, and their bound (memory, not work) */
  memo_bytes: number;
  max_memo_bytes: number;
  /** the most `memo_bytes` ever held (for reporting the work done) */
  peak_memo_bytes: number;
}

/** Distinct states kept per op for the explanation ("wherever it could take effect..."). */
export const TRIED_STATES = 6;

export type SearchResult =
  | { kind: 'ok' }
  | {
      kind: 'fail';
      /** index into `model.kept` of the op whose completion no linearization reaches */
      op: number;
      /** states in which that op was tried and the model refused it */
      tried: number[];
      /** true when `tried` lists every such state */
      triedAll: boolean;
      /** a longest partial linearization reaching that point (indices into `model.kept`) */
      prefix: number[];
    }
  | { kind: 'unknown'; reason: string }
  /** a search over a head of the ops (`SearchHorizon`) reached an entry past it */
  | { kind: 'beyond' };

/**
 * For a search over only the first ops of a partition (lin/head.ts): `pos` is the record
 * position of the first op left out. Entries before it are exactly those of the whole
 * partition, so until the search steps onto an entry at or after `pos` it takes the same
 * steps as the whole search would; then it stops with `beyond`.
 */
export interface SearchHorizon {
  pos: number;
}

/**
 * A search that runs in slices, so a caller can interleave partitions and let the easy ones
 * finish (and a failing key be found) before a hard one eats the whole budget.
 */
export interface Search {
  /** Runs at most about `iterations` steps; the result, or null when not finished yet. */
  run(iterations: number): SearchResult | null;
  /** Gives up an unfinished search: its scratch memory goes back to the arenas. */
  abandon(): void;
  /** Steps taken so far. */
  iterations(): number;
}

/**
 * Scratch memory a finished search hands to the next one. Searches of a million-op history
 * over a thousand keys would otherwise allocate hundreds of MB of short-lived typed arrays,
 * and each such burst makes V8 run a full collection over the whole (large) heap.
 */
export interface SearchArena {
  i32: Int32Array;
  f64: Float64Array;
  cache: ConfigCache | null;
}

/**
 * Prepares a resumable search for a linearization of `ops[model.kept[*]]` under `model`.
 * With `arenas`, it takes its scratch memory from there and puts it back when finished.
 */
export function startSearch(
  ops: readonly LinOp[],
  model: CompiledModel,
  budget: SearchBudget,
  arenas?: SearchArena[],
  horizon?: SearchHorizon,
): Search {
  const n = model.kept.length;
  if (n === 0) return { run: () => ({ kind: horizon ? 'beyond' : 'ok' }), abandon: () => undefined, iterations: () => 0 };
  const entries = 2 * n;
  const HEAD = entries;
  const words = (n + 31) >>> 5;

  let arena: SearchArena | null = arenas?.pop() ?? { i32: new Int32Array(0), f64: new Float64Array(0), cache: null };
  // opOf, matchOf, next, prev: 2n each (+2); ten n-sized arrays; tried; bits
  const needI32 = 4 * entries + 2 + 10 * n + n * TRIED_STATES + words;
  if (arena.i32.length < needI32) arena.i32 = new Int32Array(Math.max(needI32, 2 * arena.i32.length));
  if (arena.f64.length < 2 * n) arena.f64 = new Float64Array(Math.max(2 * n, 2 * arena.f64.length));
  let used = 0;
  const ints = arena.i32;
  const take = (len: number): Int32Array => ints.subarray(used, (used += len));
  if (arena.cache) arena.cache.reset(words);
  else arena.cache = createConfigCache(words);
  const cache = arena.cache;
  // The memo is charged what its entries take (compressed bitsets). A search over a head of
  // the ops stores the same compressed entries the whole search would (the ops left out are
  // zero bits past the end), so both are charged alike.
  const release = (): void => {
    if (!arena) return;
    budget.memo_bytes -= cache.bytes;
    if (arenas) arenas.push(arena);
    arena = null;
  };

  // Entry order: by position in the history; open ops' returns last, in op order. Calls are
  // already in position order (ops come in invocation order); returns are sorted by a numeric
  // key (position * n + op, unique) in a typed array, then the two runs are merged.
  const retPosOf = (i: number): number => ops[model.kept[i]!]!.retPos;
  const callPos = arena.f64.subarray(0, n);
  const retKey = arena.f64.subarray(n, 2 * n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    const op = ops[model.kept[i]!]!;
    callPos[i] = op.callPos;
    if (op.callPos < last) throw new Error('linearizability search: ops must be in invocation order');
    last = op.callPos;
  }
  let end = 0;
  for (let i = 0; i < n; i++) end = Math.max(end, callPos[i]!);
  for (let i = 0; i < n; i++) {
    const r = retPosOf(i);
    end = r !== Infinity && r > end ? r : end;
  }
  for (let i = 0; i < n; i++) {
    const r = retPosOf(i);
    retKey[i] = (r === Infinity ? end + 1 : r) * n + i;
  }
  retKey.sort();
  const opOf = take(entries);
  const matchOf = take(entries);
  const entryOfCall = take(n);
  const entryOfRet = take(n);
  for (let j = 0, c = 0, r = 0; j < entries; j++) {
    const ri = r < n ? retKey[r]! % n : -1;
    const rPos = r < n ? (retKey[r]! - ri) / n : Infinity;
    if (c < n && callPos[c]! < rPos) {
      opOf[j] = c;
      entryOfCall[c] = j;
      c++;
    } else {
      opOf[j] = ri;
      entryOfRet[ri] = j;
      r++;
    }
  }
  // entries at or past the horizon (entries are in position order): the search must not step there
  let beyond = entries;
  if (horizon) {
    for (let j = 0; j < entries && beyond === entries; j++) {
      const i = opOf[j]!;
      const pos = entryOfCall[i] === j ? callPos[i]! : retPosOf(i);
      if (pos >= horizon.pos) beyond = j;
    }
  }
  for (let j = 0; j < entries; j++) {
    const i = opOf[j]!;
    matchOf[j] = entryOfCall[i] === j ? entryOfRet[i]! : -1;
  }
  const next = take(entries + 1);
  const prev = take(entries + 1);
  for (let j = 0; j < entries; j++) {
    next[j] = j + 1 < entries ? j + 1 : -1;
    prev[j] = j === 0 ? HEAD : j - 1;
  }
  next[HEAD] = 0;
  prev[HEAD] = -1;

  const lift = (e: number): void => {
    const m = matchOf[e]!;
    next[prev[e]!] = next[e]!;
    if (next[e] !== -1) prev[next[e]!] = prev[e]!;
    next[prev[m]!] = next[m]!;
    if (next[m] !== -1) prev[next[m]!] = prev[m]!;
  };
  const unlift = (e: number): void => {
    const m = matchOf[e]!;
    if (next[m] !== -1) prev[next[m]!] = m;
    next[prev[m]!] = m;
    if (next[e] !== -1) prev[next[e]!] = e;
    next[prev[e]!] = e;
  };

  // Identical open ops (same effect, both returning at the end) are interchangeable: only
  // linearize one after its earlier-invoked twin, which prunes equivalent orders.
  const twin = take(n).fill(-1);
  const lastOfEffect = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (retPosOf(i) !== Infinity) continue;
    const e = model.effect(i);
    const prevTwin = lastOfEffect.get(e);
    if (prevTwin !== undefined) twin[i] = prevTwin;
    lastOfEffect.set(e, i);
  }

  const open = take(n);
  for (let i = 0; i < n; i++) open[i] = retPosOf(i) === Infinity ? 1 : 0;

  const bitsView = take(words).fill(0);
  const bits = new Uint32Array(bitsView.buffer, bitsView.byteOffset, words);
  const zobrist = zobristWords(take(n));
  const stackEntry = take(n);
  const stackState = take(n);
  const stackForced = take(n);
  const pure = model.pure;
  let deadEnd = false;
  const tried = take(n * TRIED_STATES);
  const triedCount = take(n).fill(0);
  const remember = (i: number, s: number): void => {
    const c = triedCount[i]!;
    if (c > TRIED_STATES) return;
    const base = i * TRIED_STATES;
    for (let k = 0; k < c; k++) if (tried[base + k] === s) return;
    if (c === TRIED_STATES) triedCount[i] = c + 1;
    else {
      tried[base + c] = s;
      triedCount[i] = c + 1;
    }
  };

  // The bitset's shape, kept as bits are set and cleared so the memo need not scan it:
  // words [0, lead) are all ones, words [zeroFrom, words) all zeros (see cache.ts).
  let lead = 0;
  let zeroFrom = 0;
  let depth = 0;
  let state = model.init;
  let hash = 0;
  let frontier = -1;
  // The stack as it was at the furthest frontier. Copying it whole at every advance would be
  // quadratic; entries below `lowWater` (the lowest depth popped to since the last copy) are
  // unchanged, so only the part above is copied.
  const snapshot = take(n);
  let snapLen = 0;
  let lowWater = 0;
  let iterations = 0;
  let entry = next[HEAD]!;
  let finished: SearchResult | null = null;
  const finish = (r: SearchResult): SearchResult => {
    finished = r;
    release();
    return r;
  };

  function run(limit: number): SearchResult | null {
    if (finished) return finished;
    const stop = iterations + limit;
    while (next[HEAD] !== -1) {
      if (entry >= beyond) {
        // the replay of this search (over more ops) stores these states again
        budget.states -= cache.size;
        return finish({ kind: 'beyond' });
      }
      if ((++iterations & 0xfff) === 0) {
        if (budget.now_ms && budget.now_ms() > budget.deadline_ms) {
          return finish({ kind: 'unknown', reason: `time budget of ${budget.time_ms} ms ran out after ${cache.size} states` });
        }
        if (iterations >= stop) return null;
      }
      if (matchOf[entry]! >= 0) {
        const i = opOf[entry]!;
        const t = twin[i]!;
        if (t !== -1 && (bits[t >>> 5]! & (1 << (t & 31))) === 0) {
          entry = next[entry]!;
          continue;
        }
        const s = model.step(state, i);
        if (s === state && open[i] === 1) {
          // An open op (info, never completed) that changes nothing here is never worth taking
          // here: it is optional and nothing has to follow it, so every continuation after it
          // is one without it, from the very same configuration. Taking it anyway stored a copy
          // of each configuration per subset of such ops (Porcupine's etcd files: 2^k).
          entry = next[entry]!;
          continue;
        }
        // A pure read that fits the current state is taken now and never skipped: any
        // linearization that takes it later can take it here instead (it changes no state,
        // and everything it must precede comes later anyway). So concurrent reads of one
        // value cost one path, not every order of them.
        const forced = s === state && pure !== undefined && pure[i] === 1;
        // After an open op W, the next op must be one whose outcome W changed. If the next op
        // X does the same from the state before W (a blind write, say), W can be dropped: it is
        // optional, nothing has to follow it, and X leaves the same state either way. So
        // linearizations where an open op precedes an op it does not affect are never needed.
        // (Such configurations are memoised apart from unrestricted ones: see `memoState`.)
        let key = s;
        if (s >= 0 && depth > 0 && open[opOf[stackEntry[depth - 1]!]!] === 1) {
          const pre = stackState[depth - 1]!;
          if (pre < RESTRICT_LIMIT && state < RESTRICT_LIMIT && model.step(pre, i) === s) {
            entry = next[entry]!;
            continue;
          }
        }
        if (s >= 0 && open[i] === 1 && state < RESTRICT_LIMIT && s < RESTRICT_LIMIT) key = memoState(s, state);
        if (s >= 0) {
          const w = i >>> 5;
          const bit = 1 << (i & 31);
          bits[w] = bits[w]! | bit;
          const h = hash ^ zobrist[i]!;
          let lead2 = lead;
          if (w === lead) while (lead2 < words && bits[lead2] === 0xffffffff) lead2++;
          const zeroFrom2 = w >= zeroFrom ? w + 1 : zeroFrom;
          if (cache.addIfAbsent(bits, h, key, lead2, zeroFrom2)) {
            lead = lead2;
            zeroFrom = zeroFrom2;
            if (++budget.states > budget.max_states) {
              return finish({ kind: 'unknown', reason: `state budget of ${budget.max_states} states ran out` });
            }
            if ((budget.memo_bytes += cache.lastBytes) > budget.max_memo_bytes) {
              return finish({ kind: 'unknown', reason: `memory bound of ${memoBound(budget.max_memo_bytes)} for the search's memo ran out` });
            }
            if (budget.memo_bytes > budget.peak_memo_bytes) budget.peak_memo_bytes = budget.memo_bytes;
            stackEntry[depth] = entry;
            stackState[depth] = state;
            stackForced[depth] = forced ? 1 : 0;
            depth++;
            state = s;
            hash = h;
            lift(entry);
            entry = next[HEAD]!;
          } else {
            bits[w] = bits[w]! & ~bit;
            // taking the forced read here was explored already and failed: so does skipping it
            if (forced) deadEnd = true;
            else entry = next[entry]!;
          }
        } else {
          remember(i, state);
          entry = next[entry]!;
        }
      } else if (open[opOf[entry]!] === 1) {
        // Open ops return after every known op: reaching one's return means every known op is
        // linearized, and the open ops left may all never take effect.
        break;
      } else deadEnd = true;
      if (deadEnd) {
        deadEnd = false;
        if (matchOf[entry] === -1 && entry > frontier) {
          frontier = entry;
          for (let k = lowWater; k < depth; k++) snapshot[k] = opOf[stackEntry[k]!]!;
          snapLen = depth;
          lowWater = depth;
        }
        // Backtrack; past a forced read too, since skipping it is no better than taking it.
        let popForced = true;
        while (popForced) {
          if (depth === 0) {
            const i = opOf[frontier]!;
            const c = Math.min(triedCount[i]!, TRIED_STATES);
            return finish({
              kind: 'fail',
              op: i,
              tried: Array.from(tried.subarray(i * TRIED_STATES, i * TRIED_STATES + c)),
              triedAll: triedCount[i]! <= TRIED_STATES,
              prefix: Array.from(snapshot.subarray(0, snapLen)),
            });
          }
          depth--;
          if (depth < lowWater) lowWater = depth;
          entry = stackEntry[depth]!;
          state = stackState[depth]!;
          popForced = stackForced[depth] === 1;
          const i = opOf[entry]!;
          const w = i >>> 5;
          bits[w] = bits[w]! & ~(1 << (i & 31));
          if (w < lead) lead = w;
          if (w === zeroFrom - 1) while (zeroFrom > lead && bits[zeroFrom - 1] === 0) zeroFrom--;
          hash ^= zobrist[i]!;
          unlift(entry);
        }
        entry = next[entry]!;
      }
    }
    if (horizon) {
      // every op of the head linearized: the whole search goes on to the first op left out
      budget.states -= cache.size;
      return finish({ kind: 'beyond' });
    }
    return finish({ kind: 'ok' });
  }
  const abandon = (): void => {
    // a later run() must not touch arrays that now belong to another search
    finished ??= { kind: 'unknown', reason: 'search abandoned' };
    release();
  };
  return { run, abandon, iterations: () => iterations };
}

/** States below this get the open-op restriction (their pair must fit one memo key). */
const RESTRICT_LIMIT = 1 << 15;

/**
 * The memo key of a configuration reached by an open op from `pre` to `s`: its successors are
 * restricted (see `run`), so it must not share a memo entry with the same (bits, `s`) reached
 * otherwise. Negative, so distinct from every plain state; unique per (s, pre).
 */
function memoState(s: number, pre: number): number {
  return -2 - (s * RESTRICT_LIMIT + pre);
}

/** One pseudo-random 32-bit word per op (xorshift32 from a fixed seed: deterministic). */
function zobristWords(z: Int32Array): Int32Array {
  const n = z.length;
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  return z;
}

/** `1024 MiB`, or bytes for the tiny bounds tests use. */
function memoBound(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;
}
