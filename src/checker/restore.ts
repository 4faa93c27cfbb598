/**
 * What backups and restores did, judged from the history alone (docs/checker.md, "Backups
 * and restores"): the operator's `fault` records `backup`, `restore` / `restored` / `end`,
 * `reapply` and `reapplied`, and the `apply` records around them.
 *
 * - A restore of node N to point P, begun at S, rolls back every write N applied in (P, S].
 * - **Lost by the restore**: an acknowledged write rolled back at N that no other node ever
 *   applied and that was not reapplied: its only copy was the one the restore discarded.
 *   Witness: the write, and the restore as the cause.
 * - **Reapplied twice**: a write reapplied after a restore although a node kept its effect
 *   (an apply no restore rolled back), or reapplied by several restored nodes: for a
 *   reservation an order billed twice, for a counter an increment counted twice. Counted in
 *   the `invariant` family too (an invariant on idempotency keys). An apply rolled back by a
 *   restore of its node does not count as surviving, in this rule or in the one above.
 * - RPO of a restore: S − P, the window of data it discards (snapshot only: at least the time
 *   since the last snapshot; log shipping: at most the interval plus an upload). RTO: from S
 *   until a client's write at N is acknowledged again (null when none is).
 * Histories without such records get no `restore` metrics at all (not zeros).
 */
import type { FaultRecord } from '../history/types.js';
import { MAX_WITNESSES } from './explain.js';
import { OK, type OpTable } from './table.js';
import type { Witness } from './types.js';

export interface RestoreSummary {
  restores: number;
  /** restores that found no readable backup (the node restarted as it was) */
  restores_failed: number;
  lost_writes: number;
  rolled_back: number;
  reapplied: number;
  reapplied_twice: number;
  conflicts: number;
  /** the worst restore's */
  rpo_ms: number | null;
  rto_ms: number | null;
  /** longest a restored node was down (transfer and replay) */
  downtime_ms: number | null;
  /**
   * the largest gap between a restore's point and the point the operator meant (`to` read on
   * a skewed clock lands elsewhere on the backups' own stamps); signed, positive: later
   */
  point_error_ms: number | null;
  backups: number;
  backups_failed: number;
  bytes_uploaded: number;
  /** a runbook drill: from its alert to the end of its resync (null: none, or it stopped) */
  runbook_ms: number | null;
  /** the runbook's validate step: keys the replicas disagreed on (null: no verdict) */
  runbook_divergent_keys: number | null;
  /** writes lost by a restore */
  witnesses: Witness[];
  /** writes reapplied twice (also counted in the `invariant` family) */
  twice: Witness[];
}

export interface RestoreMetrics {
  restore: RestoreSummary;
  rpo_ms_by_method: Record<string, number | null>;
  rto_ms_by_method: Record<string, number | null>;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const sec = (us: number): string => `${(us / 1e6).toFixed(3)} s`;

/** Restore and backup metrics, or undefined when the history has no backup records. */
export function restoreMetrics(T: OpTable): RestoreMetrics | undefined {
  const faults: readonly FaultRecord[] = T.faults;
  const backups = faults.filter((f) => f.fault === 'backup');
  const restored = faults.filter((f) => f.fault === 'restored');
  if (backups.length === 0 && restored.length === 0 && !faults.some((f) => f.fault === 'restore' || f.fault === 'runbook')) return undefined;

  const out: RestoreSummary = {
    restores: restored.length,
    restores_failed: 0,
    lost_writes: 0,
    rolled_back: 0,
    reapplied: 0,
    reapplied_twice: 0,
    conflicts: 0,
    rpo_ms: null,
    rto_ms: null,
    downtime_ms: null,
    point_error_ms: null,
    backups: 0,
    backups_failed: 0,
    bytes_uploaded: 0,
    runbook_ms: null,
    runbook_divergent_keys: null,
    witnesses: [],
    twice: [],
  };
  for (const b of backups) {
    if (b['status'] === 'stored') {
      out.backups++;
      out.bytes_uploaded += num(b['bytes']) ?? 0;
    } else out.backups_failed++;
  }
  for (const f of faults) if (f.fault === 'reapply') out.conflicts += num(f['conflicts']) ?? 0;
  for (const f of faults) {
    if (f.fault !== 'runbook') continue;
    if (f['step'] === 'all' && f['phase'] === 'done') out.runbook_ms = (num(f['total_us']) ?? 0) / 1000;
    if (f['step'] === 'validate' && f['phase'] === 'verdict') out.runbook_divergent_keys = num(f['divergent_keys']) ?? null;
  }

  // reapplied: original op id → the operator's op ids (per restore id and node)
  const reapplied = new Map<string, Set<number>>();
  const reappliedAll: Array<{ op: number; as: number; node: string }> = [];
  for (const f of faults) {
    if (f.fault !== 'reapplied') continue;
    const op = num(f['op']);
    const node = str(f['node']);
    if (op === undefined || node === undefined) continue;
    const k = `${String(f.id)}\u0000${node}`;
    let s = reapplied.get(k);
    if (!s) reapplied.set(k, (s = new Set()));
    s.add(op);
    reappliedAll.push({ op, as: num(f['as']) ?? -1, node });
  }
  out.reapplied = reappliedAll.length;

  // each node's rollback windows (point, started]: an apply inside one did not survive
  const windows = new Map<string, Array<[number, number]>>();
  for (const r of restored) {
    const node = str(r['node']);
    const point = num(r['point_us']);
    const started = num(r['started_us']);
    if (node === undefined || point === undefined || started === undefined || r['status'] !== 'ok') continue;
    let w = windows.get(node);
    if (!w) windows.set(node, (w = []));
    w.push([point, started]);
  }
  const rolledBackAt = (node: string, t: number): boolean => (windows.get(node) ?? []).some(([p, s]) => t > p && t <= s);
  // nodes where each op's apply survived (no restore of that node rolled it back)
  const appliedAt = new Map<number, Set<string>>();
  for (let i = 0; i < T.na; i++) {
    const row = T.applyRow(i);
    if (row < 0) continue;
    const node = T.names.list[T.aNode[i] as number] as string;
    if (rolledBackAt(node, T.aT[i] as number)) continue;
    let s = appliedAt.get(row);
    if (!s) appliedAt.set(row, (s = new Set()));
    s.add(node);
  }
  const reappliedOps = new Map<number, number>();
  for (const x of reappliedAll) reappliedOps.set(x.op, (reappliedOps.get(x.op) ?? 0) + 1);
  const lost = new Set<number>();

  const rpoBy: Record<string, number | null> = {};
  const rtoBy: Record<string, number | null> = {};
  const worst = (cur: number | null | undefined, v: number | null): number | null =>
    v === null || cur === null ? null : cur === undefined ? v : Math.max(cur, v);

  for (const r of restored) {
    const node = str(r['node']);
    const method = str(r['method']) ?? 'unknown';
    const started = num(r['started_us']);
    const point = num(r['point_us']);
    if (node === undefined || started === undefined) continue;
    if (r['status'] !== 'ok' || point === undefined) {
      out.restores_failed++;
      continue;
    }
    const rpo = (started - point) / 1000;
    const down = (r.t - started) / 1000;
    out.downtime_ms = out.downtime_ms === null ? down : Math.max(out.downtime_ms, down);
    const intended = num(r['intended_us']);
    if (intended !== undefined) {
      const err = (point - intended) / 1000;
      if (out.point_error_ms === null || Math.abs(err) > Math.abs(out.point_error_ms)) out.point_error_ms = err;
    }
    const rto = rtoOf(T, node, started, r.t);
    out.rpo_ms = out.rpo_ms === null ? rpo : Math.max(out.rpo_ms, rpo);
    if (rto !== null) out.rto_ms = out.rto_ms === null ? rto : Math.max(out.rto_ms, rto);
    rpoBy[method] = worst(rpoBy[method], rpo);
    rtoBy[method] = worst(rtoBy[method], rto);

    // writes rolled back at `node`: applied there in (point, started]
    const rows = new Set<number>();
    for (let i = 0; i < T.na; i++) {
      const t = T.aT[i] as number;
      if (t <= point || t > started || T.names.list[T.aNode[i] as number] !== node) continue;
      const row = T.applyRow(i);
      if (row >= 0) rows.add(row);
    }
    out.rolled_back += rows.size;
    for (const row of [...rows].sort((a, b) => a - b)) {
      if (T.type[row] !== OK || T.fn(row) === 'read') continue;
      const id = T.opId(row);
      if (reappliedOps.has(id) || lost.has(id)) continue; // reapplied (here or by its own region)
      if ((appliedAt.get(row)?.size ?? 0) > 0) continue; // a copy survives somewhere
      lost.add(id);
      out.lost_writes++;
      if (out.witnesses.length < MAX_WITNESSES) {
        const key = T.names.list[T.key[row] as number] as string;
        out.witnesses.push({
          ops: [id],
          key,
          nodes: [node],
          times_us: [T.completeT[row] as number, started],
          explanation:
            `write op ${id} of ${key} was acknowledged at ${sec(T.completeT[row] as number)} and applied only at ${node}; ` +
            `the restore of ${node} at ${sec(started)} (${method}, to ${sec(point)}) rolled it back and it was not reapplied`,
          details: { cause: 'restore', restore: r.id ?? null, method, point_us: point, started_us: started },
        });
      }
    }
  }

  // A reapplied write whose effect also survives elsewhere (a node kept it), or that several
  // restored nodes reapplied, takes effect twice.
  const twiceSeen = new Set<number>();
  for (const x of reappliedAll) {
    const row = T.row(x.op);
    if (row < 0 || twiceSeen.has(x.op)) continue;
    const kept = [...(appliedAt.get(row) ?? [])].filter((n) => n !== x.node).sort();
    const times = reappliedOps.get(x.op) ?? 0;
    if (kept.length === 0 && times < 2) continue;
    twiceSeen.add(x.op);
    out.reapplied_twice++;
    if (out.twice.length < MAX_WITNESSES) {
      const key = T.names.list[T.key[row] as number] as string;
      const why = kept.length > 0 ? `${kept.join(', ')} kept it through the restore` : `${times} restored nodes reapplied it`;
      out.twice.push({
        ops: [x.op, x.as],
        key,
        nodes: [x.node, ...kept],
        times_us: [T.invokeT[row] as number],
        explanation: `write op ${x.op} of ${key} was reapplied at ${x.node} as op ${x.as} after a restore although ${why}: it takes effect twice (an order billed twice, an increment counted twice)`,
        details: { cause: 'reapply', rule: 'reapplied twice' },
      });
    }
  }
  return { restore: out, rpo_ms_by_method: rpoBy, rto_ms_by_method: rtoBy };
}

/** From the restore's start until a client's write at `node`, invoked after the restore ended, is acknowledged. */
function rtoOf(T: OpTable, node: string, started_us: number, done_us: number): number | null {
  let best = Infinity;
  for (let r = 0; r < T.n; r++) {
    if (T.type[r] !== OK || (T.invokeT[r] as number) < done_us) continue;
    if (T.names.list[T.node[r] as number] !== node || T.fn(r) === 'read') continue;
    if ((T.names.list[T.client[r] as number] as string).endsWith('/operator')) continue; // the operator's reapply
    best = Math.min(best, T.completeT[r] as number);
  }
  return best === Infinity ? null : (best - started_us) / 1000;
}
