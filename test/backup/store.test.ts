// The object store's faults and transfer time (a pure model).
import { describe, expect, it } from 'vitest';
import { storeCondition, transferUs } from '../../src/backup/store.js';
import type { ObjectStoreSpec } from '../../src/scenario/types.js';

const spec = (faults: ObjectStoreSpec['faults'] = []): ObjectStoreSpec => ({
  region: 'a', latency_us: 20_000 as never, bandwidth_bytes_per_s: 1_000_000, faults,
});

describe('object store', () => {
  it('is unavailable or slow only inside a fault window', () => {
    const s = spec([
      { at_us: 10 as never, for_us: 5 as never, kind: 'unavailable' },
      { at_us: 20 as never, for_us: 5 as never, kind: 'slow', factor: 4 },
    ]);
    expect(storeCondition(s, 9)).toEqual({ available: true, factor: 1 });
    expect(storeCondition(s, 10).available).toBe(false);
    expect(storeCondition(s, 15).available).toBe(true);
    expect(storeCondition(s, 22).factor).toBe(4);
  });

  it('transfer time = request round trip + bytes at bandwidth, times the slow factor', () => {
    expect(transferUs(spec(), 0, 5_000, 1)).toBe(30_000);
    expect(transferUs(spec(), 1_000_000, 5_000, 1)).toBe(30_000 + 1_000_000);
    expect(transferUs(spec(), 1_000_000, 5_000, 3)).toBe(30_000 + 3_000_000);
  });
});
