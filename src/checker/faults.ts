/**
 * Fault windows from `fault` records: a start record opens a window; `{fault:'end', id}`
 * closes the window with that id; `heal` closes every open network fault; `restart` closes
 * the crash of the same node (or of its `REGION/*`); `rejoin` closes the `remove` of the same
 * target. A window never closed lasts to the end of the history. `invariant` records are
 * reports, not faults. Imported Jepsen nemesis events (they carry a `phase`) open a window
 * on `:start`-like names and close every nemesis window on `:stop`-like names.
 */
import type { FaultRecord } from '../history/types.js';
import type { History } from './ops.js';

export interface FaultWindow {
  id: number | null;
  kind: string;
  target: string | null;
  start_t: number;
  /** when it closed, or the end of the history */
  end_t: number;
  closed: boolean;
  record: FaultRecord;
}

// `repair` (an operator's anti-entropy run) is an instant action, like a report: no window.
const CLOSERS = new Set(['end', 'heal', 'restart', 'rejoin', 'invariant', 'repair']);
/** Operator reports of backups and restores (docs/checker.md): no window of their own. */
export const BACKUP_REPORTS = new Set(['backup', 'restored', 'reapply', 'reapplied', 'runbook']);
export const NETWORK_FAULTS = new Set(['partition', 'isolate', 'one_way', 'slow']);

/** The node/region a fault names, whichever field the recorder used. */
export function faultTarget(f: FaultRecord): string | null {
  for (const k of ['target', 'node', 'region', f.fault]) {
    const v = f[k];
    if (typeof v === 'string') return v;
  }
  return null;
}

function regionOf(id: string): string {
  const i = id.lastIndexOf('/');
  return i < 0 ? id : id.slice(0, i);
}

function sameTarget(started: string | null, closing: string | null): boolean {
  if (started === null || closing === null) return started === closing;
  if (started === closing) return true;
  if (started.endsWith('/*')) return regionOf(started) === regionOf(closing);
  return false;
}

export function faultWindows(h: History): FaultWindow[] {
  const all: FaultWindow[] = [];
  const open: FaultWindow[] = [];
  const close = (w: FaultWindow, t: number): void => {
    w.end_t = t;
    w.closed = true;
    open.splice(open.indexOf(w), 1);
  };
  for (const f of h.faults) {
    if (typeof f['phase'] === 'string') {
      nemesis(f, all, open, close, h.end_t);
      continue;
    }
    if (BACKUP_REPORTS.has(f.fault)) continue;
    if (!CLOSERS.has(f.fault)) {
      const w: FaultWindow = {
        id: typeof f.id === 'number' ? f.id : null,
        kind: f.fault,
        target: faultTarget(f),
        start_t: f.t,
        end_t: h.end_t,
        closed: false,
        record: f,
      };
      all.push(w);
      open.push(w);
      continue;
    }
    const target = faultTarget(f);
    for (const w of [...open]) {
      const ref = typeof f.id === 'number' ? f.id : typeof f.of === 'number' ? f.of : null;
      const hit =
        (f.fault === 'end' && ref !== null && w.id === ref) ||
        (f.fault === 'heal' && NETWORK_FAULTS.has(w.kind)) ||
        (f.fault === 'restart' && w.kind === 'crash' && sameTarget(w.target, target)) ||
        (f.fault === 'rejoin' && w.kind === 'remove' && sameTarget(w.target, target));
      if (hit) close(w, f.t);
    }
  }
  return all;
}

const NEMESIS_STOP = /^(stop|heal|end|resume|recover|restore)/;

/** Jepsen nemesis: the invoke of a start-like op opens one window per name; stop-like ops close them all. */
function nemesis(
  f: FaultRecord,
  all: FaultWindow[],
  open: FaultWindow[],
  close: (w: FaultWindow, t: number) => void,
  end_t: number,
): void {
  if (NEMESIS_STOP.test(f.fault)) {
    if (f['phase'] !== 'invoke') return; // close once, at the stop's invoke
    for (const w of [...open]) if (typeof w.record['phase'] === 'string') close(w, f.t);
    return;
  }
  if (f['phase'] !== 'invoke' || open.some((w) => w.kind === f.fault)) return;
  const w: FaultWindow = { id: null, kind: f.fault, target: null, start_t: f.t, end_t, closed: false, record: f };
  all.push(w);
  open.push(w);
}

/** The groups of a partition or isolate window: lists of region names and/or node ids. */
export function partitionGroups(w: FaultWindow): string[][] | null {
  if (w.kind === 'partition') {
    const g = w.record['groups'] ?? w.record['partition'];
    if (Array.isArray(g)) return g.map((x) => (Array.isArray(x) ? x.filter((y): y is string => typeof y === 'string') : []));
    return null;
  }
  if (w.kind === 'isolate' && w.target !== null) return [[w.target]];
  return null;
}

/**
 * Which side of a partition a node is on: its listed group, else (as the injector cuts) its
 * own region for `partition` and "the rest" together for `isolate`.
 */
export function sideOf(w: FaultWindow, groups: string[][], node: string): string {
  const region = regionOf(node);
  const i = groups.findIndex((g) =>
    g.some((m) => m === node || m === region || (m.endsWith('/*') && regionOf(m) === region)),
  );
  if (i >= 0) return `group ${i}`;
  return w.kind === 'isolate' ? 'rest' : `region ${region}`;
}
