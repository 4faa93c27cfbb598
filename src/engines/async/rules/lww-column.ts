/**
 * LWW changes packed in columns for the change log (see ../change-column.ts, ../ledger.ts). A queued
 * LWW change was an object, its timestamp another, and the timestamp's wall clock (beyond the
 * small-integer range after 18 minutes) a boxed number: three objects per change per queue
 * for the collector to trace during a partition. Here the numbers live in typed arrays that
 * grow by doubling, and only the whole value stays a reference, in a side array.
 */
import type { ChangeColumn } from '../change-column.js';
import type { Ts } from '../timestamp.js';
import type { LwwChange } from './lww.js';
import { resized } from '../../../typed-arrays.js';

const INITIAL_CAPACITY = 64;

/**
 * A packed column of LWW changes. `get` rebuilds `{ kind, w, ts: { wall_us, logical, rank,
 * seq }, op }` in the field order lww.ts creates it, so what is sent is indistinguishable
 * from the change that was queued.
 */
export function lwwColumn(initial: readonly unknown[] = []): ChangeColumn {
  let cap = Math.max(INITIAL_CAPACITY, initial.length);
  let len = 0;
  let wall_us = new Float64Array(cap);
  let logical = new Float64Array(cap);
  let seq = new Float64Array(cap);
  let op = new Float64Array(cap);
  let rank = new Int32Array(cap);
  const ws: unknown[] = [];

  function write(i: number, change: unknown): void {
    const ch = change as LwwChange;
    const ts: Ts = ch.ts;
    wall_us[i] = ts.wall_us;
    logical[i] = ts.logical;
    rank[i] = ts.rank;
    seq[i] = ts.seq;
    op[i] = ch.op;
    ws[i] = ch.w;
  }

  function grow(): void {
    cap *= 2;
    wall_us = resized(wall_us, cap);
    logical = resized(logical, cap);
    seq = resized(seq, cap);
    op = resized(op, cap);
    rank = resized(rank, cap);
  }

  const col: ChangeColumn = {
    get length() {
      return len;
    },
    push(change) {
      if (len === cap) grow();
      write(len, change);
      len++;
    },
    get(i) {
      if (i < 0 || i >= len) return undefined;
      const ts: Ts = { wall_us: wall_us[i] as number, logical: logical[i] as number, rank: rank[i] as number, seq: seq[i] as number };
      const ch: LwwChange = { kind: 'lww', w: ws[i] as LwwChange['w'], ts, op: op[i] as number };
      return ch;
    },
    set(i, change) {
      write(i, change);
    },
    clear(i) {
      ws[i] = undefined;
    },
    dropFirst(n) {
      wall_us.copyWithin(0, n, len);
      logical.copyWithin(0, n, len);
      seq.copyWithin(0, n, len);
      op.copyWithin(0, n, len);
      rank.copyWithin(0, n, len);
      ws.copyWithin(0, n, len);
      len -= n;
      ws.length = len;
    },
  };
  for (const ch of initial) col.push(ch);
  return col;
}
