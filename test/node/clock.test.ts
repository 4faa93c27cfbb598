import { describe, expect, it } from 'vitest';
import { localTime, makeClock, setDrift, setOffset } from '../../src/node/clock.js';

describe('node clock', () => {
  it('applies offset and drift', () => {
    const c = makeClock(-5_000_000, 20);
    expect(localTime(c, 0)).toBe(-5_000_000);
    expect(localTime(c, 1_000_000_000)).toBe(1_000_000_000 - 5_000_000 + 20_000);
  });
  it('a clock fault steps the offset from now on', () => {
    const c = makeClock(0, 0);
    setOffset(c, 10_000_000, 300_000);
    expect(localTime(c, 10_000_000)).toBe(10_300_000);
    expect(localTime(c, 11_000_000)).toBe(11_300_000);
  });
  it('changing drift keeps the reading continuous', () => {
    const c = makeClock(0, 100);
    const before = localTime(c, 5_000_000);
    setDrift(c, 5_000_000, -50);
    expect(localTime(c, 5_000_000)).toBe(before);
    expect(localTime(c, 6_000_000) - localTime(c, 5_000_000)).toBe(1_000_000 - 50);
  });
});
