// Consistency levels against Cassandra's documented table, computed here by hand for
// replication { a: 3, b: 3, c: 2 } (sum 8): QUORUM = floor(8/2)+1 = 5, LOCAL_QUORUM in a =
// floor(3/2)+1 = 2, in c = floor(2/2)+1 = 2, EACH_QUORUM = 2 in a, 2 in b, 2 in c.
import { describe, expect, it } from 'vitest';
import { count, meets, needOf, newTally } from '../../../src/engines/quorum/levels.js';
import type { ConsistencyLevel } from '../../../src/scenario/types.js';

const RF = [3, 3, 2];
/** the fewest replicas, by region, that meet the level for a coordinator in region 0 */
const tallyOf = (byRegion: number[]) => {
  const t = newTally(3);
  byRegion.forEach((n, r) => {
    for (let i = 0; i < n; i++) count(t, r);
  });
  return t;
};

describe('consistency levels', () => {
  const CASES: Array<[ConsistencyLevel, number[], number[][]]> = [
    // level, a smallest meeting tally, tallies one short that must not meet
    ['ONE', [0, 0, 1], [[0, 0, 0]]],
    ['TWO', [0, 1, 1], [[1, 0, 0]]],
    ['THREE', [1, 1, 1], [[2, 0, 0]]],
    ['QUORUM', [0, 3, 2], [[2, 2, 0], [3, 1, 0]]],
    ['ALL', [3, 3, 2], [[3, 3, 1]]],
    ['LOCAL_ONE', [1, 0, 0], [[0, 3, 2]]],
    ['LOCAL_QUORUM', [2, 0, 0], [[1, 3, 2]]],
    ['EACH_QUORUM', [2, 2, 2], [[3, 3, 1], [1, 3, 2]]],
  ];
  it.each(CASES)('%s: %j meets it, one replica fewer does not', (level, ok, short) => {
    const need = needOf(level, RF, 0);
    expect(meets(need, tallyOf(ok))).toBe(true);
    for (const s of short) expect(meets(need, tallyOf(s)), JSON.stringify(s)).toBe(false);
  });

  it('LOCAL_QUORUM counts the coordinator region only: 2 of 2 in c', () => {
    const need = needOf('LOCAL_QUORUM', RF, 2);
    expect(meets(need, tallyOf([3, 3, 1]))).toBe(false);
    expect(meets(need, tallyOf([0, 0, 2]))).toBe(true);
  });

  it('EACH_QUORUM skips regions with no replicas', () => {
    const need = needOf('EACH_QUORUM', [3, 0, 1], 0);
    expect(meets(need, tallyOf([2, 0, 1]))).toBe(true);
  });
});
