// When traffic left a failed region (src/traffic/left.ts), from the clients' moves alone.
import { describe, expect, it } from 'vitest';
import { OpsPerSecond, routingMetrics } from '../../src/traffic/left.js';
import type { FaultSpec } from '../../src/scenario/types.js';
import type { Micros } from '../../src/sim/time.js';

const us = (s: number) => (s * 1e6) as Micros;
const crash = (target: string, at: number, dur?: number): FaultSpec => ({
  at_us: us(at),
  ...(dur === undefined ? {} : { for_us: us(dur) }),
  action: { kind: 'crash', target, lose_volatile: false },
});
// nodes 0, 1 in "a"; node 2 in "b"
const regionOf = (n: number) => (n < 2 ? 'a' : 'b');
const ops = new OpsPerSecond(2, us(100));

describe('routing.left_after_s', () => {
  it('is the time until the last client that was on the region at the failure moved away', () => {
    const moves = [
      { t: us(12), client: 0, from: 0, to: 2 },
      { t: us(17), client: 1, from: 1, to: 2 },
    ];
    const m = routingMetrics(ops, moves, [0, 1, 2], regionOf, ['a', 'b'], [crash('a', 10, 30)], us(100));
    expect(m.left_after_s).toEqual({ a: 7 });
    expect(m.moves).toBe(2);
  });

  it('is null when a client stayed until the fault ended, and when nobody was there', () => {
    const moves = [{ t: us(12), client: 0, from: 0, to: 2 }];
    expect(routingMetrics(ops, moves, [0, 1], regionOf, ['a', 'b'], [crash('a', 10, 30)], us(100)).left_after_s).toEqual({ a: null });
    expect(routingMetrics(ops, [], [2], regionOf, ['a', 'b'], [crash('a/*', 10)], us(100)).left_after_s).toEqual({ a: null });
  });

  it('ignores moves back after the fault ended and moves before it began', () => {
    const moves = [
      { t: us(5), client: 1, from: 1, to: 2 },
      { t: us(11), client: 0, from: 0, to: 2 },
      { t: us(45), client: 0, from: 2, to: 0 },
    ];
    expect(routingMetrics(ops, moves, [0, 1], regionOf, ['a', 'b'], [crash('a', 10, 30)], us(100)).left_after_s).toEqual({ a: 1 });
  });
});

describe('routing.share_during_fault', () => {
  it('counts ops per region over the whole seconds of the fault', () => {
    const o = new OpsPerSecond(2, us(10));
    for (let s = 0; s < 10; s++) o.add(us(s) + 1, s < 5 ? 0 : 1);
    o.add(us(3), 1);
    const m = routingMetrics(o, [], [0], regionOf, ['a', 'b'], [crash('a', 2, 4)], us(10));
    // seconds 2..5: a, a+b, a, b → a 3 of 5
    expect(m.share_during_fault).toEqual({ a: 0.6, b: 0.4 });
  });
});
