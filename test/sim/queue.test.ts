import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/queue.js';

describe('EventQueue', () => {
  it('pops in (time, seq) order: equal times run in the order scheduled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }), (times) => {
        const q = new EventQueue<number>(2);
        times.forEach((t, i) => q.push(t, i));
        const out: Array<[number, number]> = [];
        for (let t = q.peekTime(), e = q.pop(); e !== undefined; t = q.peekTime(), e = q.pop()) out.push([t, e]);
        const want = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(want);
      }),
    );
  });

  it('interleaved pushes and pops keep the heap order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 1000 })), { maxLength: 300 }), (ops) => {
        const q = new EventQueue<number>(1);
        const model: Array<[number, number]> = [];
        let seq = 0;
        for (const [isPush, t] of ops) {
          if (isPush || model.length === 0) {
            q.push(t, seq);
            model.push([t, seq++]);
          } else {
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const [wt, ws] = model.shift()!;
            expect(q.peekTime()).toBe(wt);
            expect(q.pop()).toBe(ws);
          }
          expect(q.size).toBe(model.length);
        }
      }),
    );
  });

  it('peeks the naive list minimum after every push and pop, Infinity whenever empty (emptied and refilled, any capacity)', () => {
    // peekTime reads slot 0 without a size check: the pop that empties the queue must leave
    // Infinity there, and growth from any capacity (0 included) must keep it
    const time = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 30, noNaN: true }), fc.constant(Infinity));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.option(time, { freq: 2 }), { maxLength: 200 }), (cap, ops) => {
        const q = new EventQueue<number>(cap);
        const model: Array<[number, number]> = [];
        let seq = 0;
        for (const t of ops) {
          if (t === null) {
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            expect(q.pop()).toBe(model.shift()?.[1]);
          } else {
            q.push(t, seq);
            model.push([t, seq++]);
          }
          const min = model.reduce((m, [mt]) => (mt < m ? mt : m), Infinity);
          expect(q.peekTime()).toBe(min);
          expect(q.size).toBe(model.length);
        }
      }),
    );
  });

  it('reports Infinity as the next time when empty', () => {
    const q = new EventQueue<string>();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeUndefined();
  });

  it('calls onOverLimit once, at the push that passes the limit, and still queues that event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { maxLength: 200 }), (limit, cap, ops) => {
        const calls: number[] = [];
        const q = new EventQueue<number>(cap, limit, () => calls.push(q.size));
        let firstPass: number | undefined;
        for (const [i, isPush] of ops.entries()) {
          if (isPush || q.size === 0) {
            q.push(i, i);
            if (firstPass === undefined && q.size > limit) firstPass = q.size;
          } else q.pop();
        }
        // called from inside the push, before the size counts the new event
        expect(calls).toEqual(firstPass === undefined ? [] : [firstPass - 1]);
      }),
    );
  });
});
