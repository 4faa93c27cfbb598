/**
 * The `backup:` section (object store and backup policies) and the `restore` fault action's
 * fields, with their cross-checks: a schedule of zero, a restore before the first backup or to
 * a time before it are refused at load time with the field's position (docs/12-backups-and-recovery.md).
 */
import { z } from 'zod';
import type { Micros } from '../sim/time.js';
import type { BackupSpec, FaultSpec, RestoreAction, RunbookSpec } from './types.js';
import { strict, duration, rate } from './fields.js';
import { expandTarget, type RegionSizes } from './targets.js';

const storeFaultSchema = strict({
  at: duration().describe('when the store fault starts'),
  for: duration({ positive: true }).describe('how long it lasts'),
  unavailable: z.literal(true).optional().describe('every request to the store fails'),
  slow: z.number().min(1).max(1_000_000).optional().describe('transfers take this many times longer'),
})
  .superRefine((f, ctx) => {
    if ((f.unavailable === undefined) === (f.slow === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a store fault needs exactly one of unavailable: true or slow: FACTOR' });
    }
  })
  .describe('a fault of the object store itself: { at, for, unavailable: true } or { at, for, slow: 10 }');

const storeSchema = strict({
  region: z.string().min(1).describe('the region the store is in (a partition that cuts it off makes it unreachable)'),
  latency: duration().prefault('20ms').describe('per request, on top of the network latency to the store region'),
  bandwidth_mb_per_s: z.number().gt(0).max(1_000_000).default(100).describe('transfer bandwidth, MB (10^6 bytes) per second'),
  faults: z.array(storeFaultSchema).prefault([]).describe('unavailable or slow windows of the store'),
}).describe('a simulated S3-compatible object store');

const policySchema = strict({
  nodes: z.string().min(1).describe('a region, a node REGION/INDEX or REGION/*: whose data this policy backs up'),
  start: duration().optional().describe('first full snapshot (default: one `full` interval after the start)'),
  full: duration({ positive: true }).describe('full snapshot schedule, e.g. 1h'),
  incremental: duration({ positive: true }).optional().describe('incremental snapshot schedule (keys changed since the last snapshot)'),
  log: duration({ positive: true }).optional().describe('ship the change log in segments every this long, e.g. 60s'),
  log_bytes: z.int().min(1).optional().describe('also ship a segment as soon as it holds this many bytes'),
  retention: duration({ positive: true }).optional().describe('delete backups older than this (the newest full snapshot is kept)'),
}).describe('a backup policy: full snapshots, incrementals, log shipping, retention');

export const backupSchema = strict({
  store: storeSchema,
  policies: z.array(policySchema).min(1).describe('backup policies, one per node group'),
  replay: rate().prefault('20000/s').describe('change-log entries a restore replays per second after the transfer'),
})
  .transform(
    (b): BackupSpec => ({
      store: {
        region: b.store.region,
        latency_us: b.store.latency,
        bandwidth_bytes_per_s: b.store.bandwidth_mb_per_s * 1_000_000,
        faults: b.store.faults.map((f) =>
          f.slow !== undefined
            ? { at_us: f.at, for_us: f.for, kind: 'slow' as const, factor: f.slow }
            : { at_us: f.at, for_us: f.for, kind: 'unavailable' as const },
        ),
      },
      policies: b.policies.map((p) => {
        const o: BackupSpec['policies'][number] = { nodes: p.nodes, start_us: (p.start ?? p.full) as Micros, full_us: p.full };
        if (p.incremental !== undefined) o.incremental_us = p.incremental;
        if (p.log !== undefined) o.log_us = p.log;
        if (p.log_bytes !== undefined) o.log_bytes = p.log_bytes;
        if (p.retention !== undefined) o.retention_us = p.retention;
        return o;
      }),
      replay_per_s: b.replay,
    }),
  )
  .describe('backups of replica data to an object store, and the restores that read them (docs/12-backups-and-recovery.md)');

/** The `restore:` field of a fault entry (input shape). */
export const restoreFieldSchema = strict({
  target: z.string().min(1).describe('the node or region to restore'),
  method: z
    .enum(['snapshot', 'logs', 'pitr'])
    .default('logs')
    .describe('snapshot: latest full + incrementals; logs: and every shipped log segment; pitr: up to `to`'),
  to: duration().optional().describe('pitr: the restore point, true time (or read on `clock_of`)'),
  clock_of: z.string().min(1).optional().describe('pitr: `to` is read on this node\'s (maybe skewed) clock'),
  source: z.string().min(1).optional().describe('restore from this node\'s backups (default: the restored node\'s own)'),
  reapply: z
    .enum(['none', 'all', 'non-conflicting'])
    .default('none')
    .describe('the writes the restore rolled back: drop them, re-issue all, or those whose keys no other region wrote'),
}).describe('operator restore from the object store');

export type RestoreInput = z.output<typeof restoreFieldSchema>;

export function restoreAction(r: RestoreInput): RestoreAction {
  const a: RestoreAction = { kind: 'restore', target: r.target, method: r.method, reapply: r.reapply };
  if (r.to !== undefined) a.to_us = r.to;
  if (r.clock_of !== undefined) a.clock_of = r.clock_of;
  if (r.source !== undefined) a.source = r.source;
  return a;
}

type Path = (string | number)[];
type Issue = (path: Path, message: string, at?: 'key') => void;
type TargetCheck = (ref: string, path: Path, kinds?: { region?: boolean; node?: boolean; wildcard?: boolean }) => void;

const sec = (us: number): string => `${us / 1e6}s`;

/**
 * Cross-checks of backups and restores: references exist, every restore has a `backup`
 * section and a policy covering the nodes it reads, and neither the restore nor its `to`
 * comes before that policy's first backup (there would be nothing to restore to).
 */
export function checkBackups(
  backup: BackupSpec | undefined,
  faults: readonly FaultSpec[] | undefined,
  regions: RegionSizes,
  add: Issue,
  target: TargetCheck,
  region: (name: string, path: Path) => void,
): void {
  if (backup) {
    region(backup.store.region, ['backup', 'store', 'region']);
    backup.policies.forEach((p, i) => target(p.nodes, ['backup', 'policies', i, 'nodes']));
  }
  const firstBackup = (node: string): number | undefined => {
    let first: number | undefined;
    for (const p of backup?.policies ?? []) {
      if (!expandTarget(p.nodes, regions).includes(node)) continue;
      first = first === undefined ? p.start_us : Math.min(first, p.start_us);
    }
    return first;
  };
  faults?.forEach((f, i) => {
    const a = f.action;
    if (a.kind !== 'restore') return;
    const base: Path = ['faults', i, 'restore'];
    target(a.target, [...base, 'target']);
    if (a.source !== undefined) target(a.source, [...base, 'source'], { node: true });
    if (a.clock_of !== undefined) target(a.clock_of, [...base, 'clock_of'], { node: true });
    if (!backup) {
      add(base, 'a restore needs a `backup` section (an object store and a policy)', 'key');
      return;
    }
    if (a.method === 'pitr' && a.to_us === undefined) add([...base, 'method'], 'method: pitr needs `to`, the restore point');
    if (a.method !== 'pitr' && a.to_us !== undefined) add([...base, 'to'], `\`to\` applies only with method: pitr (got method: ${a.method})`, 'key');
    if (a.method !== 'pitr' && a.clock_of !== undefined) add([...base, 'clock_of'], '`clock_of` applies only with method: pitr', 'key');
    const readers = a.source !== undefined ? [a.source] : expandTarget(a.target, regions);
    for (const node of readers) {
      const first = firstBackup(node);
      if (first === undefined) {
        add([...base, a.source !== undefined ? 'source' : 'target'], `no backup policy covers ${node}: nothing to restore it from`);
        return;
      }
      if (f.at_us < first) {
        add(['faults', i, 'at'], `the restore at ${sec(f.at_us)} is before the first backup of ${node} (full snapshot at ${sec(first)})`);
        return;
      }
      if (a.to_us !== undefined && a.to_us < first) {
        add([...base, 'to'], `restore target ${sec(a.to_us)} is before the first backup of ${node} (full snapshot at ${sec(first)})`);
        return;
      }
      if (a.to_us !== undefined && a.clock_of === undefined && a.to_us > f.at_us) {
        add([...base, 'to'], `restore target ${sec(a.to_us)} is after the restore itself (at ${sec(f.at_us)})`);
        return;
      }
    }
  });
}

/** The `runbook:` section: the six recovery steps, each with its duration and condition. */
export const runbookSchema = strict({
  when: strict({
    at: duration().optional().describe('start the drill at this time'),
    fault: z.string().min(1).optional().describe('start it when a fault of this kind (partition, crash, ...) starts or ends: the alert'),
    on: z.enum(['start', 'end']).default('start').describe('with `fault`: its start or its end'),
    after: duration().prefault('0s').describe('with `fault`: how long after it the alert fires'),
  })
    .superRefine((w, ctx) => {
      if ((w.at === undefined) === (w.fault === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'when needs exactly one of `at` or `fault`' });
    })
    .describe('what starts the drill: a time, or a fault (the alert)'),
  target: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .describe('the region or node to recover, or a list of them (each restored to the same point)'),
  isolate: duration().prefault('1m').describe('step 1: take the target out of client traffic (this long to do it)'),
  identify: strict({
    take: duration().prefault('5m').describe('how long finding the restore point takes'),
    before: duration().prefault('1m').describe('the point is this long before the triggering fault started'),
    clock_of: z.string().min(1).optional().describe('read the fault\'s start on this node\'s (maybe skewed) clock instead of the fault record'),
  })
    .prefault({})
    .describe('step 2: identify the timestamp right before the trouble'),
  extract: duration().prefault('5m').describe('step 3: locate and list the logs and incremental backups'),
  reconstruct: strict({
    method: z.enum(['snapshot', 'logs', 'pitr']).default('pitr').describe('snapshot, logs, or pitr to the identified point'),
    reapply: z
      .enum(['none', 'all', 'non-conflicting'])
      .default('non-conflicting')
      .describe('what happens to the rolled-back writes (as in a restore action)'),
  })
    .prefault({})
    .describe('step 4: restore (it takes the transfer and replay time)'),
  validate: strict({
    take: duration().prefault('2m').describe('how long the consistency check takes'),
    max_divergent_keys: z.int().min(0).default(0).describe('the restored replicas may disagree on at most this many keys, else the drill stops here'),
  })
    .prefault({})
    .describe('step 5: validate consistency with a divergence view of the restored replicas'),
  resync: duration().prefault('1m').describe('step 6: resync and reintroduce the nodes (then they serve clients again)'),
})
  .transform((r): RunbookSpec => {
    const identify: RunbookSpec['identify'] = { take_us: r.identify.take, before_us: r.identify.before };
    if (r.identify.clock_of !== undefined) identify.clock_of = r.identify.clock_of;
    return {
      when: r.when.at !== undefined ? { at_us: r.when.at } : { fault: r.when.fault ?? '', on: r.when.on, after_us: r.when.after },
      targets: typeof r.target === 'string' ? [r.target] : r.target,
      isolate_us: r.isolate,
      identify,
      extract_us: r.extract,
      reconstruct: r.reconstruct,
      validate: { take_us: r.validate.take, max_divergent_keys: r.validate.max_divergent_keys },
      resync_us: r.resync,
    };
  })
  .describe('the six-step recovery runbook as a drill: isolate, identify, extract, reconstruct, validate, resync (docs/12-backups-and-recovery.md)');

/** References of a runbook: its target and clock node exist, and a backup section is there. */
export function checkRunbook(
  runbook: RunbookSpec | undefined,
  backup: BackupSpec | undefined,
  add: Issue,
  target: TargetCheck,
): void {
  if (!runbook) return;
  runbook.targets.forEach((t, i) => target(t, runbook.targets.length === 1 ? ['runbook', 'target'] : ['runbook', 'target', i]));
  if (runbook.identify.clock_of !== undefined) target(runbook.identify.clock_of, ['runbook', 'identify', 'clock_of'], { node: true });
  if (!backup) add(['runbook'], 'a runbook needs a `backup` section (an object store and a policy)', 'key');
}
