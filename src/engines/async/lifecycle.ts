/**
 * An async node's life outside the steps: a fresh or restarted node (`init`), what a crash
 * keeps (`durable`), what it holds after settle (`finalState`) and its counters (`metrics`).
 */
import type { NodeId } from '../../sim/ids.js';
import { micros } from '../../sim/time.js';
import type { ClientRequest, Ctx, RestoredEntry } from '../engine.js';
import type { WorkloadModel } from '../../scenario/types.js';
import { INITIAL_STOCK } from '../../workload/ops.js';
import type { Value } from '../../history/types.js';
import type { AsyncCfg } from './config.js';
import { depth, newQueue, unacked } from './queue.js';
import { feedRepair } from './replica.js';
import { addCopy, isRepair, issue, newLedger } from './ledger.js';
import type { AsyncDurable, AsyncMsg, AsyncState, AsyncTimer, Entry, OutQueue } from './types.js';
import { unknownModel } from '../objects/unknown.js';

/** A fresh node, or a restarted one from what its crash kept (then it repairs and drains at once). */
export function initNode(c: AsyncCfg, self: NodeId, durable: AsyncDurable | undefined, ctx: Ctx<AsyncMsg>): AsyncState {
  const spec = c.spec;
  const rank = c.topology.nodes.indexOf(self);
  const out = new Map<NodeId, OutQueue>();
  // A durable queue's entries name their writes by the dead node's ids: each distinct one
  // gets an id in the new ledger, with a copy per queue that holds it.
  const ledger = newLedger(c.rule.column, c.keys);
  const ids = new Map<number, number>();
  const renamed = (e: Entry): Entry => {
    let id = ids.get(e.pending);
    if (id === undefined) {
      id = issue(ledger, durable?.repairs?.has(e.pending) === true, e.change, e.key);
      ids.set(e.pending, id);
    }
    addCopy(ledger, id);
    return { ...e, pending: id };
  };
  for (const n of c.topology.nodes) {
    if (n === self) continue;
    const d = durable?.queues.get(n);
    const entries = (d?.entries ?? []).map(renamed);
    const nextSeq = d?.nextSeq ?? 1;
    const acked = d?.entries ? d.acked : nextSeq - 1;
    out.set(n, newQueue(n, nextSeq, acked, entries, d?.maxDepth ?? 0, spec.coalesce, d?.coalesced ?? 0, ledger));
  }
  const s: AsyncState = {
    self,
    rank,
    store: new Map(durable?.store ?? []),
    hlc: durable ? { ...durable.hlc } : { l: 0, c: 0 },
    changeSeq: durable?.changeSeq ?? 0,
    out,
    ledger,
    received: new Map(durable?.received ?? []),
    flushArmed: false,
    pendingChanges: ids.size,
    awaitingFwd: new Set(),
    fwdDone: new Map(),
    askedRights: new Map(),
    repair: new Map(),
    readSeq: durable?.readSeq ?? 0,
    pendingReads: new Map(),
    stats: durable ? { ...durable.stats } : { changesLost: 0, refusedQueueFull: 0, maxSiblingsRead: 0, antiEntropyKeys: 0 },
    env: undefined,
  };
  // Anti-entropy toward every peer whose volatile queue died with unacked changes.
  const keys = [...s.store.keys()].sort();
  for (const q of out.values()) {
    if ((durable?.queues.get(q.dest)?.unacked ?? 0) === 0) continue;
    s.repair.set(q.dest, { keys, next: 0 });
    feedRepair(c, s, q);
  }
  // Drain on restart: a durable queue, or a repair, starts shipping at once.
  if (s.pendingChanges > 0) {
    s.flushArmed = true;
    const t: AsyncTimer = { kind: 'flush' };
    ctx.setTimer(micros(0), t);
  }
  return s;
}

/** What a crash keeps: the store always, the queues only with `durable_queue: true`. */
export function durableOf(c: AsyncCfg, s: AsyncState): AsyncDurable {
  const keep = c.spec.durable_queue;
  const queues: AsyncDurable['queues'] = new Map();
  // Repair offers that die are not lost changes: the state is in the store, offered again.
  const repairs = new Set<number>();
  for (const q of s.out.values()) {
    for (const e of keep ? [] : unacked(q)) if (isRepair(s.ledger, e.pending)) repairs.add(e.pending);
    queues.set(q.dest, {
      nextSeq: q.nextSeq,
      acked: keep ? q.acked : q.nextSeq - 1,
      entries: keep ? unacked(q) : undefined,
      maxDepth: q.maxDepth,
      coalesced: q.coalesced,
      unacked: keep ? 0 : depth(q),
    });
  }
  return {
    store: s.store,
    hlc: s.hlc,
    changeSeq: s.changeSeq,
    received: s.received,
    ...(s.readSeq > 0 ? { readSeq: s.readSeq } : {}),
    queues,
    ...(keep ? { repairs: repairIds(s) } : {}),
    stats: {
      ...s.stats,
      changesLost: s.stats.changesLost + (keep ? 0 : s.pendingChanges - repairs.size),
    },
  };
}

/** The ids of the anti-entropy offers in a durable queue (a restart keeps them apart from client changes). */
function repairIds(s: AsyncState): Set<number> {
  const out = new Set<number>();
  for (const q of s.out.values()) for (let i = q.start; i < q.len; i++) if (isRepair(s.ledger, q.ids[i] as number)) out.add(q.ids[i] as number);
  return out;
}

/** Every key this replica holds, sorted, as reads would show it. */
export function finalStateOf(c: AsyncCfg, s: AsyncState): Array<{ key: string; value: Value }> {
  return [...s.store.keys()].sort().map((key) => ({ key, value: c.rule.visible(s.store.get(key)) }));
}

export function metricsOf(c: AsyncCfg, s: AsyncState): Record<string, number> {
  // The runner merges node metrics: `max_*` by maximum, the rest by sum; names carry no dots
  // because `expect` paths split on them (`engine.max_queue_depth_to_eu-west`).
  const m: Record<string, number> = { max_queue_depth: 0 };
  for (const r of c.topology.regions) m[`max_queue_depth_to_${r}`] = 0;
  for (const q of s.out.values()) {
    const k = `max_queue_depth_to_${c.topology.regionOf(q.dest)}`;
    m[k] = Math.max(m[k] ?? 0, q.maxDepth);
    m.max_queue_depth = Math.max(m.max_queue_depth ?? 0, q.maxDepth);
  }
  m.changes_lost_in_queues = s.stats.changesLost;
  if (c.spec.coalesce) {
    m.changes_coalesced = 0;
    for (const q of s.out.values()) m.changes_coalesced += q.coalesced;
  }
  m.writes_refused_queue_full = s.stats.refusedQueueFull;
  m.anti_entropy_keys = s.stats.antiEntropyKeys;
  if (c.rule.siblings) m.max_siblings_read = s.stats.maxSiblingsRead;
  // Only when asked for, so the metrics (and goldens) of local-read runs stay as they were.
  if (c.readFrom === 'quorum') {
    m.quorum_reads = s.stats.quorumReads ?? 0;
    m.quorum_reads_abandoned = s.stats.quorumReadsAbandoned ?? 0;
    m.quorum_reads_pending = s.pendingReads.size;
  }
  if (c.readFrom === 'leader') m.reads_forwarded = s.stats.readsForwarded ?? 0;
  return m;
}

/**
 * Restore (Engine.restore): the store becomes exactly `entries`. A rule that can rebuild a key
 * state from its visible value and version does (LWW keeps the original timestamp); the others
 * are rebuilt by local operations on an empty state that reach the same visible value (stamped
 * now: CRDT metadata is not in an `apply` record). Nothing is queued to peers: a restore is
 * local, and what peers hold is theirs.
 */
export function restoreNode(c: AsyncCfg, s: AsyncState, entries: ReadonlyArray<RestoredEntry>, ctx: Ctx<AsyncMsg>): void {
  s.store = new Map();
  for (const e of entries) {
    if (c.rule.restored) {
      s.store.set(e.key, c.rule.restored(e.value, e.version));
      continue;
    }
    const st = c.rule.empty();
    for (const req of rebuildOps(c.model, e.key, e.value)) {
      const out = c.rule.local(st, req, c.envOf(s, ctx));
      if (out.type === 'change') c.rule.merge(st, out.change);
    }
    s.store.set(e.key, st);
  }
}

/** Operations that take a key from its initial value to `value` (op ids 0: no client's). */
function rebuildOps(model: WorkloadModel, key: string, value: Value): ClientRequest[] {
  const req = (f: ClientRequest['f'], v: Value): ClientRequest => ({ op: 0 as ClientRequest['op'], client: 'restore' as ClientRequest['client'], f, key, value: v });
  switch (model) {
    case 'register':
      return [req('write', value)];
    case 'counter':
      return typeof value === 'number' && value !== 0 ? [req('add', value)] : [];
    case 'set':
      return Array.isArray(value) ? value.map((x) => req('add', x)) : [];
    case 'inventory': {
      const d = typeof value === 'number' ? value - INITIAL_STOCK : 0;
      return d > 0 ? [req('restock', d)] : d < 0 ? [req('reserve', { qty: -d })] : [];
    }
    default:
      throw unknownModel(model);
  }
}
