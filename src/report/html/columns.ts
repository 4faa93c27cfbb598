/**
 * One pass over a history into columns: ops (invoke, completion, lane, client) and applies
 * (time, lane, op). Typed arrays keep a few million ops within a few hundred MB and make the
 * later passes (series, detail selection) plain loops.
 */
import type { FaultRecord, HistoryRecord } from '../../history/types.js';
import { isRefusal } from '../../checker/refusal.js';
import { resized } from '../../typed-arrays.js';

export const STATUS = { ok: 0, fail: 1, info: 2, open: 3 } as const;

export interface Columns {
  n_ops: number;
  op_id: Float64Array;
  op_t: Float64Array;
  /** completion time, NaN while open */
  op_end: Float64Array;
  op_lane: Int32Array;
  op_client: Int32Array;
  op_region: Int32Array;
  op_status: Uint8Array;
  /** 1: a `fail` that is a business refusal (out of stock, cas mismatch): served, as the checker counts it */
  op_refused: Uint8Array;
  op_read: Uint8Array;
  /** record index of the invoke and of the completion (-1 if none), to fetch values late */
  op_invoke_rec: Int32Array;
  op_done_rec: Int32Array;
  n_applies: number;
  ap_t: Float64Array;
  ap_lane: Int32Array;
  /** op index, -1 for applies that no single op caused or of unknown ops */
  ap_op: Int32Array;
  /** applies grouped by op: `ap_by_op[ap_start[i] .. ap_start[i+1])` are op i's apply indices, in time order */
  ap_start: Int32Array;
  ap_by_op: Int32Array;
  clients: string[];
  /** client regions (`REGION/INDEX` → REGION), indices of `op_region` */
  regions: string[];
  faults: FaultRecord[];
  end_t: number;
  /** op id → op index */
  indexOf(id: number): number;
}

const READS = new Set(['read', 'get']);

/** Builds the columns; `lanes` maps node ids to lane indices (unknown nodes get -1). */
export function columnsOf(records: readonly HistoryRecord[], laneOf: ReadonlyMap<string, number>): Columns {
  // Sized by a counting pass first: regrowing ten arrays of millions of entries costs more.
  let opCap = 1;
  let apCap = 1;
  for (const r of records) {
    if (r.type === 'invoke') opCap++;
    else if (r.type === 'apply') apCap++;
  }
  let op_id = new Float64Array(opCap);
  let op_t = new Float64Array(opCap);
  let op_end = new Float64Array(opCap);
  let op_lane = new Int32Array(opCap);
  let op_client = new Int32Array(opCap);
  let op_region = new Int32Array(opCap);
  let op_status = new Uint8Array(opCap);
  let op_refused = new Uint8Array(opCap);
  let op_read = new Uint8Array(opCap);
  let op_invoke_rec = new Int32Array(opCap);
  let op_done_rec = new Int32Array(opCap);
  let ap_t = new Float64Array(apCap);
  let ap_lane = new Int32Array(apCap);
  let ap_op = new Int32Array(apCap);
  let n = 0;
  let m = 0;
  const clientIndex = new Map<string, number>();
  const clients: string[] = [];
  const regionIndex = new Map<string, number>();
  const regions: string[] = [];
  const clientRegion: number[] = [];
  const ids = new IdIndex();
  const faults: FaultRecord[] = [];
  let end_t = 0;

  const growOps = (): void => {
    opCap *= 2;
    op_id = resized(op_id, opCap);
    op_t = resized(op_t, opCap);
    op_end = resized(op_end, opCap);
    op_lane = resized(op_lane, opCap);
    op_client = resized(op_client, opCap);
    op_region = resized(op_region, opCap);
    op_status = resized(op_status, opCap);
    op_refused = resized(op_refused, opCap);
    op_read = resized(op_read, opCap);
    op_invoke_rec = resized(op_invoke_rec, opCap);
    op_done_rec = resized(op_done_rec, opCap);
  };
  const growApplies = (): void => {
    apCap *= 2;
    ap_t = resized(ap_t, apCap);
    ap_lane = resized(ap_lane, apCap);
    ap_op = resized(ap_op, apCap);
  };

  for (let ri = 0; ri < records.length; ri++) {
    const r = records[ri] as HistoryRecord;
    if (r.t > end_t) end_t = r.t;
    switch (r.type) {
      case 'invoke': {
        if (n === opCap) growOps();
        let c = clientIndex.get(r.client);
        if (c === undefined) {
          c = clients.length;
          clientIndex.set(r.client, c);
          clients.push(r.client);
          const region = regionName(r.client);
          let g = regionIndex.get(region);
          if (g === undefined) {
            g = regions.length;
            regionIndex.set(region, g);
            regions.push(region);
          }
          clientRegion.push(g);
        }
        op_id[n] = r.op;
        op_t[n] = r.t;
        op_end[n] = NaN;
        op_lane[n] = laneOf.get(r.node) ?? -1;
        op_client[n] = c;
        op_region[n] = clientRegion[c] ?? 0;
        op_status[n] = STATUS.open;
        op_read[n] = READS.has(r.f) ? 1 : 0;
        op_invoke_rec[n] = ri;
        op_done_rec[n] = -1;
        ids.set(r.op, n);
        n++;
        break;
      }
      case 'ok':
      case 'fail':
      case 'info': {
        const i = ids.get(r.op);
        if (i < 0 || op_status[i] !== STATUS.open) break;
        op_status[i] = STATUS[r.type];
        if (r.type === 'fail' && isRefusal(r.error)) op_refused[i] = 1;
        op_end[i] = r.t;
        op_done_rec[i] = ri;
        break;
      }
      case 'apply': {
        if (m === apCap) growApplies();
        ap_t[m] = r.t;
        ap_lane[m] = laneOf.get(r.node) ?? -1;
        ap_op[m] = r.op === undefined ? -1 : ids.get(r.op);
        m++;
        break;
      }
      case 'fault':
        faults.push(r);
        break;
      case 'final':
      case 'replicas':
      case 'live':
      case 'extra_reply':
      case 'route':
      case 'alert':
      case 'attempt':
        break;
      default: {
        const never: never = r;
        void never;
      }
    }
  }
  // Group applies by op with a counting sort; records are in time order, so each group is too.
  const ap_start = new Int32Array(n + 1);
  for (let j = 0; j < m; j++) {
    const o = ap_op[j] as number;
    if (o >= 0) ap_start[o + 1] = (ap_start[o + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) ap_start[i + 1] = (ap_start[i + 1] as number) + (ap_start[i] as number);
  const fill = ap_start.slice(0, n);
  const ap_by_op = new Int32Array(ap_start[n] as number);
  for (let j = 0; j < m; j++) {
    const o = ap_op[j] as number;
    if (o >= 0) {
      ap_by_op[fill[o] as number] = j;
      fill[o] = (fill[o] as number) + 1;
    }
  }
  return {
    n_ops: n,
    op_id: op_id.subarray(0, n),
    op_t: op_t.subarray(0, n),
    op_end: op_end.subarray(0, n),
    op_lane: op_lane.subarray(0, n),
    op_client: op_client.subarray(0, n),
    op_region: op_region.subarray(0, n),
    op_status: op_status.subarray(0, n),
    op_refused: op_refused.subarray(0, n),
    op_read: op_read.subarray(0, n),
    op_invoke_rec: op_invoke_rec.subarray(0, n),
    op_done_rec: op_done_rec.subarray(0, n),
    n_applies: m,
    ap_t: ap_t.subarray(0, m),
    ap_lane: ap_lane.subarray(0, m),
    ap_op: ap_op.subarray(0, m),
    ap_start,
    ap_by_op,
    clients,
    regions,
    faults,
    end_t,
    indexOf: (id) => ids.get(id),
  };
}

function regionName(id: string): string {
  const i = id.lastIndexOf('/');
  return i < 0 ? id : id.slice(0, i);
}

/** Op id → index: a dense array for the usual small integer ids, a Map for anything else. */
class IdIndex {
  private dense = new Int32Array(1024).fill(-1);
  private sparse = new Map<number, number>();
  set(id: number, i: number): void {
    if (Number.isInteger(id) && id >= 0 && id < 1 << 26) {
      if (id >= this.dense.length) {
        const b = new Int32Array(Math.max(id + 1, this.dense.length * 2)).fill(-1);
        b.set(this.dense);
        this.dense = b;
      }
      this.dense[id] = i;
    } else this.sparse.set(id, i);
  }
  get(id: number): number {
    if (Number.isInteger(id) && id >= 0 && id < this.dense.length) return this.dense[id] as number;
    return this.sparse.get(id) ?? -1;
  }
}
