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
import { createConfigCache } from './cache.js';

/** Limits shared by all partitions of one history; `states` counts configurations stored by all of them. */
export interface SearchBudget {
  /** wall clock in ms (injected: src/checker reads no clock itself); absent = no time limit */
  now_ms?: () => number;
  deadline_ms: number;
  time_ms: number;
  max_states: number;
  /** configurations stored so far, across partitions */
  states: number;
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
  | { kind: 'unknown'; reason: string };

/**
 * A search that runs in slices, so a caller can interleave partitions and let the easy ones
 * finish (and a failing key be found) before a hard one eats the whole budget.
 */
export interface Search {
  /** Runs at most about `iterations` steps; the result, or null when not finished yet. */
  run(iterations: number): SearchResult | null;
}

/** Searches for a linearization of `ops[model.kept[*]]` under `model`, to completion. */
export function searchLinearization(ops: readonly LinOp[], model: CompiledModel, budget: SearchBudget): SearchResult {
  const search = startSearch(ops, model, budget);
  for (;;) {
    const r = search.run(1 << 30);
    if (r) return r;
  }
}

/** Prepares a resumable search for a linearization of `ops[model.kept[*]]` under `model`. */
export function startSearch(ops: readonly LinOp[], model: CompiledModel, budget: SearchBudget): Search {
  const n = model.kept.length;
  if (n === 0) return { run: () => ({ kind: 'ok' }) };
  const entries = 2 * n;
  const HEAD = entries;

  // Entry order: by position in the history; open ops' returns last, in op order. Calls are
  // already in position order (ops come in invocation order); returns are sorted by a numeric
  // key (position * n + op, unique) in a typed array, then the two runs are merged.
  const callPos = new Float64Array(n);
  const retKey = new Float64Array(n);
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
    const r = ops[model.kept[i]!]!.retPos;
    end = r !== Infinity && r > end ? r : end;
  }
  for (let i = 0; i < n; i++) {
    const r = ops[model.kept[i]!]!.retPos;
    retKey[i] = (r === Infinity ? end + 1 : r) * n + i;
  }
  retKey.sort();
  const opOf = new Int32Array(entries);
  const matchOf = new Int32Array(entries);
  const entryOfCall = new Int32Array(n);
  const entryOfRet = new Int32Array(n);
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
  for (let j = 0; j < entries; j++) {
    const i = opOf[j]!;
    matchOf[j] = entryOfCall[i] === j ? entryOfRet[i]! : -1;
  }
  const next = new Int32Array(entries + 1);
  const prev = new Int32Array(entries + 1);
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
  const twin = new Int32Array(n).fill(-1);
  const lastOfEffect = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (ops[model.kept[i]!]!.retPos !== Infinity) continue;
    const e = model.effect(i);
    const prevTwin = lastOfEffect.get(e);
    if (prevTwin !== undefined) twin[i] = prevTwin;
    lastOfEffect.set(e, i);
  }

  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const zobrist = zobristWords(n);
  const cache = createConfigCache(words, 256);
  const stackEntry = new Int32Array(n);
  const stackState = new Int32Array(n);
  const tried = new Int32Array(n * TRIED_STATES);
  const triedCount = new Uint8Array(n);
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

  let depth = 0;
  let state = model.init;
  let hash = 0;
  let frontier = -1;
  let prefix: number[] = [];
  let iterations = 0;
  let entry = next[HEAD]!;
  let finished: SearchResult | null = null;

  function run(limit: number): SearchResult | null {
    if (finished) return finished;
    const stop = iterations + limit;
    while (next[HEAD] !== -1) {
      if ((++iterations & 0xfff) === 0) {
        if (budget.now_ms && budget.now_ms() > budget.deadline_ms) {
          return (finished = { kind: 'unknown', reason: `time budget of ${budget.time_ms} ms ran out after ${cache.size} states` });
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
        if (s >= 0) {
          const w = i >>> 5;
          const bit = 1 << (i & 31);
          bits[w] = bits[w]! | bit;
          const h = hash ^ zobrist[i]!;
          if (cache.addIfAbsent(bits, h, s)) {
            if (++budget.states > budget.max_states) {
              return (finished = { kind: 'unknown', reason: `state budget of ${budget.max_states} states ran out` });
            }
            stackEntry[depth] = entry;
            stackState[depth] = state;
            depth++;
            state = s;
            hash = h;
            lift(entry);
            entry = next[HEAD]!;
          } else {
            bits[w] = bits[w]! & ~bit;
            entry = next[entry]!;
          }
        } else {
          remember(i, state);
          entry = next[entry]!;
        }
      } else {
        if (entry > frontier) {
          frontier = entry;
          prefix = Array.from(stackEntry.subarray(0, depth), (e) => opOf[e]!);
        }
        if (depth === 0) {
          const i = opOf[frontier]!;
          const c = Math.min(triedCount[i]!, TRIED_STATES);
          return (finished = {
            kind: 'fail',
            op: i,
            tried: Array.from(tried.subarray(i * TRIED_STATES, i * TRIED_STATES + c)),
            triedAll: triedCount[i]! <= TRIED_STATES,
            prefix,
          });
        }
        depth--;
        entry = stackEntry[depth]!;
        state = stackState[depth]!;
        const i = opOf[entry]!;
        bits[i >>> 5] = bits[i >>> 5]! & ~(1 << (i & 31));
        hash ^= zobrist[i]!;
        unlift(entry);
        entry = next[entry]!;
      }
    }
    return (finished = { kind: 'ok' });
  }
  return { run };
}

/** One pseudo-random 32-bit word per op (xorshift32 from a fixed seed: deterministic). */
function zobristWords(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  return z;
}
