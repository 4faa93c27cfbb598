/**
 * The quorum engine set up as the WARS model sees a Dynamo-style store, run through the
 * simulator, and the t-visibility measured from its history alone (pbs.test.ts and
 * scripts/pbs-chart.ts use it).
 *
 * What the engine models that WARS does not, and how the scenario removes it:
 * - the coordinator may be a replica (its own write and read cost nothing): here the client
 *   talks to `co/0`, in a region holding no replica (`replication: { dc: 3 }`);
 * - the client's hop to its coordinator: `co`'s intra-region link is a constant 0 us, so the
 *   client's invoke and ok are the coordinator's send and acknowledgement;
 * - FIFO links would keep a read request behind the write sent before it on the same link:
 *   the co↔dc links are `reorder: true`, every message its own exponential draw;
 * - speculative retry and read repair ask more replicas than the level: both off;
 * - processing time: the engine has none (every step takes 0 us).
 * The four WARS delays are then the co→dc (W, R) and dc→co (A, S) one-way latencies,
 * exponential of the same mean.
 *
 * The measurement: key k gets one write at T_k and reads on a grid T_k + j·δ. For a target
 * t0, each write has exactly one read whose t (its invoke minus the write's ok) falls in
 * [t0, t0 + δ) as long as the grid covers [t0, t0 + the write's ack time]; which read that is
 * does not depend on the write's own delays, so the bucket is an unbiased sample of reads
 * at t0 + U[0, δ). The model is evaluated at exactly those t.
 */
import { parseScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import type { HistoryRecord } from '../../../src/history/types.js';
import type { Scenario, ScriptOp } from '../../../src/scenario/types.js';
import { expDelay, type WarsParams } from './wars.js';

export interface PbsRun {
  mean_ms: number;
  R: number;
  W: number;
  writes: number;
  /** bucket width, ms */
  delta_ms: number;
  targets_ms: readonly number[];
  /** targets at or above this are read after every `sparseEvery`-th write only (the curve is flat there) */
  sparseFrom_ms: number;
  sparseEvery: number;
  seed: number;
}

export interface PbsBucket {
  t0_ms: number;
  /** the t (ms after the ack) of every read in the bucket, and whether it saw the write */
  ts_ms: number[];
  fresh: number;
}

/** The comparison: t = 0, 1, 2, 5, 10, 20, 50 ms. */
export const PBS_TARGETS_MS = [0, 1, 2, 5, 10, 20, 50];

/** The engine run of the comparison: mean 1 ms, R = W = 1, 4,000 writes (1,000 past 10 ms). */
export const pbsRun = (over: Partial<PbsRun> = {}): PbsRun => ({
  mean_ms: 1,
  R: 1,
  W: 1,
  writes: 4_000,
  delta_ms: 0.5,
  targets_ms: PBS_TARGETS_MS,
  sparseFrom_ms: 10,
  sparseEvery: 4,
  seed: 14,
  ...over,
});

/** The WARS model of the same setting: N = 3, every delay exponential of mean 1 ms. */
export const pbsModel = (over: Partial<WarsParams> = {}): WarsParams => ({
  N: 3,
  R: 1,
  W: 1,
  w: expDelay(1_000),
  a: expDelay(1_000),
  r: expDelay(1_000),
  s: expDelay(1_000),
  readFanout: 'level',
  ...over,
});

/**
 * The grid covers t0 + this many means past each target: a write's ack (the fastest of three
 * W + A, each Gamma(2, mean)) comes later with probability (e^-6 · 7)^3 ≈ 5e-6.
 */
const ACK_SPAN_MEANS = 6;

function baseScenario(p: PbsRun, duration_ms: number): Scenario {
  const level = (n: number) => (n === 1 ? 'ONE' : n === 2 ? 'TWO' : n === 3 ? 'THREE' : 'QUORUM');
  const yaml = `
name: pbs-wars
seed: ${p.seed}
duration: ${duration_ms}ms
settle: 1s
regions:
  co: { nodes: 1 }
  dc: { nodes: 3 }
network:
  intra_region: { latency: 0us, jitter: 0us, distribution: constant }
  inter_region: { latency: 0us, jitter: ${Math.round(p.mean_ms * 1000)}us, distribution: exponential, reorder: true }
engine:
  type: quorum
  replication: { dc: 3 }
  consistency: { read: ${level(p.R)}, write: ${level(p.W)} }
  speculative_retry: none
  read_repair: none
workload:
  model: register
  keys: 1
  clients:
    co: { count: 1, rate: 0/s }
  timeout: 10s
`;
  const r = parseScenario(yaml, 'pbs-wars.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

/** The read offsets (ms after the write's invoke) that cover these targets. */
export function gridOf(p: PbsRun, targets_ms: readonly number[]): number[] {
  const span = ACK_SPAN_MEANS * p.mean_ms;
  const out = new Set<number>();
  for (const t0 of targets_ms) {
    for (let j = Math.floor(t0 / p.delta_ms); j * p.delta_ms <= t0 + span; j++) out.add(j);
  }
  return [...out].sort((a, b) => a - b).map((j) => j * p.delta_ms);
}

/** Runs the engine and measures the fraction of fresh reads per target bucket. */
export function measurePbs(p: PbsRun): PbsBucket[] {
  const dense = gridOf(p, p.targets_ms.filter((t) => t < p.sparseFrom_ms));
  const full = gridOf(p, p.targets_ms);
  const gap_ms = 0.5; // writes to different keys overlap freely: keys share nothing
  const duration_ms = Math.ceil(p.writes * gap_ms + (full.at(-1) ?? 0) + 100);
  const s = baseScenario(p, duration_ms);
  const script: ScriptOp[] = [];
  for (let k = 0; k < p.writes; k++) {
    const T_us = 10_000 + Math.round(k * gap_ms * 1000);
    const key = `k${k}`;
    script.push({ at_us: T_us as ScriptOp['at_us'], client: 'co/0', op: 'write', key, value: k + 1 });
    for (const d of k % p.sparseEvery === 0 ? full : dense) script.push({ at_us: (T_us + Math.round(d * 1000)) as ScriptOp['at_us'], client: 'co/0', op: 'read', key });
  }
  script.sort((a, b) => a.at_us - b.at_us);
  const run = runScenario({ ...s, workload: { ...s.workload, script } }, { keepHistory: true, check: false });
  if (!run.ok) throw new Error(run.error);
  return bucketsOf(run.history ?? [], p);
}

/** From the history alone: each read's t after its key's write was acknowledged, and its value. */
export function bucketsOf(history: readonly HistoryRecord[], p: PbsRun): PbsBucket[] {
  const invokes = new Map<number, { t: number; f: string; key: string; value: unknown }>();
  const writeOk = new Map<string, { t: number; value: unknown }>();
  const reads: Array<{ key: string; t: number; value: unknown }> = [];
  for (const r of history) {
    if (r.type === 'invoke') invokes.set(r.op, { t: r.t, f: r.f, key: r.key, value: r.value });
    else if (r.type === 'ok') {
      const inv = invokes.get(r.op);
      if (inv === undefined) continue;
      if (inv.f === 'write') writeOk.set(inv.key, { t: r.t, value: inv.value });
      else if (inv.f === 'read') reads.push({ key: inv.key, t: inv.t, value: r.value });
    } else if (r.type === 'fail' || r.type === 'info') {
      throw new Error(`op ${r.op} did not succeed: the comparison assumes every op answers`);
    }
  }
  const buckets: PbsBucket[] = p.targets_ms.map((t0_ms) => ({ t0_ms, ts_ms: [], fresh: 0 }));
  for (const rd of reads) {
    const w = writeOk.get(rd.key);
    if (w === undefined) continue;
    const t_ms = (rd.t - w.t) / 1000;
    for (const b of buckets) {
      if (t_ms >= b.t0_ms && t_ms < b.t0_ms + p.delta_ms) {
        b.ts_ms.push(t_ms);
        if (rd.value === w.value) b.fresh++;
      }
    }
  }
  return buckets;
}
