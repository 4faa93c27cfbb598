/**
 * Which operations the diagram draws one by one. A short run embeds all of them; a long one
 * embeds windows around the places a reader will zoom to (anomaly witnesses, fault starts
 * and ends, the first seconds), as wide as a budget of ops allows, plus every witness op.
 * Elsewhere the diagram shows per-lane density from the bucketed series.
 */
import type { HistoryRecord, Value } from '../../history/types.js';
import type { Columns } from './columns.js';
import type { Detail } from './types.js';

export interface DetailOptions {
  /** most ops embedded in windows (witness ops come on top) */
  max_ops: number;
  /** times the windows are centred on */
  anchors_us: number[];
  /** op ids that must be embedded whatever the windows */
  must_ops: number[];
}

/** Default budget: ~40k ops with their applies is a few MB of JSON and draws instantly. */
export const DEFAULT_MAX_DETAIL_OPS = 40_000;

export function detailOf(c: Columns, records: readonly HistoryRecord[], end_us: number, o: DetailOptions): Detail {
  const windows = chooseWindows(c, end_us, o);
  const chosen: number[] = [];
  const picked = new Uint8Array(c.n_ops);
  for (const [a, b] of windows) {
    for (let i = lowerBound(c.op_t, a); i < c.n_ops && (c.op_t[i] as number) <= b; i++) {
      if (!picked[i]) {
        picked[i] = 1;
        chosen.push(i);
      }
    }
  }
  for (const id of o.must_ops) {
    const i = c.indexOf(id);
    if (i >= 0 && !picked[i]) {
      picked[i] = 1;
      chosen.push(i);
    }
  }
  chosen.sort((x, y) => x - y);

  const keys = new Interner();
  const fns = new Interner();
  const d: Detail = {
    windows,
    keys: keys.list,
    clients: [...c.clients],
    fns: fns.list,
    op_id: [],
    op_lane: [],
    op_client: [],
    op_t: [],
    op_d: [],
    op_f: [],
    op_s: [],
    op_key: [],
    op_v: [],
    ap_op: [],
    ap_lane: [],
    ap_t: [],
    total_ops: c.n_ops,
    embedded_ops: chosen.length,
  };
  chosen.forEach((i, k) => {
    const inv = records[c.op_invoke_rec[i] as number];
    const done = (c.op_done_rec[i] as number) >= 0 ? records[c.op_done_rec[i] as number] : undefined;
    const f = inv && inv.type === 'invoke' ? inv.f : 'read';
    const key = inv && inv.type === 'invoke' ? inv.key : '';
    const end = c.op_end[i] as number;
    d.op_id.push(c.op_id[i] as number);
    d.op_lane.push(c.op_lane[i] as number);
    d.op_client.push(c.op_client[i] as number);
    d.op_t.push(c.op_t[i] as number);
    d.op_d.push(Number.isNaN(end) ? -1 : end - (c.op_t[i] as number));
    d.op_f.push(fns.of(f));
    d.op_s.push(c.op_status[i] as number);
    d.op_key.push(keys.of(key));
    const shown = c.op_read[i] ? (done && done.type === 'ok' ? done.value : undefined) : inv && inv.type === 'invoke' ? inv.value : undefined;
    d.op_v.push(shortText(shown));
    for (let a = c.ap_start[i] as number; a < (c.ap_start[i + 1] as number); a++) {
      const j = c.ap_by_op[a] as number;
      d.ap_op.push(k);
      d.ap_lane.push(c.ap_lane[j] as number);
      d.ap_t.push(c.ap_t[j] as number);
    }
  });
  return d;
}

/**
 * Windows [start, end] around the anchors, merged, with the widest half-width whose ops fit
 * the budget (binary search; op invoke times are sorted).
 */
export function chooseWindows(c: Columns, end_us: number, o: DetailOptions): Array<[number, number]> {
  if (c.n_ops <= o.max_ops) return [[0, end_us]];
  const anchors = [...new Set(o.anchors_us.filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  if (anchors.length === 0) anchors.push(0);
  const windowsFor = (h: number): Array<[number, number]> => merge(anchors.map((t) => [Math.max(0, t - h), Math.min(end_us, t + h)]));
  const count = (ws: Array<[number, number]>): number =>
    ws.reduce((sum, [a, b]) => sum + upperBound(c.op_t, b) - lowerBound(c.op_t, a), 0);
  let lo = 0;
  let hi = end_us;
  for (let step = 0; step < 40 && hi - lo > 1000; step++) {
    const mid = (lo + hi) / 2;
    if (count(windowsFor(mid)) <= o.max_ops) lo = mid;
    else hi = mid;
  }
  return windowsFor(Math.floor(lo));
}

function merge(ws: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...ws].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function lowerBound(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Interner {
  readonly list: string[] = [];
  private index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }
}

function shortText(v: Value | undefined): string {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
