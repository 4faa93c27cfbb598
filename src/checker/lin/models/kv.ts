/**
 * Key-value (Porcupine's kv model), checked per key: `get` returns the current string, `put`
 * replaces it, `append` concatenates onto it; every key starts at `""` (or `initial`).
 * `read`/`write` are accepted as `get`/`put`. A nil `get` result is "" with `nilRead: 'empty'`
 * and matches anything with `'any'`. Strings are interned; appends memoise their transitions
 * so a long string is built and hashed once per (state, op).
 */
import { showValue, type CompiledModel, type ModelCompiler } from '../model.js';

const GET = 0;
const PUT = 1;
const APPEND = 2;

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

export const compileKv: ModelCompiler = (ops, opts) => {
  const ids = new Map<string, number>();
  const strs: string[] = [];
  const intern = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) {
      i = strs.length;
      ids.set(s, i);
      strs.push(s);
    }
    return i;
  };
  const init = intern(text(opts.initial));
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
        arg.push(intern(text(out)));
        return;
      }
      case 'put':
      case 'write':
        kept.push(idx);
        kind.push(PUT);
        arg.push(intern(text(op.input)));
        return;
      case 'append':
        kept.push(idx);
        kind.push(APPEND);
        arg.push(intern(text(op.input)));
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
            s = intern(strs[state]! + strs[argArr[i]!]!);
            appended.set(k, s);
          }
          return s;
        }
      }
    },
    render: (s) => showValue(strs[s]),
    describe(i) {
      const v = showValue(strs[argArr[i]!]);
      return kindArr[i] === GET ? `returning ${v}` : `of ${v}`;
    },
  };
  return model;
};
