/**
 * The `engine: { type: quorum }` section (Dynamo/Cassandra-style replication): its zod schema,
 * the checks that need the regions and clients (replication factors, LOCAL_* levels), and the
 * default replication filled in once the regions are known. Kept out of schema.ts so that the
 * engine's settings live in one file.
 */
import { z } from 'zod';
import { DURATION_PATTERN, duration, strict } from './fields.js';
import { regionError, type RegionSizes } from './targets.js';
import { parseDuration } from '../sim/time.js';
import type { ConsistencyLevel, QuorumEngineSpec, SpeculativeRetry } from './types.js';

export const CONSISTENCY_LEVELS = ['ONE', 'TWO', 'THREE', 'QUORUM', 'LOCAL_ONE', 'LOCAL_QUORUM', 'EACH_QUORUM', 'ALL'] as const;

/** Replicas per region when `replication` is not given (Cassandra's usual RF 3, at most the region's nodes). */
export const DEFAULT_RF = 3;

const level = z
  .enum(CONSISTENCY_LEVELS)
  .describe(
    'ONE, TWO, THREE (that many replicas anywhere), QUORUM (a majority of all replicas), LOCAL_ONE, LOCAL_QUORUM (in the coordinator’s region), EACH_QUORUM (a majority in every region), ALL',
  );

const SPECULATIVE_RE = /^(\d+(?:\.\d+)?)p$/;

/** `99p` (a percentile of this coordinator's recent read latencies), a duration, or `none`. */
const SPECULATIVE_HELP = 'expected 99p (a percentile), a duration such as 10ms, or none';
/** JSON Schema pattern (the transform below has the final word). */
const SPECULATIVE_PATTERN = `^none$|^\\d+(\\.\\d+)?p$|${DURATION_PATTERN}`;
const speculativeRetry = z
  .string({ error: `${SPECULATIVE_HELP}` })
  .regex(new RegExp(SPECULATIVE_PATTERN), { error: (iss) => `${SPECULATIVE_HELP}; got ${JSON.stringify(iss.input)}` })
  .transform((text, ctx): SpeculativeRetry => {
    if (text === 'none') return { kind: 'none' };
    const m = SPECULATIVE_RE.exec(text);
    if (m) {
      const p = Number(m[1]);
      if (p > 0 && p < 100) return { kind: 'percentile', p };
      ctx.addIssue({ code: 'custom', message: `a percentile is between 0p and 100p (exclusive), got "${text}"`, input: text });
      return z.NEVER;
    }
    const d = parseDuration(text);
    if (d.ok && d.value > 0) return { kind: 'fixed', after_us: d.value };
    ctx.addIssue({ code: 'custom', message: `${SPECULATIVE_HELP}; got "${text}"`, input: text });
    return z.NEVER;
  })
  .describe('when a slow read asks one more replica: `99p` (that percentile of recent read latencies), a duration such as `10ms`, or `none`');

export const quorumEngineSchema = strict({
  type: z.literal('quorum').describe('quorum replication (Dynamo/Cassandra): replicas on a token ring, consistency levels per read and write'),
  replication: z
    .record(z.string().min(1), z.int().min(0).max(1000).describe('replicas of each key in this region'))
    .optional()
    .describe('region → replicas of each key there (NetworkTopologyStrategy); regions not listed hold none; default 3 per region (at most its nodes)'),
  vnodes: z.int().min(1).max(256).default(16).describe('tokens per node on the ring (virtual nodes)'),
  consistency: strict({
    read: level.default('ONE'),
    write: level.default('ONE'),
  })
    .prefault({})
    .describe('consistency levels: how many replicas must answer a read and acknowledge a write'),
  write_timeout: duration({ positive: true }).prefault('2s').describe('how long a coordinator waits for write acks before giving up (the client sees a timeout)'),
  read_timeout: duration({ positive: true }).prefault('5s').describe('how long a coordinator waits for read responses before giving up'),
  hints: z
    .enum(['durable', 'volatile'])
    .default('durable')
    .describe("hints for replicas that missed a write: durable (survive the coordinator's crash) or volatile (lost with it)"),
  max_hint_window: duration({ positive: true })
    .prefault('3h')
    .describe('no hints are stored for a replica down longer than this, and hints older than this are dropped'),
  max_hints: z.int().min(0).default(100_000).describe('hints one coordinator holds at most; more are dropped'),
  read_repair: z
    .enum(['blocking', 'none'])
    .default('blocking')
    .describe('on a digest mismatch: blocking (write the newest cells back to stale replicas before answering) or none'),
  speculative_retry: speculativeRetry.prefault('99p'),
  serial_consistency: z
    .enum(['SERIAL', 'LOCAL_SERIAL'])
    .default('SERIAL')
    .describe(
      'lightweight transactions (cas, inventory writes): Paxos among all replicas of the key (SERIAL) or only those in the coordinator’s region (LOCAL_SERIAL)',
    ),
  repair: strict({
    every: duration({ positive: true }).describe('how often each node runs anti-entropy repair of its ranges (staggered by node)'),
  })
    .optional()
    .describe('scheduled anti-entropy repair (Merkle-tree comparison per token range); none by default (an operator can still run one: a `repair` fault entry)'),
  gossip_interval: duration({ positive: true }).prefault('1s').describe('how often every node sends a heartbeat to every other node'),
  phi_convict_threshold: z
    .number()
    .gt(0)
    .max(100)
    .default(8)
    .describe('phi-accrual failure detector: a peer is believed down when phi exceeds this (8: about 18 heartbeat intervals of silence)'),
})
  .transform(
    (e): QuorumEngineSpec => ({
      type: 'quorum',
      // Filled by resolveQuorum once the regions are known (an empty record means "the default").
      replication: e.replication ?? {},
      vnodes: e.vnodes,
      consistency: { read: e.consistency.read, write: e.consistency.write },
      write_timeout_us: e.write_timeout,
      read_timeout_us: e.read_timeout,
      hints: e.hints,
      max_hint_window_us: e.max_hint_window,
      max_hints: e.max_hints,
      read_repair: e.read_repair,
      speculative_retry: e.speculative_retry,
      serial_consistency: e.serial_consistency,
      repair_every_us: e.repair?.every ?? null,
      gossip_interval_us: e.gossip_interval,
      phi_convict_threshold: e.phi_convict_threshold,
    }),
  )
  .describe('quorum engine settings');

/** Every region's replication factor: as written, or the default when nothing is written. */
export function resolveReplication(written: Record<string, number>, regions: RegionSizes): Record<string, number> {
  const given = Object.keys(written).length > 0;
  const out: Record<string, number> = {};
  for (const [r, spec] of Object.entries(regions)) out[r] = given ? (written[r] ?? 0) : Math.min(DEFAULT_RF, spec.nodes);
  return out;
}

/** The spec with its replication resolved against the regions. */
export function resolveQuorum(e: QuorumEngineSpec, regions: RegionSizes): QuorumEngineSpec {
  return { ...e, replication: resolveReplication(e.replication, regions) };
}

/** How many replicas of a key a level needs at least, in total (for refusing impossible levels). */
function minReplicas(l: ConsistencyLevel): number {
  switch (l) {
    case 'TWO':
      return 2;
    case 'THREE':
      return 3;
    default:
      return 1;
  }
}

type Path = (string | number)[];

/**
 * Settings that cannot work with these regions, each reported at its field: an unknown region
 * or a factor above the region's nodes in `replication`, a level needing more replicas than
 * exist, and a LOCAL_* level while a region with clients holds no replica (its coordinators
 * would have no local replica to ask: Cassandra answers Unavailable to every such request).
 */
export function checkQuorumEngine(
  e: QuorumEngineSpec,
  regions: RegionSizes,
  clientRegions: readonly string[] | undefined,
  add: (path: Path, message: string, at?: 'key') => void,
): void {
  let broken = false;
  for (const [r, rf] of Object.entries(e.replication)) {
    const bad = regionError(r, regions);
    if (bad) {
      add(['engine', 'replication', r], bad, 'key');
      broken = true;
      continue;
    }
    const have = regions[r]?.nodes ?? 0;
    if (rf > have) {
      add(['engine', 'replication', r], `replication ${rf} in ${r} needs ${rf} nodes; ${r} has ${have}`);
      broken = true;
    }
  }
  // The checks below read the replication; one error per cause is enough.
  if (broken) return;
  const rf = resolveReplication(e.replication, regions);
  const total = Object.values(rf).reduce((a, b) => a + b, 0);
  if (total === 0) {
    add(['engine', 'replication'], 'every region has 0 replicas: at least one region must hold replicas');
    return;
  }
  for (const which of ['read', 'write'] as const) {
    const l = e.consistency[which];
    const path: Path = ['engine', 'consistency', which];
    if (minReplicas(l) > total) {
      add(path, `${l} needs ${minReplicas(l)} replicas of each key; the replication gives ${total}`);
      continue;
    }
    if (!l.startsWith('LOCAL_') || clientRegions === undefined) continue;
    const bare = clientRegions.filter((r) => Object.hasOwn(regions, r) && (rf[r] ?? 0) === 0).sort();
    if (bare.length > 0) {
      add(path, `${l} needs replicas in every region with clients; ${bare.join(', ')} ${bare.length > 1 ? 'have' : 'has'} none (engine.replication)`);
    }
  }
  // LOCAL_SERIAL runs Paxos among the coordinator's region's replicas: none there, no LWT.
  if (e.serial_consistency === 'LOCAL_SERIAL' && clientRegions !== undefined) {
    const bare = clientRegions.filter((r) => Object.hasOwn(regions, r) && (rf[r] ?? 0) === 0).sort();
    if (bare.length > 0) {
      add(
        ['engine', 'serial_consistency'],
        `LOCAL_SERIAL needs replicas in every region with clients; ${bare.join(', ')} ${bare.length > 1 ? 'have' : 'has'} none (engine.replication)`,
      );
    }
  }
}
