/**
 * Picks the conflict rule for an async engine spec and workload model, and the engine's name.
 *
 * | conflict        | register            | counter    | set        | inventory          |
 * |-----------------|---------------------|------------|------------|--------------------|
 * | lww             | LWW register        | LWW of the whole value (loses concurrent updates) |
 * | version-vector  | siblings            | siblings of whole values, resolved by the app     |
 * | crdt            | LWW or MV register  | PN-counter | OR-set     | bounded counter    |
 */
import type { NodeId } from '../../../sim/ids.js';
import type { AsyncEngineSpec, WorkloadModel } from '../../../scenario/types.js';
import type { Rule } from '../rule.js';
import { boundedRule } from './bounded.js';
import { dvvRule } from './dvv.js';
import { lwwRule } from './lww.js';
import { orSetRule } from './orset.js';
import { pnCounterRule } from './pncounter.js';
import { unknownModel } from '../../objects/unknown.js';

export function selectRule(spec: AsyncEngineSpec, model: WorkloadModel, nodes: readonly NodeId[]): Rule<any, any> {
  switch (spec.conflict) {
    case 'lww':
      return lwwRule(model);
    case 'version-vector':
      return dvvRule(model, nodes);
    case 'crdt':
      return crdtRule(spec.register, model, nodes);
    default: {
      const never: never = spec.conflict;
      throw new Error(`unknown conflict rule ${String(never)}`);
    }
  }
}

function crdtRule(register: AsyncEngineSpec['register'], model: WorkloadModel, nodes: readonly NodeId[]): Rule<any, any> {
  switch (model) {
    case 'register':
      return register === 'mv' ? dvvRule('register', nodes) : lwwRule('register');
    case 'counter':
      return pnCounterRule();
    case 'set':
      return orSetRule();
    case 'inventory':
      return boundedRule(nodes);
    default:
      throw unknownModel(model);
  }
}

/** `async/lww/physical`, `async/lww/hybrid`, `async/version-vector`, `async/crdt`. */
export function engineName(spec: AsyncEngineSpec): string {
  return spec.conflict === 'lww' ? `async/lww/${spec.timestamps}` : `async/${spec.conflict}`;
}
