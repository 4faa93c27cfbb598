/**
 * Key-value (Porcupine's kv model), checked per key: `get` returns the current string, `put`
 * replaces it, `append` concatenates onto it; every key starts at `""` (or `initial`).
 * `read`/`write` are accepted as `get`/`put`. A nil `get` result is "" with `nilRead: 'empty'`
 * and matches anything with `'any'`.
 *
 * States are strings interned to ids. An appended state is stored as (parent, suffix) with a
 * polynomial hash computed from the parent's in O(1), so building a state never copies or
 * rehashes a long string; texts are only materialised to confirm a hash match and for reports.
 */
import { showValue, type CompiledModel, type ModelCompiler } from '../model.js';

const GET = 0;
const PUT = 1;
const APPEND = 2;
const B1 = 0x01000193;
const B2 = 0x5bd1e995;

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

/** Interned strings with O(1) appends. */
function createStringTable() {
  const parent: number[] = [];
  /** for a base string: its text; for an append: the suffix's id */
  const base: (string | null)[] = [];
  const suffix: number[] = [];
  const h1: number[] = [];
  const h2: number[] = [];
  const len: number[] = [];
  const p1: number[] = [];
  const p2: number[] = [];
  const buckets = new Map<number, number[]>();
  const bucketKey = (a: number, b: number, l: number): number => (a ^ Math.imul(b, 0x27d4eb2d) ^ Math.imul(l, 0x165667b1)) & 0x3fffffff;

  function textOf(id: number): string {
    const parts: string[] = [];
    let i = id;
    while (base[i] === null) {
      parts.push(textOf(suffix[i]!));
      i = parent[i]!;
    }
    parts.push(base[i]!);
    return parts.reverse().join('');
  }

  function find(a: number, b: number, l: number, materialise: () => string): number {
    const k = bucketKey(a, b, l);
    const list = buckets.get(k);
    if (!list) return -1;
    let want: string | undefined;
    for (const id of list) {
      if (h1[id] !== a || h2[id] !== b || len[id] !== l) continue;
      want ??= materialise();
      if (textOf(id) === want) return id;
    }
    return -1;
  }

  function add(a: number, b: number, l: number, par: number, bs: string | null, suf: number): number {
    const id = base.length;
    parent.push(par);
    base.push(bs);
    suffix.push(suf);
    h1.push(a);
    h2.push(b);
    len.push(l);
    // B^len, for this string used as a suffix
    let q1 = 1;
    let q2 = 1;
    if (bs !== null) {
      for (let j = 0; j < l; j++) {
        q1 = Math.imul(q1, B1);
        q2 = Math.imul(q2, B2);
      }
    } else {
      q1 = Math.imul(p1[par]!, p1[suf]!);
      q2 = Math.imul(p2[par]!, p2[suf]!);
    }
    p1.push(q1);
    p2.push(q2);
    const k = bucketKey(a, b, l);
    const list = buckets.get(k);
    if (list) list.push(id);
    else buckets.set(k, [id]);
    return id;
  }

  return {
    text: textOf,
    /** the id of a literal string */
    intern(s: string): number {
      let a = 0;
      let b = 0;
      for (let j = 0; j < s.length; j++) {
        const c = s.charCodeAt(j);
        a = (Math.imul(a, B1) + c) | 0;
        b = (Math.imul(b, B2) + c) | 0;
      }
      const found = find(a, b, s.length, () => s);
      return found >= 0 ? found : add(a, b, s.length, -1, s, -1);
    },
    /** the id of text(state) + text(suf) */
    append(state: number, suf: number): number {
      const a = (Math.imul(h1[state]!, p1[suf]!) + h1[suf]!) | 0;
      const b = (Math.imul(h2[state]!, p2[suf]!) + h2[suf]!) | 0;
      const l = len[state]! + len[suf]!;
      const found = find(a, b, l, () => textOf(state) + textOf(suf));
      return found >= 0 ? found : add(a, b, l, state, null, suf);
    },
  };
}

export const compileKv: ModelCompiler = (ops, opts) => {
  const strings = createStringTable();
  const init = strings.intern(text(opts.initial));
  const kept: number[] = [];
  const kind: number[] = [];
  const arg: number[] = [];
  let unsupported = 0;
  ops.forEach((op, idx) => {
    switch (op.f) {
      case 'get':
      case 'read': {
        if (!op.known) return;
        const out = op.output ?? null;
        if (out === null && opts.nilRead === 'any') return;
        kept.push(idx);
        kind.push(GET);
        arg.push(strings.intern(text(out)));
        return;
      }
      case 'put':
      case 'write':
        kept.push(idx);
        kind.push(PUT);
        arg.push(strings.intern(text(op.input)));
        return;
      case 'append':
        kept.push(idx);
        kind.push(APPEND);
        arg.push(strings.intern(text(op.input)));
        return;
      default:
        unsupported++;
    }
  });
  const n = kept.length;
  const kindArr = Int8Array.from(kind);
  const argArr = Int32Array.from(arg);
  const appended = new Map<number, number>();
  const model: CompiledModel = {
    kept,
    init,
    unsupported,
    pure: Uint8Array.from(kindArr, (k) => (k === GET ? 1 : 0)),
    step(state, i) {
      switch (kindArr[i]) {
        case GET:
          return state === argArr[i] ? state : -1;
        case PUT:
          return argArr[i]!;
        default: {
          const k = state * n + i;
          let s = appended.get(k);
          if (s === undefined) {
            s = strings.append(state, argArr[i]!);
            appended.set(k, s);
          }
          return s;
        }
      }
    },
    render: (s) => showValue(strings.text(s)),
    effect: (i) => `${kindArr[i]},${argArr[i]}`,
    describe(i) {
      const v = showValue(strings.text(argArr[i]!));
      return kindArr[i] === GET ? `returning ${v}` : `(value ${v})`;
    },
  };
  return model;
};
