import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intText } from '../../src/history/int-text.js';

describe('intText', () => {
  it('writes every number exactly as String() does', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.maxSafeInteger(), fc.double()),
        (n) => {
          expect(intText(n)).toBe(String(n));
        },
      ),
      { numRuns: 5000 },
    );
  });
  it('pads the low part (leading zeros inside the number)', () => {
    for (const n of [1e9, 1_000_000_007, 7_440_000_000_000, 2 ** 53 - 1, 2 ** 53, 3_600_000_050, -5e9, 1e21]) {
      expect(intText(n)).toBe(String(n));
    }
  });
});
