/**
 * Whether a model can judge an op at all. A model ignores ops it does not know (a `write`
 * under the set model, a txn micro-op other than read/write) and reads whose result is not
 * one of its states (a set read returning `300`). Ignored ops leave the search with nothing
 * to contradict, so `check --model set` on a register history said "valid" for a stale read.
 * `replsim check` refuses such a file as bad input, naming the first op; the rules here
 * mirror what each compiler in this folder keeps (test/checker/lin/fit.test.ts compares them).
 */
import type { HistoryRecord, OpFn, Value } from '../../../history/types.js';
import type { CheckModel } from '../../types.js';

/** The parts of an op a model looks at. */
export interface FitOp {
  f: OpFn;
  /** the invocation's argument */
  input: Value | undefined;
  /** the `ok` completion's value */
  output: Value | undefined;
  /** true when the op completed `ok` */
  known: boolean;
}

const FNS: Record<Exclude<CheckModel, 'inventory'>, readonly OpFn[]> = {
  register: ['read', 'get', 'write', 'put', 'cas'],
  'cas-register': ['read', 'get', 'write', 'put', 'cas'],
  'multi-register': ['txn'],
  kv: ['read', 'get', 'write', 'put', 'append'],
  counter: ['read', 'get', 'add'],
  set: ['read', 'get', 'add', 'remove'],
};

const MICRO = ['read', 'r', 'write', 'w'];

/** Why `model` cannot judge `op`, or undefined when it can. */
export function modelMisfit(model: CheckModel, op: FitOp): string | undefined {
  if (model === 'inventory') return undefined; // no linearizability model; other families judge it
  const fns = FNS[model];
  if (!fns.includes(op.f)) return `the ${model} model has no "${op.f}" (it knows ${fns.join(', ')})`;
  const read = op.f === 'read' || op.f === 'get';
  switch (model) {
    case 'register':
    case 'cas-register':
      if (op.f === 'cas' && !(Array.isArray(op.input) && op.input.length === 2)) return 'a cas needs the value [expected, new]';
      return undefined;
    case 'multi-register': {
      const micro = op.known && Array.isArray(op.output) ? op.output : op.input;
      if (!Array.isArray(micro)) return 'a txn needs a list of [f, register, value] micro-ops';
      for (const m of micro) {
        if (!Array.isArray(m) || m.length < 2 || typeof m[0] !== 'string') return 'a txn needs a list of [f, register, value] micro-ops';
        if (!MICRO.includes(m[0])) return `the multi-register model has no micro-op "${m[0]}" (it knows ${MICRO.join(', ')})`;
      }
      return undefined;
    }
    case 'counter':
      if (read && op.known && op.output !== undefined && op.output !== null && typeof op.output !== 'number') {
        return 'a counter read must return a number';
      }
      return undefined;
    case 'set':
      if (read && op.known && op.output !== undefined && op.output !== null && !Array.isArray(op.output)) {
        return 'a set read must return a list of elements';
      }
      return undefined;
    case 'kv':
      return undefined;
    default: {
      const never: never = model;
      return never;
    }
  }
}

/** The first client op (in invocation order) that `model` cannot judge: its invoke's record index and why. */
export function historyMisfit(records: readonly HistoryRecord[], model: CheckModel): { index: number; op: number; why: string } | undefined {
  const outputs = new Map<number, Value | undefined>();
  for (const r of records) if (r.type === 'ok' && !outputs.has(r.op)) outputs.set(r.op, r.value);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.type !== 'invoke') continue;
    const why = modelMisfit(model, { f: r.f, input: r.value, output: outputs.get(r.op), known: outputs.has(r.op) });
    if (why !== undefined) return { index: i, op: r.op, why };
  }
  return undefined;
}
