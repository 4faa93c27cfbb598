/**
 * Counter, checked per key: `add` adds its delta (default 1), `read` returns the total;
 * starts at `initial` (default 0). A nil read matches anything (a counter has no "no value").
 */
import { showValue, type CompiledModel, type ModelCompiler } from '../model.js';

const READ = 0;
const ADD = 1;

export const compileCounter: ModelCompiler = (ops, opts) => {
  const ids = new Map<number, number>();
  const totals: number[] = [];
  const intern = (x: number): number => {
    let i = ids.get(x);
    if (i === undefined) {
      i = totals.length;
      ids.set(x, i);
      totals.push(x);
    }
    return i;
  };
  const init = intern(typeof opts.initial === 'number' ? opts.initial : 0);
  const kept: number[] = [];
  const kind: number[] = [];
  const arg: number[] = [];
  let unsupported = 0;
  ops.forEach((op, idx) => {
    if (op.f === 'read' || op.f === 'get') {
      if (!op.known || typeof op.output !== 'number') return;
      kept.push(idx);
      kind.push(READ);
      arg.push(intern(op.output));
    } else if (op.f === 'add') {
      kept.push(idx);
      kind.push(ADD);
      arg.push(typeof op.input === 'number' ? op.input : 1);
    } else unsupported++;
  });
  const kindArr = Int8Array.from(kind);
  const argArr = Float64Array.from(arg);
  const model: CompiledModel = {
    kept,
    init,
    unsupported,
    step(state, i) {
      if (kindArr[i] === READ) return state === argArr[i] ? state : -1;
      return intern(totals[state]! + argArr[i]!);
    },
    render: (s) => showValue(totals[s]),
    effect: (i) => `${kindArr[i]},${argArr[i]}`,
    describe(i) {
      return kindArr[i] === READ ? `returning ${showValue(totals[argArr[i]!])}` : `(value ${showValue(argArr[i])})`;
    },
  };
  return model;
};
