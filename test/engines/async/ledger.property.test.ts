// The write ledger (src/engines/async/ledger.ts) against a Map model: through any sequence of
// issues, copies added and dropped (which trim the front, compact and grow the typed arrays)
// every tracked id reports the change, key, count and repair flag the model holds, and a dropped
// last copy is reported as such.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addCopy, changeOf, copiesOf, keyOf, dropCopy, isRepair, issue, newLedger } from '../../../src/engines/async/ledger.js';
import { lwwColumn } from '../../../src/engines/async/rules/lww-column.js';
import type { LwwChange } from '../../../src/engines/async/rules/lww.js';

describe('write ledger', () => {
  it('holds changes, counts copies and keeps repair flags like a map of ids, through trimming, compaction and growth', () => {
    const step = fc.oneof(
      // a write queued to `n` destinations (0: a node without peers)
      { weight: 3, arbitrary: fc.record({ t: fc.constant('issue' as const), n: fc.nat(3), repair: fc.boolean(), burst: fc.integer({ min: 1, max: 600 }) }) },
      // acks: drop one copy of each of the oldest live ids, or of a random live one
      { weight: 2, arbitrary: fc.record({ t: fc.constant('drop' as const), oldest: fc.boolean(), count: fc.integer({ min: 1, max: 700 }), pick: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 40 }), (packed, steps) => {
        const l = packed ? newLedger(lwwColumn) : newLedger();
        const model = new Map<number, { copies: number; repair: boolean; change: LwwChange; key: string }>();
        let last = 0;
        let peakSpan = 0; // most ids from the oldest live one to the newest, at any issue
        for (const s of steps) {
          if (s.t === 'issue') {
            for (let k = 0; k < s.burst; k++) {
              const change: LwwChange = { kind: 'lww', w: `v${last}`, ts: { wall_us: 2 ** 40 + last, logical: k, rank: s.n, seq: last }, op: last };
              const key = `k${last % 7}`;
              const id = issue(l, s.repair, change, key);
              expect(id).toBeGreaterThan(last); // ids are never reused
              last = id;
              const oldest = model.size === 0 ? id : (model.keys().next().value as number);
              peakSpan = Math.max(peakSpan, id - oldest + 1);
              for (let c = 0; c < s.n; c++) addCopy(l, id);
              if (s.n > 0) model.set(id, { copies: s.n, repair: s.repair, change, key });
            }
            continue;
          }
          for (let k = 0; k < s.count && model.size > 0; k++) {
            const live = [...model.keys()];
            const id = s.oldest ? (live[0] as number) : (live[(s.pick + k) % live.length] as number);
            const m = model.get(id)!;
            m.copies--;
            expect(dropCopy(l, id)).toBe(m.copies === 0);
            if (m.copies === 0) model.delete(id);
          }
        }
        for (const [id, m] of model) {
          expect(copiesOf(l, id)).toBe(m.copies);
          expect(isRepair(l, id)).toBe(m.repair);
          expect(JSON.stringify(changeOf(l, id))).toBe(JSON.stringify(m.change));
          expect(keyOf(l, id)).toBe(m.key);
        }
        // the arrays grew no more than the widest span of live ids needed (plus doubling slack)
        expect(l.copies.length).toBeLessThanOrEqual(Math.max(1024, 4 * peakSpan));
        expect(l.changes.length).toBe(l.len);
      }),
      { numRuns: 100 },
    );
  });

  it('an id no queue holds is not tracked', () => {
    const l = newLedger();
    const a = issue(l, false, 'a', 'k');
    addCopy(l, a);
    expect(dropCopy(l, a)).toBe(true);
    issue(l, false, 'b', 'k'); // trims `a`
    expect(() => copiesOf(l, a)).toThrow(/not tracked/);
  });
});
