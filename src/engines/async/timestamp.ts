/**
 * LWW timestamps. A timestamp is compared as (wall, logical, rank, seq): wall clock first, then
 * the hybrid-logical counter, then the origin node's position in the topology (the documented
 * stable tie-break), then the origin's own change counter so two writes by one node in the
 * same microsecond still have a total order. Every replica compares the same way, so every
 * replica picks the same winner whatever the arrival order.
 */
import { intText } from '../../history/int-text.js';
import type { Micros } from '../../sim/time.js';

export interface Ts {
  /** the origin's clock reading (physical) or HLC wall component, microseconds */
  wall_us: number;
  /** HLC logical counter; always 0 for physical timestamps */
  logical: number;
  /** origin node's index in topology.nodes */
  rank: number;
  /** origin node's change counter */
  seq: number;
}

/** Hybrid logical clock state of one node (Kulkarni et al. 2014). */
export interface Hlc {
  l: number;
  c: number;
}

export type TimestampKind = 'physical' | 'hybrid';

/** Negative when a is older than b. */
export function compareTs(a: Ts, b: Ts): number {
  return a.wall_us - b.wall_us || a.logical - b.logical || a.rank - b.rank || a.seq - b.seq;
}

/** The timestamp for a local write: the skewed clock as is, or the HLC ticked past it. */
export function localStamp(kind: TimestampKind, hlc: Hlc, now: Micros, rank: number, seq: number): Ts {
  switch (kind) {
    case 'physical':
      return { wall_us: now, logical: 0, rank, seq };
    case 'hybrid': {
      const l = Math.max(hlc.l, now);
      hlc.c = l === hlc.l ? hlc.c + 1 : 0;
      hlc.l = l;
      return { wall_us: hlc.l, logical: hlc.c, rank, seq };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown timestamp kind ${String(never)}`);
    }
  }
}

/**
 * HLC receive rule: the clock moves past every timestamp it has seen, so a node whose
 * physical clock is behind still stamps its next write later than anything it has read.
 */
export function observeTs(hlc: Hlc, seen: Ts, now: Micros): void {
  const l = Math.max(hlc.l, seen.wall_us, now);
  if (l === hlc.l && l === seen.wall_us) hlc.c = Math.max(hlc.c, seen.logical) + 1;
  else if (l === hlc.l) hlc.c = hlc.c + 1;
  else if (l === seen.wall_us) hlc.c = seen.logical + 1;
  else hlc.c = 0;
  hlc.l = l;
}

/** `.0@RANK#` by rank: the middle of every physical timestamp's text, made once per rank. */
const physicalMiddles: string[] = [];

/** `000` to `999`: the three-digit groups of a number's text. */
const GROUPS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Decimal text of a non-negative safe integer, as `String(n)` writes it, joined from cached
 * pieces: the last three digits from GROUPS, the rest (under 10,000) by the engine's own
 * number-to-text, whose small-integer cache keeps it (a time's seconds, a counter's thousands
 * change slowly). A fresh six- or ten-digit number missed that cache and was converted digit
 * by digit on every call.
 */
function uintText(n: number): string {
  if (n < 1000) return `${n}`;
  const hi = Math.floor(n / 1000);
  return (hi < 10_000 ? `${hi}` : uintText(hi)) + (GROUPS[n - hi * 1000] as string);
}

/**
 * `1000000.0@2#7`: wall.logical@rank#seq, for `apply` record versions. One per apply (millions
 * on a long run, ~2.5% of the 2-hour partition's CPU): the middle part of a physical
 * timestamp (logical 0) is the same for every write of a node, so it is made once, and the
 * wall clock and the counter are joined from cached digit groups (~85 ns a version where a
 * four-part template took ~160, measured with the flattening the history writer does).
 */
export function formatTs(ts: Ts): string {
  const middle = ts.logical === 0 ? (physicalMiddles[ts.rank] ??= `.0@${ts.rank}#`) : `.${ts.logical}@${ts.rank}#`;
  const wall = ts.wall_us;
  const seq = ts.seq;
  if (wall >= 0 && wall <= Number.MAX_SAFE_INTEGER && Number.isInteger(wall) && seq >= 0 && seq <= Number.MAX_SAFE_INTEGER && Number.isInteger(seq)) {
    return uintText(wall) + middle + uintText(seq);
  }
  return intText(wall) + middle + seq; // a clock set before the epoch: rare, the plain way
}

/** The inverse of formatTs (a restore reads timestamps back from `apply` versions); undefined if malformed. */
export function parseTs(text: string): Ts | undefined {
  const m = /^(-?\d+)\.(\d+)@(\d+)#(\d+)$/.exec(text);
  if (!m) return undefined;
  return { wall_us: Number(m[1]), logical: Number(m[2]), rank: Number(m[3]), seq: Number(m[4]) };
}
