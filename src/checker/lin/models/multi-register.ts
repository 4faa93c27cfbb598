/**
 * Multi-register (Knossos): each op is a `txn` of `[f, k, v]` micro-ops over several
 * registers, applied in order; `read` (or Jepsen's short `r`) needs register k to hold v,
 * `write` (`w`) sets it. Not partitionable by key, so the whole history is one partition. A
 * nil read matches anything with `nilRead: 'any'`; reads in a txn with unknown result
 * constrain nothing. The ok completion's micro-ops (which carry the values read) are used
 * when present; when an ok carries none, its reads are unknown too (the invocation's nil
 * means "to be read", not "read nothing").
 * `initial` is an object of register → value (absent registers start with no value).
 */
import type { Value } from '../../../history/types.js';
import { createValueTable, showValue, type CompiledModel, type ModelCompiler } from '../model.js';

interface Micro {
  write: boolean;
  reg: number;
  /** value id, or -1 for a read that matches anything */
  val: number;
}

function microOps(v: Value | undefined): [string, string, Value][] | null {
  if (!Array.isArray(v)) return null;
  const out: [string, string, Value][] = [];
  for (const m of v) {
    if (!Array.isArray(m) || m.length < 2 || typeof m[0] !== 'string') return null;
    out.push([m[0], String(m[1]), m[2] ?? null]);
  }
  return out;
}

export const compileMultiRegister: ModelCompiler = (ops, opts) => {
  const values = createValueTable();
  const regIds = new Map<string, number>();
  const regNames: string[] = [];
  const reg = (k: string): number => {
    let i = regIds.get(k);
    if (i === undefined) {
      i = regNames.length;
      regIds.set(k, i);
      regNames.push(k);
    }
    return i;
  };
  const initObj =
    opts.initial && typeof opts.initial === 'object' && !Array.isArray(opts.initial)
      ? (opts.initial as Record<string, unknown>)
      : {};
  for (const k of Object.keys(initObj).sort()) reg(k);
  const kept: number[] = [];
  const txns: Micro[][] = [];
  let unsupported = 0;
  ops.forEach((op, idx) => {
    const readsKnown = op.known && Array.isArray(op.output);
    const micro = op.f === 'txn' ? microOps(readsKnown ? op.output : op.input) : null;
    if (!micro) {
      unsupported++;
      return;
    }
    const list: Micro[] = [];
    for (const [f, k, v] of micro) {
      // Short names are Jepsen's (Elle's) spelling; ignoring them dropped every op, reads of
      // values nobody wrote included, and the history was judged valid (issue 20 point 4).
      if (f === 'read' || f === 'r') {
        const wildcard = !readsKnown || (v === null && opts.nilRead === 'any');
        list.push({ write: false, reg: reg(k), val: wildcard ? -1 : values.id(v) });
      } else if (f === 'write' || f === 'w') list.push({ write: true, reg: reg(k), val: values.id(v) });
      else {
        unsupported++;
        return;
      }
    }
    kept.push(idx);
    txns.push(list);
  });
  const stateIds = new Map<string, number>();
  const tuples: Int32Array[] = [];
  const intern = (t: Int32Array): number => {
    const k = t.join(',');
    let i = stateIds.get(k);
    if (i === undefined) {
      i = tuples.length;
      stateIds.set(k, i);
      tuples.push(t);
    }
    return i;
  };
  const init = intern(Int32Array.from(regNames, (k) => values.id(initObj[k] ?? null)));
  const n = kept.length;
  const transitions = new Map<number, number>();
  const model: CompiledModel = {
    kept,
    init,
    unsupported,
    step(state, i) {
      const k = state * n + i;
      const memo = transitions.get(k);
      if (memo !== undefined) return memo;
      let cur = tuples[state]!;
      let copied = false;
      let result = state;
      for (const m of txns[i]!) {
        if (m.write) {
          if (cur[m.reg] !== m.val) {
            if (!copied) {
              cur = cur.slice();
              copied = true;
            }
            cur[m.reg] = m.val;
          }
        } else if (m.val !== -1 && cur[m.reg] !== m.val) {
          result = -1;
          break;
        }
      }
      if (result !== -1 && copied) result = intern(cur);
      transitions.set(k, result);
      return result;
    },
    effect: (i) => txns[i]!.map((m) => `${m.write ? 'w' : 'r'},${m.reg},${m.val}`).join(';'),
    render(s) {
      const t = tuples[s]!;
      return `{${regNames.map((r, j) => `${r}: ${showValue(values.value(t[j]!))}`).join(', ')}}`;
    },
    describe(i) {
      const parts = txns[i]!.map(
        (m) => `${m.write ? 'write' : 'read'} ${regNames[m.reg]} ${m.val === -1 ? 'any' : showValue(values.value(m.val))}`,
      );
      return `[${parts.join(', ')}]`;
    },
  };
  return model;
};
