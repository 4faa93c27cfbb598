/**
 * Picks the conflict rule for an async engine spec and workload model, and the engine's name.
 */
import type { AsyncEngineSpec, WorkloadModel } from '../../../scenario/types.js';
import type { Rule } from '../rule.js';
import { lwwRule } from './lww.js';

export function selectRule(spec: AsyncEngineSpec, model: WorkloadModel): Rule<any, any> {
  switch (spec.conflict) {
    case 'lww':
      return lwwRule(model);
    case 'version-vector':
    case 'crdt':
      throw new Error(`async conflict rule ${spec.conflict} is not built yet`);
    default: {
      const never: never = spec.conflict;
      throw new Error(`unknown conflict rule ${String(never)}`);
    }
  }
}

/** `async/lww/physical`, `async/lww/hybrid`, `async/version-vector`, `async/crdt`. */
export function engineName(spec: AsyncEngineSpec): string {
  return spec.conflict === 'lww' ? `async/lww/${spec.timestamps}` : `async/${spec.conflict}`;
}
