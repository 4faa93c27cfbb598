/**
 * What a sequential model gives the search: integer states and a step function over the
 * partition's ops. States are interned to small integers so the memo compares numbers;
 * models that build new states (append, add, txn) memoise their transitions.
 */
import type { Value } from '../../history/types.js';
import { show } from '../explain.js';
import type { LinOp } from './ops.js';

/** A model compiled for one partition's ops. */
export interface CompiledModel {
  /** indices into the partition's ops of the ops that constrain the search, in the same order */
  kept: number[];
  /** initial state id */
  init: number;
  /** the state after op `kept[i]` takes effect in `state`, or -1 if it cannot take effect there */
  step(state: number, i: number): number;
  /** a state as a learner reads it (`300`, `"x 1 y"`, `{x: 0, y: 2}`) */
  render(state: number): string;
  /** what op `kept[i]` needs or does, e.g. `returning 300`, `from 1 to 2` */
  describe(i: number): string;
  /**
   * Equal for two ops exactly when they do the same thing in every state. The search uses it
   * to linearize identical open ops in call order only (swapping them changes nothing).
   */
  effect(i: number): string;
  /** ops of a function the model does not know (ignored; reported in the note) */
  unsupported: number;
  /**
   * Optional: 1 for ops that never change the state (a read), so the search may take one
   * the moment the state fits it, without trying the orders that take it later.
   */
  pure?: Uint8Array;
}

/** Options a model compiler needs (resolved from CheckOptions). */
export interface ModelOptions {
  initial: unknown;
  nilRead: 'empty' | 'any';
}

export type ModelCompiler = (ops: readonly LinOp[], opts: ModelOptions) => CompiledModel;

/** Canonical text of a value: equal values, equal keys (object keys sorted). */
export function canon(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // JSON would say null
  return JSON.stringify(v);
}

/** Interns values by canonical text; id 0 is always nil ("no value"). */
export interface ValueTable {
  id(v: unknown): number;
  value(id: number): unknown;
}

export function createValueTable(): ValueTable {
  const ids = new Map<string, number>([['null', 0]]);
  const numbers = new Map<number, number>();
  const values: unknown[] = [null];
  return {
    id(v) {
      if (v === null || v === undefined) return 0;
      if (typeof v === 'number') {
        let i = numbers.get(v);
        if (i === undefined) {
          i = values.length;
          numbers.set(v, i);
          values.push(v);
        }
        return i;
      }
      const k = canon(v);
      let i = ids.get(k);
      if (i === undefined) {
        i = values.length;
        ids.set(k, i);
        values.push(v ?? null);
      }
      return i;
    },
    value: (i) => values[i],
  };
}

/** A value for a sentence (the checker's own `show`), long texts (kv strings) shortened. */
export function showValue(v: unknown): string {
  const s = show(v as Value | undefined);
  return s.length > 60 ? `${s.slice(0, 28)}…${s.slice(-28)}` : s;
}
