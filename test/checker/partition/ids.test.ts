/**
 * The op-id rules of the partitioned check, one id bucket at a time (ids.ts), and the bucket
 * hashes (hash.ts): each rule fires on its own shape and not on a clean bucket.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketProblem } from '../../../src/checker/partition/ids.js';
import { idBucket, keyBucket } from '../../../src/checker/partition/hash.js';

/** events as pass 1 spills them: (id, line * 4 + kind), kind 0 invoke, 1 ok, 2 fail, 3 info */
const events = (...ev: Array<[id: number, line: number, kind: number]>): Float64Array =>
  Float64Array.from(ev.flatMap(([id, line, kind]) => [id, line * 4 + kind]));

describe('bucketProblem', () => {
  it('finds nothing in a bucket of well-paired ops, in any spill order', () => {
    expect(bucketProblem(events([5, 1, 0], [9, 2, 0], [5, 3, 1], [9, 4, 3]))).toBeUndefined();
    expect(bucketProblem(events([9, 4, 3], [5, 3, 1], [9, 2, 0], [5, 1, 0]))).toBeUndefined();
    expect(bucketProblem(events([7, 1, 0]))).toBeUndefined(); // an op still open at the end is fine
  });
  it('names a reused id at its second invoke, with the first line', () => {
    expect(bucketProblem(events([3, 1, 0], [3, 2, 1], [3, 8, 0]))).toEqual({ line: 8, message: 'op 3 is invoked twice (first on line 1): op ids must be unique' });
  });
  it('names a completion with no invoke before it as an orphan', () => {
    expect(bucketProblem(events([4, 2, 2], [4, 6, 0]))).toEqual({
      line: 2,
      message: 'fail for op 4 with no invoke before it (an invoke must come first)',
      orphan: { type: 'fail', op: 4 },
    });
  });
  it('names a second completion with the first one', () => {
    expect(bucketProblem(events([1, 1, 0], [1, 2, 3], [1, 5, 1]))?.message).toBe(
      'op 1 completes twice (info on line 2, then ok): each invoke has exactly one ok, fail or info',
    );
  });
  it('reports the earliest line over all ids of the bucket', () => {
    const p = bucketProblem(events([1, 1, 0], [2, 2, 0], [1, 9, 0], [2, 4, 0]));
    expect(p?.line).toBe(4);
  });
});

describe('bucket hashes', () => {
  it('are stable (the same file is always partitioned the same way) and in range', () => {
    // pinned: a change here changes which bucket every key of every file lands in
    expect([keyBucket('k1', 7), keyBucket('balance', 7), keyBucket('', 7), keyBucket('k1', 1000)]).toEqual([6, 5, 2, 489]);
    expect([idBucket(123456, 1000), idBucket(1.5, 1000)]).toEqual([456, 786]);
    fc.assert(
      fc.property(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 5000 }), (key, id, b) => {
        const kb = keyBucket(key, b);
        const ib = idBucket(id, b);
        return Number.isInteger(kb) && kb >= 0 && kb < b && Number.isInteger(ib) && ib >= 0 && ib < b && idBucket(-0, b) === idBucket(0, b);
      }),
      { seed: 7 },
    );
  });
});
