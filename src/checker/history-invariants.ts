/**
 * The `invariant` rules judged from client operations alone (no engine records needed), one
 * key at a time: set reads with duplicates, phantom set elements, orders billed twice,
 * counter overcounts, superseded version-vector siblings reappearing. Each rule is a file of
 * its own; this one runs those that fit the model.
 */
import type { CheckModel, CheckOptions, Witness } from './types.js';
import type { History } from './ops.js';
import { counterOvercount } from './counter-overcount.js';
import { doubleBilling } from './double-billing.js';
import { phantomElements } from './phantom-element.js';
import { setDuplicates } from './set-duplicates.js';
import { supersededSiblings } from './superseded-sibling.js';

/** Models whose client operations alone carry invariant rules (so `invariant` applies to black-box histories of them). */
export function hasHistoryInvariants(model: CheckModel): boolean {
  return model === 'counter' || model === 'set' || model === 'inventory';
}

/**
 * Runs every history-only invariant rule on one key's slice `h`. Returns whether some rule
 * applied to it: always for counter, set and inventory; for a register, when some read
 * returned siblings (so a black-box register history with siblings has `invariant` judged).
 */
export function historyInvariants(h: History, opts: CheckOptions, add: (w: Witness) => void): boolean {
  setDuplicates(h, opts, add);
  phantomElements(h, opts, add);
  doubleBilling(h, opts, add);
  counterOvercount(h, opts, add);
  const siblings = supersededSiblings(h, opts, add);
  return siblings || hasHistoryInvariants(opts.model);
}
