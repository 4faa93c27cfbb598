/**
 * Small helpers shared by the coordinator, participant and membership steps: the step's I/O
 * (messages to self are queued and handled after the current handler, never re-entrantly),
 * scope queries and key access.
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { Value } from '../../history/types.js';
import type { Ctx } from '../engine.js';
import { initialState } from './model.js';
import type { Entry, SyncMsg, SyncState, SyncTimer } from './types.js';

/** One step's effects. `send` to self is queued and delivered after the handler returns. */
export interface Io {
  ctx: Ctx<SyncMsg>;
  send(to: NodeId, msg: SyncMsg): void;
  timer(after_us: number, t: SyncTimer): void;
  /** monotonic time from heartbeat ticks (for silence, leases, retries): see `monoNow` */
  now(): number;
  /** the node's own clock (skewed, may jump): commit timestamps, txn ages, metrics */
  clock(): number;
}

export function makeIo(s: SyncState, ctx: Ctx<SyncMsg>, selfQueue: SyncMsg[]): Io {
  return {
    ctx,
    send: (to, msg) => (to === s.self ? selfQueue.push(msg) : ctx.send(to, msg)),
    timer: (after_us, t) => ctx.setTimer(micros(Math.max(1, after_us)), t),
    now: () => monoNow(s, ctx.now()),
    clock: () => ctx.now(),
  };
}

/**
 * Monotonic time for leases and failure detection. Timers run on true time, clocks may jump
 * (a `clock` fault) or stall (a paused process), so time is counted in heartbeat ticks and
 * only interpolated between ticks with the clock, clamped to one tick: a clock jump can then
 * never make a copy think another has been silent longer than it has, or its own lease younger.
 */
export function monoNow(s: SyncState, clock_us: number): number {
  const dt = clock_us - s.tick.clock_us;
  return s.tick.mono_us + Math.min(Math.max(dt, 0), s.cfg.heartbeat_us);
}

/** The clock moved unlike true time since the last tick (jump, or a paused process): distrust leases. */
export function clockAnomaly(s: SyncState, clock_us: number): boolean {
  const dt = clock_us - s.tick.clock_us;
  return dt < 0 || dt > 1.5 * s.cfg.heartbeat_us;
}

/** Copies in this node's replication scope, in topology order (the participants of a txn). */
export function scopeOf(s: SyncState): NodeId[] {
  return s.cfg.copies.filter((c) => !s.d.out.has(c));
}

/** A copy that coordinates and votes: not removed by the operator, not recovering. */
export function servingCopy(s: SyncState): boolean {
  return s.role === 'copy' && !s.d.selfRemoved && s.recovery === null;
}

/**
 * Reads are safe while no copy may have removed this one behind its back: every copy in scope
 * answered a ping sent less than `lease_us` ago (removal needs `remove_delay_us` of silence).
 */
export function leaseValid(s: SyncState, now: number, clock_us: number): boolean {
  if (!s.cfg.read_lease) return true;
  if (clockAnomaly(s, clock_us)) return false;
  for (const c of scopeOf(s)) {
    if (c === s.self) continue;
    const acked = s.lastAcked.get(c);
    if (acked === undefined || now - acked >= s.cfg.lease_us) return false;
  }
  return true;
}

/** Lexicographically first region in this node's scope: the name of its side during a split. */
export function sideOf(s: SyncState): string {
  const regions = scopeOf(s).map((c) => s.cfg.regionOfNode[c] ?? s.region);
  return [...regions].sort()[0] ?? s.region;
}

export function entryOf(s: SyncState, key: string): Entry {
  return s.d.data.get(key) ?? { state: initialState(s.cfg.model), version: null };
}

/** Records that `key` committed without copy `c`: it is in `c`'s catch-up queue. */
export function markPending(s: SyncState, c: NodeId, key: string): void {
  let set = s.d.pending.get(c);
  if (!set) {
    set = new Set();
    s.d.pending.set(c, set);
  }
  set.add(key);
}

export function sameMembers(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((x, i) => x === sb[i]);
}

/** Coordinator of a txn id `NODE#SEQ`. */
export function coordinatorOf(txn: string): NodeId {
  return txn.slice(0, txn.lastIndexOf('#')) as NodeId;
}

export function failReq(io: Io, op: number, error: string): void {
  io.ctx.reply(op as never, { type: 'fail', error });
}

export function okReq(io: Io, op: number, value: Value | undefined): void {
  io.ctx.reply(op as never, value === undefined ? { type: 'ok' } : { type: 'ok', value });
}
