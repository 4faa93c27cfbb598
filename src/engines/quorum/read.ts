/**
 * The coordinator's read path, as Cassandra's: among the replicas the level may use and that
 * are believed up, the closest ones that meet the level are asked, the closest for the data
 * and the others for a digest. Once enough have answered: digests that agree give the answer
 * at once; a mismatch makes the coordinator ask each of them for the data, merge (newest cell
 * wins), and with `read_repair: blocking` write the newest cells back to every stale replica
 * and wait for their acks before answering (so a later read at the same level cannot see
 * older data: monotonic quorum reads). A replica that is slow to answer gets company: after
 * the `speculative_retry` threshold one more replica is asked for the data.
 *
 * Too few replicas believed up: `fail unavailable` at once. No answer by `read_timeout`: no
 * reply (the client times out; a read changes nothing, so its `info` is harmless).
 */
import { micros } from '../../sim/time.js';
import type { NodeId } from '../../sim/ids.js';
import type { ClientRequest, Ctx } from '../engine.js';
import { digestOf, mergeAll, missingFrom, visibleOf, type Cells } from './cells.js';
import { count, isLocal, meets, newTally, type Need, type Tally } from './levels.js';
import { admit } from './live.js';
import { localRead } from './replica.js';
import { putCells } from './store.js';
import type { PendingRead, QuorumMsg, QuorumState, QuorumTimer } from './types.js';

type Msg<T extends QuorumMsg['type']> = Extract<QuorumMsg, { type: T }>;

/** read latencies kept for the percentile threshold, and how many are needed before speculating */
const LATENCY_WINDOW = 200;
const MIN_SAMPLES = 20;
const RECOMPUTE_EVERY = 20;

export function startRead(s: QuorumState, req: ClientRequest, ctx: Ctx<QuorumMsg>): void {
  const c = s.env;
  const need = c.readNeed[s.regionIdx]!;
  const admitted = admit(s, req, need, ctx);
  if (admitted === undefined) return;
  const { p, view } = admitted;
  const now = ctx.now();
  const candidates = eligible(s, p.nodes, p.regionIdx, view.up, c.spec.consistency.read);
  const asked = pickTargets(need, candidates, p.regionIdx, c.rf.length);
  const r: PendingRead = {
    id: ++s.seq,
    req,
    p,
    need,
    started_us: now,
    phase: 'digest',
    asked,
    candidates,
    tally: newTally(c.rf.length),
    data: new Map(),
    digests: new Map(),
    awaiting: 0,
    merged: undefined,
  };
  s.reads.set(r.id, r);
  let selfAt = -1;
  asked.forEach((i, k) => {
    const node = p.nodes[i]!;
    if (node === s.self) selfAt = i;
    else ctx.send(node, { type: 'read', id: r.id, key: req.key, digest: k > 0 });
  });
  // This node's own replica answers at once (the data if it is the closest, which it is).
  if (selfAt >= 0) {
    const local = localRead(s, req.key);
    received(s, r, selfAt, local.digest, asked[0] === selfAt ? local.cells : undefined, ctx);
  }
  if (!s.reads.has(r.id)) return; // answered locally
  const t: QuorumTimer = { kind: 'read-timeout', data: r.id };
  ctx.setTimer(micros(c.spec.read_timeout_us), t);
  const after = speculateAfter(s);
  if (after !== undefined && candidates.length > asked.length) {
    const spec: QuorumTimer = { kind: 'speculate', data: r.id };
    ctx.setTimer(micros(after), spec);
  }
}

/** Replica indexes the level may use and believed up, closest first (then ring order). */
function eligible(s: QuorumState, nodes: readonly NodeId[], regionIdx: readonly number[], up: readonly boolean[], level: Parameters<typeof isLocal>[0]): number[] {
  const c = s.env;
  const dist = c.distance[s.rank]!;
  const out: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (!up[i]) continue;
    if (isLocal(level) && regionIdx[i] !== s.regionIdx) continue;
    out.push(i);
  }
  const d = (i: number) => dist[c.rankOf.get(nodes[i]!)!]!;
  return out.sort((a, b) => d(a) - d(b) || a - b);
}

/** The first candidates that together meet the level, each one counting toward something still missing. */
function pickTargets(need: Need, candidates: readonly number[], regionIdx: readonly number[], regions: number): number[] {
  const t: Tally = newTally(regions);
  const out: number[] = [];
  for (const i of candidates) {
    if (meets(need, t)) break;
    const r = regionIdx[i]!;
    const helps =
      t.total < need.any ||
      (r === need.localRegion && (t.byRegion[r] ?? 0) < need.local) ||
      (t.byRegion[r] ?? 0) < (need.each[r] ?? 0);
    if (!helps) continue;
    out.push(i);
    count(t, r);
  }
  return out;
}

export function onReadReply(s: QuorumState, from: NodeId, msg: Msg<'read-reply'>, ctx: Ctx<QuorumMsg>): void {
  const r = s.reads.get(msg.id);
  if (r === undefined) return;
  const i = r.p.nodes.indexOf(from);
  if (i < 0) return;
  received(s, r, i, msg.digest, msg.cells, ctx);
}

function received(s: QuorumState, r: PendingRead, i: number, digest: string, cells: Cells | undefined, ctx: Ctx<QuorumMsg>): void {
  if (r.phase === 'digest') {
    if (r.digests.has(i)) return; // a duplicate
    r.digests.set(i, digest);
    if (cells !== undefined) r.data.set(i, cells);
    count(r.tally, r.p.regionIdx[i]!);
    tryAnswer(s, r, ctx);
    return;
  }
  if (r.phase === 'data' && cells !== undefined && !r.data.has(i) && r.digests.has(i)) {
    r.data.set(i, cells);
    if (--r.awaiting === 0) resolve(s, r, ctx);
  }
}

/** Enough answers with the data among them: agree → answer; disagree → ask everyone for the data. */
function tryAnswer(s: QuorumState, r: PendingRead, ctx: Ctx<QuorumMsg>): void {
  if (r.data.size === 0 || !meets(r.need, r.tally)) return;
  let first: string | undefined;
  let agree = true;
  for (const d of r.digests.values()) {
    if (first === undefined) first = d;
    else if (d !== first) {
      agree = false;
      break;
    }
  }
  if (agree) {
    const [cells] = r.data.values();
    answer(s, r, visibleOf(s.env.model, mergeAll([cells!])), ctx);
    return;
  }
  s.stats.digestMismatches++;
  r.phase = 'data';
  r.awaiting = 0;
  for (const i of r.digests.keys()) {
    if (r.data.has(i)) continue;
    const node = r.p.nodes[i]!;
    if (node === s.self) {
      r.data.set(i, localRead(s, r.req.key).cells);
      continue;
    }
    r.awaiting++;
    ctx.send(node, { type: 'read', id: r.id, key: r.req.key, digest: false });
  }
  if (r.awaiting === 0) resolve(s, r, ctx);
}

/** Every answer's data is in: merge, repair the stale replicas (blocking), then answer. */
function resolve(s: QuorumState, r: PendingRead, ctx: Ctx<QuorumMsg>): void {
  const merged = mergeAll([...r.data.values()]);
  r.merged = merged;
  r.phase = 'repair';
  r.awaiting = 0;
  if (s.env.spec.read_repair === 'blocking') {
    for (const [i, cells] of [...r.data.entries()].sort((a, b) => a[0] - b[0])) {
      const miss = missingFrom(merged, cells);
      if (miss.length === 0) continue;
      s.stats.readRepairs++;
      const node = r.p.nodes[i]!;
      if (node === s.self) putCells(s, r.req.key, miss, ctx);
      else {
        r.awaiting++;
        ctx.send(node, { type: 'read-repair', id: r.id, key: r.req.key, cells: miss });
      }
    }
  }
  if (r.awaiting === 0) answer(s, r, visibleOf(s.env.model, merged), ctx);
}

export function onReadRepairAck(s: QuorumState, _from: NodeId, msg: Msg<'read-repair-ack'>, ctx: Ctx<QuorumMsg>): void {
  const r = s.reads.get(msg.id);
  if (r === undefined || r.phase !== 'repair' || r.merged === undefined) return;
  if (--r.awaiting === 0) answer(s, r, visibleOf(s.env.model, r.merged), ctx);
}

function answer(s: QuorumState, r: PendingRead, value: ClientRequest['value'], ctx: Ctx<QuorumMsg>): void {
  s.reads.delete(r.id);
  // Reads answered by this node's own replica alone take no time and say nothing of the replicas'.
  const took = ctx.now() - r.started_us;
  if (took > 0) noteLatency(s, took);
  ctx.reply(r.req.op, value === undefined ? { type: 'ok' } : { type: 'ok', value });
}

export function onReadTimeout(s: QuorumState, id: number): void {
  if (!s.reads.delete(id)) return;
  s.stats.readTimeouts++;
}

/** Speculative retry: the read is still waiting, so one more replica is asked for the data. */
export function onSpeculate(s: QuorumState, id: number, ctx: Ctx<QuorumMsg>): void {
  const r = s.reads.get(id);
  if (r === undefined || r.phase !== 'digest') return;
  const next = r.candidates.find((i) => !r.asked.includes(i));
  if (next === undefined) return;
  r.asked.push(next);
  s.stats.speculativeRetries++;
  const node = r.p.nodes[next]!;
  ctx.send(node, { type: 'read', id: r.id, key: r.req.key, digest: false });
}

/** The speculative retry delay now (undefined: do not speculate). */
function speculateAfter(s: QuorumState): number | undefined {
  const sr = s.env.spec.speculative_retry;
  switch (sr.kind) {
    case 'none':
      return undefined;
    case 'fixed':
      return sr.after_us;
    case 'percentile':
      return Number.isFinite(s.specAfter_us) ? s.specAfter_us : undefined;
    default: {
      const never: never = sr;
      throw new Error(`unknown speculative_retry ${JSON.stringify(never)}`);
    }
  }
}

/** Records a read's latency; the percentile threshold is recomputed every few reads. */
function noteLatency(s: QuorumState, us: number): void {
  const sr = s.env.spec.speculative_retry;
  if (sr.kind !== 'percentile') return;
  if (s.readLat.length < LATENCY_WINDOW) s.readLat.push(us);
  else s.readLat[s.readLatNext] = us;
  s.readLatNext = (s.readLatNext + 1) % LATENCY_WINDOW;
  if (s.readLat.length < MIN_SAMPLES || s.readLatNext % RECOMPUTE_EVERY !== 0) return;
  const sorted = [...s.readLat].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.ceil((sr.p / 100) * sorted.length) - 1);
  s.specAfter_us = Math.max(1, sorted[Math.max(0, at)]!);
}
