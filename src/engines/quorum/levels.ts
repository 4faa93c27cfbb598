/**
 * Consistency levels as Cassandra documents them, turned into one shape: how many replicas
 * must answer in total, in the coordinator's region, and in each region.
 *
 * | level        | needs                                                         |
 * |--------------|---------------------------------------------------------------|
 * | ONE/TWO/THREE| 1/2/3 replicas, any region                                    |
 * | QUORUM       | floor(sum of every region's RF / 2) + 1, any region           |
 * | LOCAL_ONE    | 1 replica in the coordinator's region                         |
 * | LOCAL_QUORUM | floor(RF of the coordinator's region / 2) + 1 there           |
 * | EACH_QUORUM  | floor(RF / 2) + 1 in every region with replicas               |
 * | ALL          | every replica                                                 |
 */
import type { ConsistencyLevel } from '../../scenario/types.js';

/** What a level needs, for one coordinator region. */
export interface Need {
  /** replicas in total (any region) */
  any: number;
  /** region index whose replicas count toward `local` (-1: none) */
  localRegion: number;
  local: number;
  /** per region index: replicas needed there (EACH_QUORUM); empty otherwise */
  each: readonly number[];
}

const quorumOf = (n: number): number => Math.floor(n / 2) + 1;

/** The need of `level` for a coordinator in region `local`; `rf` is each region's factor (by index). */
export function needOf(level: ConsistencyLevel, rf: readonly number[], local: number): Need {
  const total = rf.reduce((a, b) => a + b, 0);
  const none: Need = { any: 0, localRegion: -1, local: 0, each: [] };
  switch (level) {
    case 'ONE':
      return { ...none, any: 1 };
    case 'TWO':
      return { ...none, any: 2 };
    case 'THREE':
      return { ...none, any: 3 };
    case 'QUORUM':
      return { ...none, any: quorumOf(total) };
    case 'ALL':
      return { ...none, any: total };
    case 'LOCAL_ONE':
      return { ...none, localRegion: local, local: 1 };
    case 'LOCAL_QUORUM':
      return { ...none, localRegion: local, local: quorumOf(rf[local] ?? 0) };
    case 'EACH_QUORUM':
      return { ...none, each: rf.map((n) => (n > 0 ? quorumOf(n) : 0)) };
    default: {
      const never: never = level;
      throw new Error(`unknown consistency level ${String(never)}`);
    }
  }
}

/** Replicas counted so far: in total and per region index. */
export interface Tally {
  total: number;
  byRegion: number[];
}

export function newTally(regions: number): Tally {
  return { total: 0, byRegion: new Array<number>(regions).fill(0) };
}

export function count(t: Tally, region: number): void {
  t.total++;
  t.byRegion[region] = (t.byRegion[region] ?? 0) + 1;
}

/** Whether the replicas in `t` meet `need`. */
export function meets(need: Need, t: Tally): boolean {
  if (t.total < need.any) return false;
  if (need.localRegion >= 0 && (t.byRegion[need.localRegion] ?? 0) < need.local) return false;
  for (let r = 0; r < need.each.length; r++) if ((t.byRegion[r] ?? 0) < (need.each[r] as number)) return false;
  return true;
}

/** How many replicas a level blocks for (the sum of what it needs), for reads' target choice. */
export function blockFor(need: Need): number {
  const each = need.each.reduce((a, b) => a + b, 0);
  return Math.max(need.any, need.local, each);
}

/** Whether `level` is one of the LOCAL_* levels (only the coordinator's region counts). */
export const isLocal = (level: ConsistencyLevel): boolean => level === 'LOCAL_ONE' || level === 'LOCAL_QUORUM';
