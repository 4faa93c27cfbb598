/**
 * Invalid multi-register histories, hand-written, each with the reason no order explains it
 * (issue 20 point 4: the oracle set has only a valid one). Each has a valid neighbour that
 * differs in one value or one ordering, so the test fails if the model stops constraining.
 * Txn values use the long (`read`/`write`) or Jepsen's short (`r`/`w`) micro-op names.
 */
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { CheckOptions } from '../../../src/checker/types.js';
import { readJepsenEdn } from '../../../src/history/import/index.js';
import { hist } from './dsl.js';

const modes = ['empty', 'any'] as const;
const opts = (nilRead: 'empty' | 'any'): CheckOptions => ({ model: 'multi-register', initial: { x: 0, y: 0 }, nilRead });
const verdict = (text: string, nilRead: 'empty' | 'any') => nonLinearizable(hist(text), opts(nilRead));

describe('multi-register: invalid histories', () => {
  for (const nilRead of modes) {
    describe(`nil-read ${nilRead}`, () => {
      it('phantom read with short names: [[:w :x 1]] ok, then [[:r :y 1]] (y was never written 1)', () => {
        const edn = `[{:process 0 :type :invoke :f :txn :value [[:w :x 1]]}
{:process 0 :type :ok :f :txn :value [[:w :x 1]]}
{:process 1 :type :invoke :f :txn :value [[:r :y nil]]}
{:process 1 :type :ok :f :txn :value [[:r :y 1]]}]`;
        const r = readJepsenEdn(edn, 'phantom.edn');
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const out = nonLinearizable(r.records, opts(nilRead));
        expect(out.verdict).toBe(false);
        expect(out.report.note).toBeUndefined(); // no op was ignored
        expect(out.report.witnesses[0]?.explanation).toContain('read y 1');
        // the valid neighbour: reading y 0 (its initial value)
        const fine = readJepsenEdn(edn.replace('[[:r :y 1]]', '[[:r :y 0]]'), 'fine.edn');
        expect(fine.ok && nonLinearizable(fine.records, opts(nilRead)).verdict).toBe(true);
      });
      it('phantom read with long names', () => {
        const text = `
          a inv 1 txn _ [["write","x",1]]
          ok 1 [["write","x",1]]
          b inv 2 txn _ [["read","y",null]]
          ok 2 [["read","y",V]]`;
        expect(verdict(text.replace('V', '1'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('V', '0'), nilRead).verdict).toBe(true);
      });
      it('stale read: x read 0 after the write of 1 was acknowledged', () => {
        const text = `
          a inv 1 txn _ [["w","x",1]]
          ok 1 [["w","x",1]]
          b inv 2 txn _ [["r","x",null]]
          ok 2 [["r","x",V]]`;
        expect(verdict(text.replace('V', '0'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('V', '1'), nilRead).verdict).toBe(true);
      });
      it('fractured read: one txn wrote x and y, a later txn sees x new and y old', () => {
        const text = `
          a inv 1 txn _ [["w","x",1],["w","y",1]]
          ok 1 [["w","x",1],["w","y",1]]
          b inv 2 txn _ [["r","x",null],["r","y",null]]
          ok 2 [["r","x",1],["r","y",Y]]`;
        expect(verdict(text.replace('Y', '0'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('Y', '1'), nilRead).verdict).toBe(true);
      });
      it('fractured read even while the writing txn is in flight: atomicity, not only order', () => {
        const text = `
          a inv 1 txn _ [["w","x",1],["w","y",1]]
          b inv 2 txn _ [["r","x",null],["r","y",null]]
          ok 2 [["r","x",1],["r","y",Y]]
          ok 1 [["w","x",1],["w","y",1]]`;
        expect(verdict(text.replace('Y', '0'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('Y', '1'), nilRead).verdict).toBe(true);
      });
      it('a txn that does not see its own write: [w x 2, r x 0]', () => {
        const text = `
          a inv 1 txn _ [["w","x",2],["r","x",null]]
          ok 1 [["w","x",2],["r","x",V]]`;
        expect(verdict(text.replace('V', '0'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('V', '2'), nilRead).verdict).toBe(true);
      });
      it('reads going backwards: one reader sees x 1, a later reader sees x 0 (write still in flight)', () => {
        const text = `
          a inv 1 txn _ [["w","x",1]]
          b inv 2 txn _ [["r","x",null]]
          ok 2 [["r","x",1]]
          c inv 3 txn _ [["r","x",null]]
          ok 3 [["r","x",V]]`;
        expect(verdict(text.replace('V', '0'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('V', '1'), nilRead).verdict).toBe(true);
      });
      it('a failed write observed: fail means it did not happen', () => {
        const text = `
          a inv 1 txn _ [["w","y",5]]
          E 1
          b inv 2 txn _ [["r","y",null]]
          ok 2 [["r","y",5]]`;
        expect(verdict(text.replace('E', 'fail'), nilRead).verdict).toBe(false);
        expect(verdict(text.replace('E', 'info'), nilRead).verdict).toBe(true); // may have happened
      });
    });
  }
  it('an ok txn whose completion carries no micro-ops reads nothing known (no false alarm under nil-read empty)', () => {
    const text = `
      a inv 1 txn _ [["w","x",1]]
      ok 1
      b inv 2 txn _ [["r","x",null]]
      ok 2`;
    expect(verdict(text, 'empty').verdict).toBe(true);
  });
});
