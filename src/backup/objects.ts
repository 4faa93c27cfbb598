/**
 * Backups as objects in the store, and how a restore composes them: the newest full snapshot
 * at or before the restore point, the incrementals that continue it without a gap, then the
 * log segments that continue those, replayed up to the point. Pure: the same objects and point
 * give the same state, which the PITR property test compares with the history's `apply` records.
 */
import { fold, type Change, type KeyState } from './changes.js';

export type BackupKind = 'full' | 'incremental' | 'log';

export interface BackupObject {
  id: number;
  /** whose data */
  node: string;
  kind: BackupKind;
  /** covers the changes with `from_us < t <= to_us` (a full snapshot: everything up to `to_us`) */
  from_us: number;
  to_us: number;
  /** the node's own clock at `to_us`: the stamp an operator sees in the bucket listing */
  to_clock_us: number;
  bytes: number;
  /** when the upload completed (the object is readable from then on) */
  stored_at_us: number;
  /**
   * full: the key state at `to_us` (one change per key); incremental: the last change of every
   * key changed in the window; log: every change of the window, in time order
   */
  changes: readonly Change[];
}

/** What a restore reads and what it reaches. */
export interface RestorePlan {
  /** the true time the restored state corresponds to */
  point_us: number;
  state: KeyState;
  /** objects read, in the order applied */
  objects: BackupObject[];
  bytes: number;
  /** log changes replayed after the snapshots */
  replayed: number;
}

/**
 * Composes the objects readable at `now_us` into the state at `bound_us` (true time), or as
 * far as the chain reaches without a gap: method `snapshot` stops after the incrementals,
 * `logs` and `pitr` continue with log segments. Undefined when no full snapshot qualifies.
 */
export function planRestore(
  objects: readonly BackupObject[],
  method: 'snapshot' | 'logs' | 'pitr',
  bound_us: number,
  now_us: number,
): RestorePlan | undefined {
  const readable = objects.filter((o) => o.stored_at_us <= now_us && o.to_us <= now_us);
  let full: BackupObject | undefined;
  for (const o of readable) if (o.kind === 'full' && o.to_us <= bound_us && (!full || o.to_us > full.to_us)) full = o;
  if (!full) return undefined;
  const state = fold(new Map(), full.changes);
  const used = [full];
  let point = full.to_us;
  const incrementals = readable.filter((o) => o.kind === 'incremental' && o.to_us <= bound_us).sort((a, b) => a.to_us - b.to_us);
  for (const o of incrementals) {
    if (o.to_us <= point) continue;
    if (o.from_us > point) break; // a gap: a failed incremental; the logs may bridge it
    fold(state, o.changes);
    used.push(o);
    point = o.to_us;
  }
  let replayed = 0;
  if (method !== 'snapshot') {
    const logs = readable.filter((o) => o.kind === 'log').sort((a, b) => a.from_us - b.from_us || a.to_us - b.to_us);
    for (const o of logs) {
      if (point >= bound_us) break;
      if (o.to_us <= point) continue;
      if (o.from_us > point) break; // a gap in the shipped log: the point stops before it
      const upTo = Math.min(o.to_us, bound_us);
      for (const c of o.changes) {
        if (c.t <= point || c.t > upTo) continue;
        state.set(c.key, c);
        replayed++;
      }
      used.push(o);
      point = upTo;
    }
  }
  let bytes = 0;
  for (const o of used) bytes += o.bytes;
  return { point_us: point, state, objects: used, bytes, replayed };
}

/**
 * Retention: objects older than `retention_us` are deleted, except the newest full snapshot
 * and what continues it (a backup set is never left without its base). Returns the kept ones.
 */
export function retain(objects: readonly BackupObject[], retention_us: number | undefined, now_us: number): BackupObject[] {
  if (retention_us === undefined) return [...objects];
  const horizon = now_us - retention_us;
  let base: BackupObject | undefined;
  for (const o of objects) if (o.kind === 'full' && o.to_us <= horizon && (!base || o.to_us > base.to_us)) base = o;
  // Keep the newest full snapshot at or before the horizon: restores to a point inside the
  // retention window still have a base to start from.
  const keepFrom = base ? base.to_us : -Infinity;
  return objects.filter((o) => o === base || o.to_us > horizon || (o.kind !== 'full' && o.to_us > keepFrom));
}
