import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeadlineQueue } from '../../src/traffic/deadlines.js';

describe('client deadlines', () => {
  it('behaves as a FIFO of (op, deadline) pairs under any interleaving of pushes and shifts', () => {
    const step = fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 300 }) }), fc.record({ shift: fc.integer({ min: 1, max: 300 }) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const model: Array<[number, number]> = [];
        const q = new DeadlineQueue();
        let op = 1;
        for (const s of steps) {
          if ('push' in s) {
            // more than the first capacity: the columns slide down or double
            for (let i = 0; i < s.push; i++, op++) {
              model.push([op, op * 1000 + 4e9]);
              q.push(op, op * 1000 + 4e9);
            }
          } else {
            for (let i = 0; i < s.shift && model.length > 0; i++) {
              expect([q.firstOp(), q.firstTime()]).toEqual(model[0]);
              model.shift();
              q.shift();
            }
          }
          expect(q.length).toBe(model.length);
          if (model.length > 0) expect([q.firstOp(), q.firstTime()]).toEqual(model[0]);
        }
      }),
    );
  });
});
