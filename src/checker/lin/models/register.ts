/**
 * Register and cas-register: read / write / cas on one value. A read of nil means "no value"
 * (`nilRead: 'empty'`, Porcupine) or matches anything (`'any'`, Knossos). A read returning an
 * array (a version-vector engine's sibling set) is treated as non-constraining: siblings are
 * concurrent writes the client must resolve, so no single register value is claimed.
 * An `ok` cas requires the current value to equal `expected`; a cas with unknown result
 * applies only if it matches and otherwise does nothing.
 */
import { createValueTable, showValue, type CompiledModel, type ModelCompiler } from '../model.js';

const READ = 0;
const WRITE = 1;
const CAS = 2;
const CAS_MAYBE = 3;

export const compileRegister: ModelCompiler = (ops, opts) => {
  const values = createValueTable();
  const kept: number[] = [];
  const kind: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  let unsupported = 0;
  ops.forEach((op, idx) => {
    switch (op.f) {
      case 'read':
      case 'get': {
        if (!op.known) return; // no effect, unknown result: constrains nothing
        const out = op.output ?? null;
        if (out === null && opts.nilRead === 'any') return;
        if (Array.isArray(out)) return; // sibling set: non-constraining (see above)
        kept.push(idx);
        kind.push(READ);
        a.push(values.id(out));
        b.push(0);
        return;
      }
      case 'write':
      case 'put':
        kept.push(idx);
        kind.push(WRITE);
        a.push(values.id(op.input ?? null));
        b.push(0);
        return;
      case 'cas': {
        const v = op.input;
        if (!Array.isArray(v) || v.length !== 2) {
          unsupported++;
          return;
        }
        kept.push(idx);
        kind.push(op.known ? CAS : CAS_MAYBE);
        a.push(values.id(v[0]));
        b.push(values.id(v[1]));
        return;
      }
      default:
        unsupported++;
    }
  });
  // An op with unknown outcome whose resulting value nobody observes (no read returns it, no
  // cas expects it) can always be taken as never applied: while it would be current, no read
  // or ok cas can be linearized, a write ends its effect, and a cas it would block is itself
  // optional. Dropping such ops (timed-out writes that never landed, say) spares the search.
  const observed = new Set<number>();
  kind.forEach((k, j) => {
    if (k !== WRITE) observed.add(a[j]!);
  });
  const keep = kind.map((k, j) => {
    if (ops[kept[j]!]!.known) return true;
    if (k === WRITE) return observed.has(a[j]!);
    if (k === CAS_MAYBE) return observed.has(b[j]!);
    return true;
  });
  const pick = <T,>(xs: T[]): T[] => xs.filter((_, j) => keep[j]);
  const kindArr = Int8Array.from(pick(kind));
  const aArr = Int32Array.from(pick(a));
  const bArr = Int32Array.from(pick(b));
  const model: CompiledModel = {
    kept: pick(kept),
    pure: Uint8Array.from(kindArr, (k) => (k === READ ? 1 : 0)),
    init: values.id(opts.initial ?? null),
    unsupported,
    step(state, i) {
      switch (kindArr[i]) {
        case READ:
          return state === aArr[i] ? state : -1;
        case WRITE:
          return aArr[i]!;
        case CAS:
          return state === aArr[i] ? bArr[i]! : -1;
        default:
          return state === aArr[i] ? bArr[i]! : state;
      }
    },
    render: (s) => showValue(values.value(s)),
    effect: (i) => `${kindArr[i]},${aArr[i]},${bArr[i]}`,
    describe(i) {
      switch (kindArr[i]) {
        case READ:
          return `returning ${showValue(values.value(aArr[i]!))}`;
        case WRITE:
          return `(value ${showValue(values.value(aArr[i]!))})`;
        default:
          return `from ${showValue(values.value(aArr[i]!))} to ${showValue(values.value(bArr[i]!))}`;
      }
    },
  };
  return model;
};

