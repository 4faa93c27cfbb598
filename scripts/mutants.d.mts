// Types of scripts/mutants.mjs for the tests that import it.
export interface Mutant {
  /** kebab-case, unique */
  id: string;
  /** the engine whose built-in scenarios can reach the mutant */
  engine: 'async' | 'sync' | 'raft';
  /** path from the repository root */
  file: string;
  /** occurs exactly once in `file` */
  search: string;
  replace: string;
  /** what the mutant breaks */
  bug: string;
  /** set when the mutant is known to change nothing observable: why */
  equivalent?: string;
}
export declare const MUTANTS: Mutant[];
