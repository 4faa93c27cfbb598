/**
 * A quorum node's life outside the steps: a fresh or restarted node (`init`), what a crash
 * keeps (`durable`), what it holds after settle (`finalState`) and its counters (`metrics`).
 */
import type { NodeId } from '../../sim/ids.js';
import type { Value } from '../../history/types.js';
import type { Ctx } from '../engine.js';
import { visibleOf } from './cells.js';
import type { QuorumCfg } from './config.js';
import { startGossip } from './gossip.js';
import { durableLwt, initLwt, lwtMetrics } from './lwt.js';
import { newRepairStats, repairMetrics, scheduleRepair } from './repair.js';
import { newStats, type QuorumDurable, type QuorumMsg, type QuorumState } from './types.js';

export function initNode(c: QuorumCfg, self: NodeId, d: QuorumDurable | undefined, ctx: Ctx<QuorumMsg>): QuorumState {
  const rank = c.rankOf.get(self) ?? -1;
  const stats = d ? { ...d.stats, hintsLost: d.stats.hintsLost + d.hintsLostNow } : newStats();
  const hints = new Map(d?.hints ?? []);
  let hintCount = 0;
  for (const l of hints.values()) hintCount += l.length;
  const s: QuorumState = {
    self,
    rank,
    regionIdx: c.regionOfRank[rank] ?? 0,
    env: c,
    store: d?.store ?? new Map(),
    lastTs: d?.lastTs ?? 0,
    seq: d?.seq ?? 0,
    gen: d ? d.gen + 1 : 0,
    beat: 0,
    writes: new Map(),
    reads: new Map(),
    fd: new Map(),
    hints,
    hintCount,
    hintsInFlight: new Map(),
    readLat: [],
    readLatNext: 0,
    specAfter_us: Infinity,
    lwt: initLwt(d?.lwt),
    repair: d?.repair ?? newRepairStats(),
    stats,
  };
  startGossip(s, ctx);
  scheduleRepair(s, ctx, true);
  return s;
}

/** What a crash keeps: the store, the clocks and ids; the hints only with `hints: durable`. */
export function durableOf(c: QuorumCfg, s: QuorumState): QuorumDurable {
  const keep = c.spec.hints === 'durable';
  return {
    store: s.store,
    lastTs: s.lastTs,
    seq: s.seq,
    gen: s.gen,
    hints: keep ? s.hints : undefined,
    hintsLostNow: keep ? 0 : s.hintCount,
    lwt: durableLwt(s),
    repair: s.repair,
    stats: s.stats,
  };
}

/** Every key this replica holds, sorted, as reads would show it. */
export function finalStateOf(c: QuorumCfg, s: QuorumState): Array<{ key: string; value: Value }> {
  return [...s.store.keys()].sort().map((key) => ({ key, value: visibleOf(c.model, s.store.get(key)) }));
}

/** Per-node counters (the runner sums them over nodes; none is a `max_`). */
export function metricsOf(s: QuorumState): Record<string, number> {
  const st = s.stats;
  return {
    unavailable: st.unavailable,
    write_timeouts: st.writeTimeouts,
    read_timeouts: st.readTimeouts,
    hints_stored: st.hintsStored,
    hints_replayed: st.hintsReplayed,
    hints_dropped: st.hintsDropped,
    hints_lost: st.hintsLost,
    hints_pending: s.hintCount,
    read_repairs: st.readRepairs,
    digest_mismatches: st.digestMismatches,
    speculative_retries: st.speculativeRetries,
    ...lwtMetrics(s),
    ...repairMetrics(s),
  };
}
