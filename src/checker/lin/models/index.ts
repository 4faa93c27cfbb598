/** The sequential models the linearizability search checks against, by `--model` name. */
import type { CheckModel } from '../../types.js';
import type { ModelCompiler } from '../model.js';
import { compileCounter } from './counter.js';
import { compileKv } from './kv.js';
import { compileMultiRegister } from './multi-register.js';
import { compileRegister } from './register.js';
import { compileSet } from './set.js';

export interface LinModelSpec {
  compile: ModelCompiler;
  /** false: the model spans keys (multi-register), so the history is checked as one partition */
  perKey: boolean;
}

/** The model for `name`, or null when linearizability does not apply (inventory). */
export function linModel(name: CheckModel): LinModelSpec | null {
  switch (name) {
    case 'register':
    case 'cas-register':
      return { compile: compileRegister, perKey: true };
    case 'kv':
      return { compile: compileKv, perKey: true };
    case 'counter':
      return { compile: compileCounter, perKey: true };
    case 'set':
      return { compile: compileSet, perKey: true };
    case 'multi-register':
      return { compile: compileMultiRegister, perKey: false };
    case 'inventory':
      return null;
    default: {
      const never: never = name;
      void never;
      return null;
    }
  }
}
