/**
 * The six-step recovery runbook as a drill (docs/12-backups-and-recovery.md): when its alert fires, take the
 * target out of client traffic, identify the restore point (from the fault record, or read on
 * a node's maybe skewed clock), extract the backup listing, reconstruct (the restore itself),
 * validate that the replicas agree (a divergence view of their current state), resync (serve
 * again). Each step takes its own time; each start and end is a `runbook` fault record, so the
 * drill's timing is measured from the history.
 */
import type { HistoryRecord, Value } from '../history/types.js';
import type { RestoreAction, RunbookSpec } from '../scenario/types.js';

export const RUNBOOK_STEPS = ['isolate', 'identify', 'extract', 'reconstruct', 'validate', 'resync'] as const;
export type RunbookStep = (typeof RUNBOOK_STEPS)[number];

/** The first restore id a runbook's reconstruct step uses, one per target (fault ids are scenario indices). */
export const RUNBOOK_RESTORE_ID = 1_000_000;

export interface RunbookHost {
  now(): number;
  /** schedules the runbook's step `step` to start at `t` */
  atStep(t: number, step: number): void;
  record(r: HistoryRecord): void;
  nodesOf(target: string): number[];
  nodeCount(): number;
  nodeIndex(id: string): number | undefined;
  isUp(i: number): boolean;
  clockAt(i: number, t: number): number;
  /** takes node i out of client traffic (true) or back in (false) */
  drain(i: number, on: boolean): void;
  /** what node i's replica holds now (the engine's finalState) */
  holds(i: number): Array<{ key: string; value: Value }>;
  /** starts a restore; `done` is called when every node is back */
  restore(id: number, action: RestoreAction, done: () => void): void;
}

export class RunbookRunner {
  private started_us: number | undefined;
  private faultStart_us: number | undefined;
  private stepStart = 0;
  private stopped = false;

  constructor(
    private readonly spec: RunbookSpec,
    private readonly host: RunbookHost,
  ) {}

  /** Schedules the drill when it starts at a fixed time. */
  start(): void {
    if ('at_us' in this.spec.when) this.fire(this.spec.when.at_us, this.spec.when.at_us);
  }

  /** A fault of `kind` started (at `started_us`) or ended now: the alert, if it is this runbook's. */
  faultEvent(kind: string, on: 'start' | 'end', started_us: number): void {
    const w = this.spec.when;
    if (this.started_us !== undefined || 'at_us' in w || w.fault !== kind || w.on !== on) return;
    this.fire(this.host.now() + w.after_us, started_us);
  }

  private fire(t: number, faultStart_us: number): void {
    this.started_us = t;
    this.faultStart_us = faultStart_us;
    this.host.atStep(t, 0);
  }

  /** Runs step `k` (0: isolate ... 5: resync); each schedules the next when its time is up. */
  step(k: number): void {
    if (this.stopped) return;
    const now = this.host.now();
    const name = RUNBOOK_STEPS[k];
    if (name === undefined) return;
    if (k > 0) this.done(k - 1, now);
    this.stepStart = now;
    const s = this.spec;
    const nodes = s.targets.flatMap((t) => this.host.nodesOf(t));
    switch (name) {
      case 'isolate':
        this.begin(name, now);
        for (const i of nodes) this.host.drain(i, true);
        this.host.atStep(now + s.isolate_us, 1);
        return;
      case 'identify':
        this.begin(name, now);
        this.host.atStep(now + s.identify.take_us, 2);
        return;
      case 'extract':
        this.begin(name, now);
        this.host.atStep(now + s.extract_us, 3);
        return;
      case 'reconstruct': {
        const actions = s.targets.map((t) => this.restoreAction(t));
        const a = actions[0];
        this.begin(name, now, { method: a?.method, to_us: a?.to_us, clock_of: a?.clock_of, reapply: a?.reapply });
        let left = actions.length;
        actions.forEach((action, k) =>
          this.host.restore(RUNBOOK_RESTORE_ID + k, action, () => {
            if (--left === 0) this.host.atStep(this.host.now(), 4);
          }),
        );
        return;
      }
      case 'validate':
        this.begin(name, now);
        this.host.atStep(now + s.validate.take_us, 5);
        return;
      case 'resync': {
        // The validate step's verdict: how many keys the replicas disagree on now.
        const divergent = this.divergentKeys();
        const ok = divergent <= s.validate.max_divergent_keys;
        this.host.record({ t: now, type: 'fault', fault: 'runbook', step: 'validate', phase: 'verdict', divergent_keys: divergent, passed: ok });
        if (!ok) {
          // The drill stops: the target stays out of traffic for a human to look at.
          this.stopped = true;
          this.host.record({ t: now, type: 'fault', fault: 'runbook', step: 'resync', phase: 'skipped', reason: `${divergent} divergent keys` });
          return;
        }
        this.begin(name, now);
        this.host.atStep(now + s.resync_us, 6);
        return;
      }
      default: {
        const never: never = name;
        throw new Error(`unknown runbook step ${String(never)}`);
      }
    }
  }

  /** The end of the drill (after resync): the target serves clients again. */
  finish(): void {
    if (this.stopped) return;
    const now = this.host.now();
    for (const i of this.spec.targets.flatMap((t) => this.host.nodesOf(t))) this.host.drain(i, false);
    this.done(5, now);
    this.host.record({ t: now, type: 'fault', fault: 'runbook', step: 'all', phase: 'done', started_us: this.started_us ?? now, total_us: now - (this.started_us ?? now) });
  }

  /** Step 2's output: `before` ahead of the triggering fault's start, as the operator reads it. */
  private restoreAction(target: string): RestoreAction {
    const s = this.spec;
    const a: RestoreAction = { kind: 'restore', target, method: s.reconstruct.method, reapply: s.reconstruct.reapply };
    if (s.reconstruct.method !== 'pitr') return a;
    const faultStart = this.faultStart_us ?? this.host.now();
    const clockNode = s.identify.clock_of === undefined ? undefined : this.host.nodeIndex(s.identify.clock_of);
    if (clockNode === undefined || s.identify.clock_of === undefined) {
      a.to_us = Math.max(0, faultStart - s.identify.before_us) as RestoreAction['to_us'] & number;
      return a;
    }
    // Read off a node's log: its clock's reading when the fault started.
    a.to_us = Math.max(0, this.host.clockAt(clockNode, faultStart) - s.identify.before_us) as RestoreAction['to_us'] & number;
    a.clock_of = s.identify.clock_of;
    return a;
  }

  /** Keys whose value differs between the nodes up now (absent counts as a value). */
  private divergentKeys(): number {
    const views: Array<Map<string, string>> = [];
    for (let i = 0; i < this.host.nodeCount(); i++) {
      if (!this.host.isUp(i)) continue;
      views.push(new Map(this.host.holds(i).map(({ key, value }) => [key, JSON.stringify(value)])));
    }
    const keys = new Set<string>();
    for (const v of views) for (const k of v.keys()) keys.add(k);
    let n = 0;
    for (const k of keys) if (new Set(views.map((v) => v.get(k))).size > 1) n++;
    return n;
  }

  private begin(step: RunbookStep, now: number, detail: Record<string, unknown> = {}): void {
    const clean = Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined));
    this.host.record({ t: now, type: 'fault', fault: 'runbook', step, phase: 'start', targets: this.spec.targets, ...clean });
  }

  private done(k: number, now: number): void {
    const name = RUNBOOK_STEPS[k] ?? 'step';
    this.host.record({ t: now, type: 'fault', fault: 'runbook', step: name, phase: 'done', took_us: now - this.stepStart });
  }
}
