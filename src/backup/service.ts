/**
 * Backups and restores in a run: each node's change log (from its `apply` records), the
 * policies' schedules, uploads to the object store that take virtual time and can fail
 * (store unavailable, its region cut off, the node down), and restores as operator actions:
 * the node is down while the objects are fetched and the log replayed, then comes back
 * holding the composed state; the writes it rolled back are reapplied or not. Everything is
 * written to the history as `fault` records of kinds `backup`, `restore`, `restored` and
 * `reapply` (docs/checker.md), so the checker judges restores from the history alone.
 */
import type { HistoryRecord, OpFn, Value } from '../history/types.js';
import type { BackupPolicySpec, BackupSpec, RestoreAction, RunbookSpec } from '../scenario/types.js';
import { RunbookRunner } from './runbook.js';
import { changeBytes, sortedEntries, stateBytes, type Change, type KeyState } from './changes.js';
import { planRestore, retain, type BackupKind, type BackupObject } from './objects.js';
import { storeCondition, transferUs } from './store.js';

/** Events the backup service schedules through the kernel. */
export type BackupEvent =
  | { kind: 'tick'; policy: number; node: number; what: BackupKind }
  | { kind: 'uploaded'; upload: number }
  | { kind: 'restore_try'; id: number; node: number }
  | { kind: 'restored'; id: number; node: number }
  | { kind: 'runbook'; step: number };

/** What the service needs from the world: time, scheduling, records, nodes and the network. */
export interface BackupHost {
  now(): number;
  at(t: number, ev: BackupEvent): void;
  record(r: HistoryRecord): void;
  nodeCount(): number;
  nodeId(i: number): string;
  nodeIndex(id: string): number | undefined;
  regionOf(i: number): string;
  isUp(i: number): boolean;
  /** the node's own clock reading at true time `t` */
  clockAt(i: number, t: number): number;
  /** whether node i can reach the store's region now (no partition between them) */
  reachesRegion(i: number, region: string): boolean;
  /** one-way base latency between two regions, microseconds */
  regionLatency(a: string, b: string): number;
  nodesOf(target: string): number[];
  /** takes the node down for the restore (a crash that loses what was not durable) */
  takeDown(i: number): void;
  /** brings it back holding `entries`; returns what the replica holds then (its finalState) */
  bringBack(i: number, entries: readonly Change[]): Array<{ key: string; value: Value }>;
  /** issues a write as the operator at node i; returns the new op id */
  operatorWrite(i: number, f: OpFn, key: string, value: Value | undefined): number;
  /** takes node i out of client traffic (true) or back in (false): the runbook's isolate */
  drain(i: number, on: boolean): void;
  /** what node i's replica holds now (its engine's finalState), for the runbook's validate */
  holds(i: number): Array<{ key: string; value: Value }>;
}

interface NodeLog {
  changes: Change[];
  current: KeyState;
  /** objects of this node's data in the store */
  objects: BackupObject[];
  /** the newest snapshot (full or incremental) stored: incrementals continue from it */
  snapTo_us: number;
  /** log shipped (stored) up to this true time */
  shippedTo_us: number;
  pendingLogBytes: number;
  /** an upload of this kind is in flight (one at a time per kind) */
  inflight: Set<BackupKind>;
}

interface Upload {
  node: number;
  obj: BackupObject;
  started_us: number;
}

/** A write as invoked, kept to reapply it and to find conflicts. */
interface OpInfo {
  f: OpFn;
  key: string;
  value: Value | undefined;
  region: string;
  t: number;
}

interface RestoreRun {
  id: number;
  action: RestoreAction;
  started_us: number;
  /** nodes still restoring */
  left: number;
  /** called when every node is back (the runbook's reconstruct step) */
  done?: () => void;
  plans: Map<number, { point_us: number; entries: Change[]; bytes: number; objects: number; replayed: number; intended_us: number }>;
}

export class BackupService {
  private readonly logs: NodeLog[] = [];
  private readonly uploads = new Map<number, Upload>();
  private nextUpload = 1;
  private nextObject = 1;
  private readonly ops = new Map<number, OpInfo>();
  private readonly writesByKey = new Map<string, number[]>();
  private readonly restores = new Map<number, RestoreRun>();
  /** bytes held in the store now and at most */
  bytesStored = 0;
  maxBytesStored = 0;

  private readonly runbook: RunbookRunner | undefined;

  constructor(
    private readonly spec: BackupSpec,
    private readonly host: BackupHost,
    runbook?: RunbookSpec,
  ) {
    this.runbook = runbook
      ? new RunbookRunner(runbook, {
          ...host,
          atStep: (t, step) => host.at(t, { kind: 'runbook', step }),
          restore: (id, action, done) => {
            // the same `restore` record as a restore in the fault timeline: it opens the window
            const detail = { target: action.target, method: action.method, to_us: action.to_us, clock_of: action.clock_of, reapply: action.reapply };
            host.record({ t: host.now(), type: 'fault', fault: 'restore', id, ...Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) });
            this.restore(id, action, done);
          },
        })
      : undefined;
    for (let i = 0; i < host.nodeCount(); i++) {
      this.logs.push({ changes: [], current: new Map(), objects: [], snapTo_us: 0, shippedTo_us: 0, pendingLogBytes: 0, inflight: new Set() });
    }
  }

  /** A fault of `kind` started (at `started_us`) or ended now: a runbook's alert may fire. */
  faultEvent(kind: string, on: 'start' | 'end', started_us: number): void {
    this.runbook?.faultEvent(kind, on, started_us);
  }

  /** Schedules every policy's first backups (and a runbook set to start at a time). */
  start(): void {
    this.runbook?.start();
    this.spec.policies.forEach((p, pi) => {
      for (const i of this.host.nodesOf(p.nodes)) {
        this.host.at(p.start_us, { kind: 'tick', policy: pi, node: i, what: 'full' });
        if (p.incremental_us !== undefined) this.host.at(p.start_us + p.incremental_us, { kind: 'tick', policy: pi, node: i, what: 'incremental' });
        if (p.log_us !== undefined) this.host.at(p.log_us, { kind: 'tick', policy: pi, node: i, what: 'log' });
      }
    });
  }

  /** Every `apply` of node i, as recorded. */
  applied(i: number, t: number, key: string, value: Value, op: number | undefined, version: string | undefined): void {
    const log = this.logs[i] as NodeLog;
    const c: Change = { t, clock_us: this.host.clockAt(i, t), key, value };
    if (op !== undefined) c.op = op;
    if (version !== undefined) c.version = version;
    log.changes.push(c);
    log.current.set(key, c);
    log.pendingLogBytes += changeBytes(c);
    for (const [pi, p] of this.spec.policies.entries()) {
      if (p.log_bytes !== undefined && log.pendingLogBytes >= p.log_bytes && !log.inflight.has('log') && this.covers(p, i)) {
        this.host.at(t, { kind: 'tick', policy: pi, node: i, what: 'log' });
        log.pendingLogBytes = 0; // one early segment per threshold crossing
      }
    }
  }

  /** Every client write as invoked (to reapply it and to see who else wrote its key). */
  invoked(op: number, f: OpFn, key: string, value: Value | undefined, node: number, t: number): void {
    if (f === 'read') return;
    this.ops.set(op, { f, key, value, region: this.host.regionOf(node), t });
    let list = this.writesByKey.get(key);
    if (!list) this.writesByKey.set(key, (list = []));
    list.push(op);
  }

  handle(ev: BackupEvent): void {
    switch (ev.kind) {
      case 'tick':
        this.tick(ev.policy, ev.node, ev.what);
        return;
      case 'uploaded':
        this.uploaded(ev.upload);
        return;
      case 'restore_try':
        this.tryRestore(ev.id, ev.node);
        return;
      case 'restored':
        this.finishRestore(ev.id, ev.node);
        return;
      case 'runbook':
        if (ev.step >= 6) this.runbook?.finish();
        else this.runbook?.step(ev.step);
        return;
      default: {
        const never: never = ev;
        throw new Error(`unknown backup event ${JSON.stringify(never)}`);
      }
    }
  }

  private covers(p: BackupPolicySpec, i: number): boolean {
    return this.host.nodesOf(p.nodes).includes(i);
  }

  // ---- backups -------------------------------------------------------------------------

  private tick(pi: number, i: number, what: BackupKind): void {
    const p = this.spec.policies[pi] as BackupPolicySpec;
    const now = this.host.now();
    const every = what === 'full' ? p.full_us : what === 'incremental' ? p.incremental_us : p.log_us;
    // A byte-triggered segment (log_bytes) is one extra shipment, not a second schedule.
    const scheduled = what !== 'log' || p.log_us === undefined || now % p.log_us === 0;
    if (every !== undefined && scheduled) this.host.at(now + every, { kind: 'tick', policy: pi, node: i, what });
    const log = this.logs[i] as NodeLog;
    if (log.inflight.has(what)) return; // the previous one is still uploading: this one is skipped
    const obj = this.cut(i, what, now);
    if (obj === undefined) return;
    if (!this.host.isUp(i)) {
      this.recordBackup(obj, 'failed', 'node down');
      return;
    }
    const cond = storeCondition(this.spec.store, now);
    if (!cond.available || !this.host.reachesRegion(i, this.spec.store.region)) {
      this.recordBackup(obj, 'failed', cond.available ? 'store unreachable' : 'store unavailable');
      return;
    }
    const id = this.nextUpload++;
    log.inflight.add(what);
    this.uploads.set(id, { node: i, obj, started_us: now });
    const lat = this.host.regionLatency(this.host.regionOf(i), this.spec.store.region);
    this.host.at(now + transferUs(this.spec.store, obj.bytes, lat, cond.factor), { kind: 'uploaded', upload: id });
  }

  /** The object a backup of `what` would upload now, or undefined when there is nothing to ship. */
  private cut(i: number, what: BackupKind, now: number): BackupObject | undefined {
    const log = this.logs[i] as NodeLog;
    const base = { id: 0, node: this.host.nodeId(i), kind: what, to_us: now, to_clock_us: this.host.clockAt(i, now), stored_at_us: 0 };
    switch (what) {
      case 'full': {
        const changes = sortedEntries(log.current);
        return { ...base, from_us: 0, bytes: stateBytes(log.current), changes };
      }
      case 'incremental': {
        const changed: KeyState = new Map();
        for (let k = this.firstAfter(log.changes, log.snapTo_us); k < log.changes.length; k++) {
          const c = log.changes[k] as Change;
          changed.set(c.key, c);
        }
        return { ...base, from_us: log.snapTo_us, bytes: stateBytes(changed), changes: sortedEntries(changed) };
      }
      case 'log': {
        const changes = log.changes.slice(this.firstAfter(log.changes, log.shippedTo_us));
        let bytes = 0;
        for (const c of changes) bytes += changeBytes(c);
        return { ...base, from_us: log.shippedTo_us, bytes, changes };
      }
      default: {
        const never: never = what;
        throw new Error(`unknown backup kind ${String(never)}`);
      }
    }
  }

  /** Index of the first change with t > after (changes are in time order). */
  private firstAfter(changes: readonly Change[], after: number): number {
    let lo = 0;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((changes[mid] as Change).t <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private uploaded(id: number): void {
    const u = this.uploads.get(id);
    if (!u) return;
    this.uploads.delete(id);
    const log = this.logs[u.node] as NodeLog;
    log.inflight.delete(u.obj.kind);
    const now = this.host.now();
    const cond = storeCondition(this.spec.store, now);
    if (!cond.available || !this.host.reachesRegion(u.node, this.spec.store.region)) {
      // Cut off mid-transfer: the multipart upload never completes; the next one starts over.
      this.recordBackup(u.obj, 'failed', cond.available ? 'store unreachable' : 'store unavailable');
      return;
    }
    const obj: BackupObject = { ...u.obj, id: this.nextObject++, stored_at_us: now };
    log.objects.push(obj);
    if (obj.kind === 'log') log.shippedTo_us = obj.to_us;
    else log.snapTo_us = obj.to_us;
    this.recordBackup(obj, 'stored');
    this.applyRetention(u.node, now);
  }

  private applyRetention(i: number, now: number): void {
    const log = this.logs[i] as NodeLog;
    let retention: number | undefined;
    for (const p of this.spec.policies) {
      if (p.retention_us !== undefined && this.covers(p, i)) retention = Math.max(retention ?? 0, p.retention_us);
    }
    log.objects = retain(log.objects, retention, now);
    let total = 0;
    for (const l of this.logs) for (const o of l.objects) total += o.bytes;
    this.bytesStored = total;
    this.maxBytesStored = Math.max(this.maxBytesStored, total);
  }

  private recordBackup(o: BackupObject, status: 'stored' | 'failed', reason?: string): void {
    const r: HistoryRecord = {
      t: this.host.now(),
      type: 'fault',
      fault: 'backup',
      node: o.node,
      kind: o.kind,
      status,
      bytes: o.bytes,
      from_us: o.from_us,
      to_us: o.to_us,
      clock_us: o.to_clock_us,
      stored_bytes: this.bytesStored,
    };
    if (status === 'stored') r['object'] = o.id;
    if (reason !== undefined) r['reason'] = reason;
    this.host.record(r);
  }

  // ---- restores ------------------------------------------------------------------------

  /** The operator's restore action `id` (its `restore` fault record is already written). */
  restore(id: number, action: RestoreAction, done?: () => void): void {
    const nodes = this.host.nodesOf(action.target);
    const run: RestoreRun = { id, action, started_us: this.host.now(), left: nodes.length, plans: new Map(), ...(done ? { done } : {}) };
    this.restores.set(id, run);
    for (const i of nodes) {
      this.host.takeDown(i);
      this.tryRestore(id, i);
    }
  }

  /** Fetch and replay, once the store can be read from the node; until then, try every second. */
  private tryRestore(id: number, i: number): void {
    const run = this.restores.get(id);
    if (!run) return;
    const now = this.host.now();
    const cond = storeCondition(this.spec.store, now);
    if (!cond.available || !this.host.reachesRegion(i, this.spec.store.region)) {
      this.host.at(now + RESTORE_RETRY_US, { kind: 'restore_try', id, node: i });
      return;
    }
    const a = run.action;
    const source = a.source !== undefined ? (this.host.nodeIndex(a.source) ?? i) : i;
    // `to` read on a skewed clock: the operator meant the true time that clock showed `to`;
    // the restore tool compares `to` with the source's own stamps (the source's clock).
    const skewOf = (n: number): number => this.host.clockAt(n, now) - now;
    const clockNode = a.clock_of !== undefined ? this.host.nodeIndex(a.clock_of) : undefined;
    const intended = a.to_us === undefined ? now : clockNode === undefined ? a.to_us : a.to_us - skewOf(clockNode);
    const bound = a.to_us === undefined ? run.started_us : clockNode === undefined ? a.to_us : a.to_us - skewOf(source);
    const plan = planRestore((this.logs[source] as NodeLog).objects, a.method, Math.min(bound, run.started_us), now);
    if (!plan) {
      // Nothing to restore from (every backup failed or expired): the node restarts as it was.
      run.plans.set(i, { point_us: -1, entries: [], bytes: 0, objects: 0, replayed: 0, intended_us: intended });
      this.host.at(now, { kind: 'restored', id, node: i });
      return;
    }
    run.plans.set(i, {
      point_us: plan.point_us,
      entries: sortedEntries(plan.state),
      bytes: plan.bytes,
      objects: plan.objects.length,
      replayed: plan.replayed,
      intended_us: intended,
    });
    const lat = this.host.regionLatency(this.host.regionOf(i), this.spec.store.region);
    const fetch = transferUs(this.spec.store, plan.bytes, lat, cond.factor);
    const replay = Math.ceil((plan.replayed / this.spec.replay_per_s) * 1e6);
    this.host.at(now + fetch + replay, { kind: 'restored', id, node: i });
  }

  private finishRestore(id: number, i: number): void {
    const run = this.restores.get(id);
    const plan = run?.plans.get(i);
    if (!run || !plan) return;
    const now = this.host.now();
    const node = this.host.nodeId(i);
    const rec: HistoryRecord = {
      t: now,
      type: 'fault',
      fault: 'restored',
      id,
      node,
      method: run.action.method,
      started_us: run.started_us,
      bytes: plan.bytes,
      objects: plan.objects,
      replayed: plan.replayed,
    };
    if (plan.point_us < 0) {
      rec['status'] = 'failed';
      rec['reason'] = 'no backup readable';
      this.host.record(rec);
      this.host.bringBack(i, (this.logs[i] as NodeLog).changes.length ? sortedEntries((this.logs[i] as NodeLog).current) : []);
    } else {
      rec['status'] = 'ok';
      rec['point_us'] = plan.point_us;
      // only a point-in-time restore names a point the operator meant
      if (run.action.to_us !== undefined) rec['intended_us'] = plan.intended_us;
      this.host.record(rec);
      const held = this.host.bringBack(i, plan.entries);
      const log = this.logs[i] as NodeLog;
      const rolledBack = log.changes.filter((c) => c.t > plan.point_us && c.t <= run.started_us);
      // The replica now holds what the engine says it holds: that is the node's state from here
      // on (for later backups), recorded as applies so the history shows the rollback.
      log.current = new Map();
      for (const { key, value } of held) {
        this.host.record({ t: now, type: 'apply', node, key, value, version: 'restore' });
        const c: Change = { t: now, clock_us: this.host.clockAt(i, now), key, value, version: 'restore' };
        log.changes.push(c);
        log.current.set(key, c);
      }
      this.reapply(run, i, plan.point_us, rolledBack);
    }
    run.left--;
    if (run.left === 0) {
      this.host.record({ t: now, type: 'fault', fault: 'end', of: 'restore', id });
      this.restores.delete(id);
      run.done?.();
    }
  }

  /**
   * The writes the restore rolled back at node i (applied after the point, before the restore
   * began), each once, in the order applied: `none` drops them, `all` re-issues every one
   * (another region's too: the naive way, which applies a write twice when its region kept
   * it), `non-conflicting` those made in the node's own region whose key no other region wrote
   * in the same window; conflicts are listed with the writes that conflict.
   */
  private reapply(run: RestoreRun, i: number, point_us: number, rolledBack: readonly Change[]): void {
    const mode = run.action.reapply;
    const seen = new Set<number>();
    const candidates: number[] = [];
    for (const c of rolledBack) {
      if (c.op === undefined || seen.has(c.op) || !this.ops.has(c.op)) continue;
      seen.add(c.op);
      candidates.push(c.op);
    }
    const pairs: number[] = [];
    const skipped: number[] = [];
    const conflicts: Array<{ op: number; key: string; with: number[] }> = [];
    for (const op of candidates) {
      const info = this.ops.get(op) as OpInfo;
      const others = (this.writesByKey.get(info.key) ?? []).filter((w) => {
        const o = this.ops.get(w) as OpInfo;
        return w !== op && o.region !== info.region && o.t > point_us && o.t <= run.started_us;
      });
      if (others.length > 0) conflicts.push({ op, key: info.key, with: others.slice(0, MAX_CONFLICT_OPS) });
      // Selective reapply is per region (the seed's "roll back each region, then reapply"): a
      // node reapplies the writes made in its own region; another region's writes are that
      // region's to reapply, or they would be applied once per restored node.
      const own = info.region === this.host.regionOf(i);
      const go = mode === 'all' || (mode === 'non-conflicting' && own && others.length === 0);
      if (!go) {
        skipped.push(op);
        continue;
      }
      pairs.push(op);
    }
    if (candidates.length === 0) return;
    // One summary record (lists bounded: a record's size is limited), then each operator
    // write (new op id, client `REGION/operator`) with a small record pairing it with the
    // write it reapplies: the checker reads the pairs from those.
    const node = this.host.nodeId(i);
    this.host.record({
      t: this.host.now(),
      type: 'fault',
      fault: 'reapply',
      id: run.id,
      node,
      mode,
      point_us,
      rolled_back: candidates.length,
      reapplied: pairs.length,
      skipped: skipped.length,
      conflicts: conflicts.length,
      first_conflicts: conflicts.slice(0, MAX_LISTED),
    });
    for (const op of pairs) {
      const info = this.ops.get(op) as OpInfo;
      const as = this.host.operatorWrite(i, info.f, info.key, info.value);
      this.host.record({ t: this.host.now(), type: 'fault', fault: 'reapplied', id: run.id, node, op, as });
    }
  }
}

/** A restore that cannot read the store tries again this often. */
export const RESTORE_RETRY_US = 1_000_000;
/** Conflicting writes listed per rolled-back write. */
const MAX_CONFLICT_OPS = 5;
/** Conflicts listed in a `reapply` record (the count is exact). */
const MAX_LISTED = 20;
