import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareTs, formatTs, localStamp, observeTs, parseTs, type Hlc } from '../../../src/engines/async/timestamp.js';
import { micros } from '../../../src/sim/time.js';

describe('async timestamps', () => {
  it('orders by wall, then logical, then node rank, then the origin counter', () => {
    const ts = (wall_us: number, logical: number, rank: number, seq: number) => ({ wall_us, logical, rank, seq });
    const sorted = [ts(2, 0, 0, 0), ts(1, 1, 0, 0), ts(1, 0, 2, 0), ts(1, 0, 1, 9), ts(1, 0, 1, 3)].sort(compareTs);
    expect(sorted).toEqual([ts(1, 0, 1, 3), ts(1, 0, 1, 9), ts(1, 0, 2, 0), ts(1, 1, 0, 0), ts(2, 0, 0, 0)]);
  });

  it('physical stamps are the clock reading, even when it goes backwards', () => {
    const hlc: Hlc = { l: 0, c: 0 };
    expect(localStamp('physical', hlc, micros(500), 1, 1).wall_us).toBe(500);
    expect(localStamp('physical', hlc, micros(100), 1, 2).wall_us).toBe(100);
    expect(hlc).toEqual({ l: 0, c: 0 });
  });

  it('a hybrid clock never goes back and moves past every timestamp it has seen', () => {
    const hlc: Hlc = { l: 0, c: 0 };
    const a = localStamp('hybrid', hlc, micros(500), 0, 1);
    const b = localStamp('hybrid', hlc, micros(100), 0, 2); // clock stepped back
    expect([a.wall_us, a.logical, b.wall_us, b.logical]).toEqual([500, 0, 500, 1]);
    observeTs(hlc, { wall_us: 9000, logical: 4, rank: 3, seq: 1 }, micros(600));
    expect(hlc).toEqual({ l: 9000, c: 5 });
    const c = localStamp('hybrid', hlc, micros(700), 0, 3);
    expect([c.wall_us, c.logical]).toEqual([9000, 6]);
    // Physical time catches up: the logical counter resets.
    expect(localStamp('hybrid', hlc, micros(10_000), 0, 4)).toMatchObject({ wall_us: 10_000, logical: 0 });
    // Seen timestamp equal to our own wall: the larger counter plus one.
    observeTs(hlc, { wall_us: 10_000, logical: 7, rank: 1, seq: 1 }, micros(10_000));
    expect(hlc).toEqual({ l: 10_000, c: 8 });
  });
});

describe('timestamp text', () => {
  it('formatTs writes wall.logical@rank#seq exactly as a template would (digit groups, zeros inside), and parseTs reads it back', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1e6, max: 2e9 }), fc.integer({ min: 2e9, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 999, 1000, 9999, 10_000, 999_999, 1_000_000, 10_000_000_000, 4_000_000_007)),
        fc.oneof(fc.constant(0), fc.nat(50)),
        fc.nat(20),
        fc.oneof(fc.nat(1e7), fc.constantFrom(0, 999, 1000, 1001, 9_999_999, 10_000_000, Number.MAX_SAFE_INTEGER)),
        (wall_us, logical, rank, seq) => {
          const ts = { wall_us, logical, rank, seq };
          const text = formatTs(ts);
          expect(text).toBe(`${wall_us}.${logical}@${rank}#${seq}`);
          expect(parseTs(text)).toEqual(ts);
        },
      ),
    );
  });
});
