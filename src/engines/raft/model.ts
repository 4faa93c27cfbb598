/**
 * The replicated state machine of one range: the workload model's keys and their states,
 * plus what makes re-applied operations harmless (a request retried through a new leader can
 * land in the log twice; only its first apply counts, and both replies carry the same result).
 * What one operation does to a key is the objects' one definition (../model.ts).
 */
import type { OpFn, Value } from '../../history/types.js';
import type { OpResult } from '../engine.js';
import type { WorkloadModel } from '../../scenario/types.js';
import { initialState, stepObject, visibleState, type ObjectState } from '../model.js';
import { noneMap } from './empty.js';

/** A write-like operation as it sits in the log. */
export interface LoggedOp {
  op: number;
  f: OpFn;
  key: string;
  value?: Value;
}

export interface RangeMachine {
  /** key → visible value (register value, counter total, sorted set array, stock) */
  values: Map<string, Value>;
  /** key → whole state (differs from the visible value for inventory: stock and orders applied) */
  states: Map<string, ObjectState>;
  /** key → the log position (`apply` version text) of the write that made its current state */
  versions: Map<string, string>;
  /** op id → the result of its first apply (dedupe of retried proposals) */
  results: Map<number, OpResult>;
}

export function emptyMachine(): RangeMachine {
  return { values: new Map(), states: new Map(), versions: new Map(), results: new Map() };
}

/**
 * The one shared machine of every replica nothing was applied to yet (reads see each key's
 * initial value); its maps throw on writes: take `ownMachine` (group.ts) before applying.
 */
export function noMachine(): RangeMachine {
  return NO_MACHINE;
}

const NO_MACHINE: RangeMachine = { values: noneMap(), states: noneMap(), versions: noneMap(), results: noneMap() };

/** The visible value of `key`, including each model's initial value. */
export function readValue(m: RangeMachine, model: WorkloadModel, key: string): Value {
  const v = m.values.get(key);
  if (v !== undefined) return v;
  return visibleState(model, initialState(model));
}

/** True for operations that go through the log (everything but reads). */
export function isWrite(f: OpFn): boolean {
  return f !== 'read';
}

/**
 * Applies one logged operation at log position `version`. Returns its result and, when the
 * key's state changed, the new visible value (for `ctx.applied`). A repeated op id changes
 * nothing and returns the first result.
 */
export function applyOp(
  m: RangeMachine,
  model: WorkloadModel,
  e: LoggedOp,
  version: string,
): { result: OpResult; changed?: Value; duplicate: boolean } {
  const prior = m.results.get(e.op);
  if (prior) return { result: prior, duplicate: true };
  const out = applyFresh(m, model, e, version);
  m.results.set(e.op, out.result);
  return { ...out, duplicate: false };
}

function applyFresh(m: RangeMachine, model: WorkloadModel, e: LoggedOp, version: string): { result: OpResult; changed?: Value } {
  const cur = m.states.get(e.key) ?? initialState(model);
  const o = stepObject(model, cur, e.f, e.value, { version: m.versions.get(e.key) ?? 'initial' });
  switch (o.type) {
    case 'read':
      return { result: { type: 'ok', value: o.value } };
    case 'same':
      return { result: { type: 'ok', value: o.result } };
    case 'fail':
      return { result: o };
    case 'write': {
      const shown = visibleState(model, o.next);
      m.states.set(e.key, o.next);
      m.values.set(e.key, shown);
      m.versions.set(e.key, version);
      return { result: { type: 'ok', value: o.result }, changed: shown };
    }
    default: {
      const never: never = o;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}
