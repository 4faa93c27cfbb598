/**
 * Set, checked per key: `add` / `remove` one element, `read` returns the whole set (any order).
 * A read listing an element twice matches no set state (a set holds each element once; as in
 * Porcupine's set model). Starts at `initial` (default empty). A nil read is the empty set with
 * `nilRead: 'empty'` and matches anything with `'any'`; a non-array read constrains nothing.
 */
import { canon, showValue, type CompiledModel, type ModelCompiler } from '../model.js';

const READ = 0;
const ADD = 1;
const REMOVE = 2;
/** the argument of a read that no set state matches (it lists an element twice) */
const NO_STATE = -2;

export const compileSet: ModelCompiler = (ops, opts) => {
  const elemIds = new Map<string, number>();
  const elems: unknown[] = [];
  const elem = (v: unknown): number => {
    const k = canon(v);
    let i = elemIds.get(k);
    if (i === undefined) {
      i = elems.length;
      elemIds.set(k, i);
      elems.push(v);
    }
    return i;
  };
  const stateIds = new Map<string, number>();
  const members: number[][] = [];
  const intern = (sorted: number[]): number => {
    const k = sorted.join(',');
    let i = stateIds.get(k);
    if (i === undefined) {
      i = members.length;
      stateIds.set(k, i);
      members.push(sorted);
    }
    return i;
  };
  const fromValues = (vs: readonly unknown[]): number =>
    intern([...new Set(vs.map(elem))].sort((x, y) => x - y));
  const init = fromValues(Array.isArray(opts.initial) ? opts.initial : []);
  /** reads with duplicates, by kept index: what they returned (for the witness) */
  const rawRead = new Map<number, unknown[]>();
  const kept: number[] = [];
  const kind: number[] = [];
  const arg: number[] = [];
  let unsupported = 0;
  ops.forEach((op, idx) => {
    if (op.f === 'read' || op.f === 'get') {
      if (!op.known) return;
      const out = op.output ?? null;
      if (out === null && opts.nilRead === 'any') return;
      if (out !== null && !Array.isArray(out)) return;
      const listed = out ?? [];
      const distinct = new Set(listed.map(canon)).size;
      if (distinct < listed.length) rawRead.set(kept.length, listed);
      kept.push(idx);
      kind.push(READ);
      arg.push(distinct < listed.length ? NO_STATE : fromValues(listed));
    } else if (op.f === 'add' || op.f === 'remove') {
      kept.push(idx);
      kind.push(op.f === 'add' ? ADD : REMOVE);
      arg.push(elem(op.input ?? null));
    } else unsupported++;
  });
  const n = kept.length;
  const kindArr = Int8Array.from(kind);
  const argArr = Int32Array.from(arg);
  const transitions = new Map<number, number>();
  const model: CompiledModel = {
    kept,
    init,
    unsupported,
    step(state, i) {
      if (kindArr[i] === READ) return state === argArr[i] ? state : -1;
      const k = state * n + i;
      let s = transitions.get(k);
      if (s === undefined) {
        const cur = members[state]!;
        const e = argArr[i]!;
        const has = cur.includes(e);
        if (kindArr[i] === ADD) s = has ? state : intern([...cur, e].sort((x, y) => x - y));
        else s = has ? intern(cur.filter((x) => x !== e)) : state;
        transitions.set(k, s);
      }
      return s;
    },
    render: (s) => showValue(members[s]!.map((e) => elems[e])),
    effect: (i) => `${kindArr[i]},${argArr[i]}`,
    describe(i) {
      if (kindArr[i] === READ && argArr[i] === NO_STATE) return `returning ${showValue(rawRead.get(i))} (an element twice)`;
      return kindArr[i] === READ
        ? `returning ${showValue(members[argArr[i]!]!.map((e) => elems[e]))}`
        : `(value ${showValue(elems[argArr[i]!])})`;
    },
  };
  return model;
};
