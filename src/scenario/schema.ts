/**
 * The zod schema of scenario format v1 (../shared/SCENARIO-FORMAT.md). Its input is the
 * YAML as written; its output is exactly the resolved `Scenario` (types.ts): durations in
 * integer microseconds, rates per second, defaults filled, references checked.
 * Every field carries `.describe()`: docs and `z.toJSONSchema(scenarioSchema, { io: 'input' })`
 * are generated from it. Defaults are `prefault`s (written in input units) so the JSON
 * Schema shows `"10s"`, not `10000000`.
 */
import { z } from 'zod';
import type { Micros } from '../sim/time.js';
import { strict, duration, rate, probability } from './fields.js';
import { ENGINE_METRIC_PREFIX, expectNameError, parseComparison } from './expect.js';
import { MAX_ERRORS } from './text.js';
import { LIMIT_DEFAULTS } from './limit-defaults.js';
import { ANY_TARGET, regionError, targetError, expandTarget, type RegionSizes, type TargetKinds } from './targets.js';
import { MODEL_OPS, WORKLOAD_MODELS, checkScriptValue, defaultMix } from './workload-ops.js';
import { didYouMean } from './suggest.js';
import { scenarioErrorMap } from './messages.js';
import { checkQuorumEngine, quorumEngineSchema, resolveQuorum } from './quorum-schema.js';
import { swarmSchema } from '../sweep/swarm-schema.js';
import { capacitySchema, classesSchema, loadShapeSchema, SERVICE_EXTRA_KEYS } from './capacity-schema.js';
import { alertsSchema, clientPolicySchema, routingSchema } from './traffic-schema.js';
import { backupSchema, checkBackups, checkRunbook, restoreAction, restoreFieldSchema, runbookSchema } from './backup-schema.js';
import type {
  AsyncEngineSpec,
  ClockSpec,
  Expectation,
  FaultAction,
  FaultSpec,
  LinkOverride,
  LinkSpec,
  ModuleEngineSpec,
  RaftEngineSpec,
  RaftPlacement,
  RegionSpec,
  Scenario,
  ScriptOp,
  SyncEngineSpec,
  WorkloadSpec,
} from './types.js';

/** Region names: they become the first half of node ids, so no `/`. */
const REGION_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const regionName = z
  .string()
  .regex(REGION_NAME_RE, { error: 'a region name uses lowercase letters, digits, "-" and "_"' })
  .describe('region name, e.g. us-east');

/** A region reference (checked against `regions` after parsing). */
const regionRef = z.string().min(1).describe('a region declared under `regions`');
/** A region, node `REGION/INDEX` or `REGION/*` reference. */
const targetRef = z.string().min(1).describe('a region, a node `REGION/INDEX`, or `REGION/*` for all nodes of a region');

export const DISTRIBUTIONS = ['constant', 'uniform', 'normal', 'lognormal', 'pareto', 'exponential'] as const;
const distribution = z
  .enum(DISTRIBUTIONS)
  .describe('shape of the delay around `latency`, spread by `jitter` (pareto and exponential: a floor at `latency` plus a tail of scale `jitter`; exponential with `latency: 0us` has mean `jitter`)');

// ---------------------------------------------------------------------------- clocks

const clockSchema = strict({
  offset: duration({ negative: true })
    .prefault('0s')
    .describe('how far this clock is ahead (positive) or behind (negative) true time, e.g. -5s'),
  drift_ppm: z
    .number()
    .min(-999_999)
    .max(1_000_000)
    .default(0)
    .describe('clock rate error in parts per million; 20 gains 20 us per second'),
})
  .transform((c): ClockSpec => ({ offset_us: c.offset, drift_ppm: c.drift_ppm }))
  .describe('a clock: offset from true time and drift');

// ---------------------------------------------------------------------------- regions

const regionSchema = strict({
  nodes: z.int().min(1).max(1000).describe('number of replicas (nodes) in the region, at least 1'),
  clock: clockSchema.prefault({}).describe('clock of every node in the region (default: exact)'),
  capacity: capacitySchema.optional().describe('capacity of each node in the region (overrides the top-level capacity; default: infinite)'),
})
  .transform((r): RegionSpec => (r.capacity ? { nodes: r.nodes, clock: r.clock, capacity: r.capacity } : { nodes: r.nodes, clock: r.clock }))
  .describe('a region: its nodes and their clock');

// ---------------------------------------------------------------------------- network

function linkSchema(latency: string, jitter: string, where: string) {
  return strict({
    latency: duration().prefault(latency).describe(`one-way delay ${where} (a round trip takes twice this)`),
    jitter: duration().prefault(jitter).describe('spread of the delay around `latency`'),
    distribution: distribution.default('uniform'),
    loss: probability().default(0).describe('probability that a message is dropped, in [0, 1]'),
    duplicate: probability().default(0).describe('probability that a message is delivered twice, in [0, 1]'),
    reorder: z.boolean().default(false).describe('false: the link is FIFO; true: messages may overtake each other'),
  }).transform(
    (l): LinkSpec => ({
      latency_us: l.latency,
      jitter_us: l.jitter,
      distribution: l.distribution,
      loss: l.loss,
      duplicate: l.duplicate,
      reorder: l.reorder,
    }),
  );
}

const linkOverrideSchema = strict({
  between: z
    .tuple([regionRef, regionRef])
    .describe('the two regions this entry applies to (both directions unless one_way)'),
  one_way: z.boolean().default(false).describe('true: applies only from the first region to the second'),
  latency: duration().optional().describe('one-way delay (a round trip takes twice this)'),
  jitter: duration().optional().describe('spread of the delay around `latency`'),
  distribution: distribution.optional(),
  loss: probability().optional().describe('probability that a message is dropped, in [0, 1]'),
  duplicate: probability().optional().describe('probability that a message is delivered twice, in [0, 1]'),
  reorder: z.boolean().optional().describe('true: messages may overtake each other'),
})
  .transform((l): LinkOverride => {
    const o: LinkOverride = { between: [l.between[0], l.between[1]], one_way: l.one_way };
    if (l.latency !== undefined) o.latency_us = l.latency;
    if (l.jitter !== undefined) o.jitter_us = l.jitter;
    if (l.distribution !== undefined) o.distribution = l.distribution;
    if (l.loss !== undefined) o.loss = l.loss;
    if (l.duplicate !== undefined) o.duplicate = l.duplicate;
    if (l.reorder !== undefined) o.reorder = l.reorder;
    return o;
  })
  .describe('settings for one pair of regions, overriding inter_region; for each direction the last matching entry wins');

const networkSchema = strict({
  intra_region: linkSchema('500us', '100us', 'between nodes of one region')
    .prefault({})
    .describe('links between nodes of the same region'),
  inter_region: linkSchema('50ms', '5ms', 'between regions')
    .prefault({})
    .describe('default links between regions'),
  links: z.array(linkOverrideSchema).prefault([]).describe('per-pair overrides of inter_region'),
}).describe('network links: latency, jitter, loss, duplication, reordering');

// ---------------------------------------------------------------------------- engines

const asyncEngineSchema = strict({
  type: z.literal('async').describe('asynchronous replication: accept locally, replicate in the background'),
  conflict: z
    .enum(['lww', 'version-vector', 'crdt'])
    .default('lww')
    .describe('conflict resolution: last-writer-wins, version vectors (siblings), or CRDTs'),
  timestamps: z.enum(['physical', 'hybrid']).default('physical').describe('LWW timestamps: physical clock or hybrid logical clock'),
  register: z.enum(['lww', 'mv']).default('lww').describe('register CRDT for conflict: crdt: LWW register or multi-value register'),
  queue_limit: z
    .int()
    .min(1)
    .optional()
    .describe('max changes queued per peer before writes are refused; unset: no limit (the backlog is a change log, as a binlog or hints)'),
  batch: z.int().min(1).default(100).describe('max changes sent per replication message'),
  flush_interval: duration({ positive: true }).prefault('10ms').describe('how often queued changes are sent'),
  durable_queue: z.boolean().default(false).describe('false: queued changes die with a crashed node; true: they survive'),
  coalesce: z
    .boolean()
    .default(false)
    .describe('true: a queue keeps only the newest unsent change per key (lww and counter rules), as state-shipping systems do'),
  ownership: z.enum(['none', 'home']).default('none').describe('none: any region accepts any key; home: each key is written in its home region'),
  homes: z
    .record(z.string().min(1), regionRef)
    .prefault({})
    .describe('with ownership: home, key prefix → home region; other keys are hashed to a region'),
})
  .transform(
    (e): AsyncEngineSpec => ({
      type: 'async',
      conflict: e.conflict,
      timestamps: e.timestamps,
      register: e.register,
      queue_limit: e.queue_limit ?? 0,
      batch: e.batch,
      flush_interval_us: e.flush_interval,
      durable_queue: e.durable_queue,
      coalesce: e.coalesce,
      ownership: e.ownership,
      homes: e.homes,
    }),
  )
  .describe('async engine settings');

const syncEngineSchema = strict({
  type: z.literal('sync').describe('synchronous replication: a write commits on every copy (two-phase commit)'),
  on_failure: z
    .enum(['pause', 'witness', 'split-brain'])
    .default('pause')
    .describe('when a copy is unreachable: pause writes, let the side with the witness go on, or let both sides go on'),
  witness: regionRef.optional().describe('the witness region, required with on_failure: witness'),
  remove_after: duration({ positive: true })
    .optional()
    .describe('how long an unreachable copy may stall commits before it is taken out of scope (default: never)'),
  lock_timeout: duration({ positive: true }).prefault('1s').describe('how long a transaction waits for a lock'),
  prepare_timeout: duration({ positive: true }).prefault('1s').describe('how long the coordinator waits for prepare votes'),
  recovery: z
    .enum(['queue-drain', 'online-copy'])
    .default('queue-drain')
    .describe('how a returning copy catches up: replay the queued changes or copy the data online'),
})
  .transform((e): SyncEngineSpec => {
    const o: SyncEngineSpec = {
      type: 'sync',
      on_failure: e.on_failure,
      lock_timeout_us: e.lock_timeout,
      prepare_timeout_us: e.prepare_timeout,
      recovery: e.recovery,
    };
    if (e.witness !== undefined) o.witness = e.witness;
    if (e.remove_after !== undefined) o.remove_after_us = e.remove_after;
    return o;
  })
  .describe('sync engine settings');

const placementSchema = z
  .union(
    [
      z.literal('spread').describe('spread the replicas of each range over the regions'),
      strict({ home: regionRef.describe('region holding a majority of each range') }),
      strict({ leaders: regionRef.describe('region preferred for leaders and leaseholders') }),
    ],
    { error: (iss) => (iss.code === 'invalid_union' ? 'expected spread, { home: REGION } or { leaders: REGION }' : undefined) },
  )
  .transform((p): RaftPlacement => {
    if (p === 'spread') return { kind: 'spread' };
    if ('home' in p) return { kind: 'home', region: p.home };
    return { kind: 'leaders', region: p.leaders };
  })
  .describe('replica placement: spread, { home: REGION } (a majority there) or { leaders: REGION } (leaders there)');

const raftEngineSchema = strict({
  type: z.literal('raft').describe('consensus replication: ranges of keys, each a Raft group'),
  ranges: z.int().min(1).max(100_000).default(16).describe('number of ranges (Raft groups) the keys are split into'),
  replication_factor: z.literal([3, 5]).default(3).describe('replicas per range: 3 or 5'),
  placement: placementSchema.prefault('spread'),
  reads: z
    .enum(['lease', 'read-index', 'follower'])
    .default('lease')
    .describe('how reads are served: by the leaseholder, via read-index, or by any follower (may be stale)'),
  election_timeout: duration({ positive: true }).prefault('1s').describe('follower timeout before calling an election'),
  heartbeat: duration({ positive: true }).prefault('100ms').describe('leader heartbeat interval'),
  lease: duration({ positive: true }).prefault('2s').describe('leaseholder lease duration'),
  prevote: z.boolean().default(true).describe('pre-vote before elections (avoids disruption by a rejoining node)'),
  check_quorum: z.boolean().default(true).describe('a leader steps down when it cannot reach a quorum'),
  quiesce: z
    .boolean()
    .default(true)
    .describe('true: idle ranges stop heartbeating and ticking, one liveness message per node pair tells their followers the leader node is up, and what a step sends to one peer node travels as one message (CockroachDB-style); false: every range heartbeats'),
})
  .transform(
    (e): RaftEngineSpec => ({
      type: 'raft',
      ranges: e.ranges,
      replication_factor: e.replication_factor,
      placement: e.placement,
      reads: e.reads,
      election_timeout_us: e.election_timeout,
      heartbeat_us: e.heartbeat,
      lease_us: e.lease,
      prevote: e.prevote,
      check_quorum: e.check_quorum,
      quiesce: e.quiesce,
    }),
  )
  .describe('raft engine settings');

const moduleEngineSchema = strict({
  type: z.literal('module').describe('your own engine, loaded from a JavaScript module (docs/14-write-your-own-engine.md)'),
  path: z
    .string()
    .min(1)
    .describe('the module file, relative to the scenario file; its default export is a factory (config) => Engine'),
  settings: z
    .record(z.string(), z.unknown())
    .prefault({})
    .describe('the engine’s own settings (config.settings), validated by the module’s `settings` export (a zod schema) when it has one'),
  single_copy: z
    .boolean()
    .default(false)
    .describe('true: the engine promises one logical copy per key (leader-based), so two sides accepting writes is split brain'),
})
  .transform(
    (e): ModuleEngineSpec => ({ type: 'module', path: e.path, path_as_written: e.path, settings: e.settings, single_copy: e.single_copy }),
  )
  .describe('module engine settings');

const engineSchema = z
  .discriminatedUnion('type', [asyncEngineSchema, syncEngineSchema, raftEngineSchema, quorumEngineSchema, moduleEngineSchema])
  .describe('the replication engine: `type` (async | sync | raft | quorum | module) and that engine’s settings');

// ---------------------------------------------------------------------------- workload

const clientGroupSchema = strict({
  count: z.int().min(1).max(10_000).default(1).describe('number of clients in the region'),
  rate: rate().describe('operations per second per client, e.g. 50/s or 3000/m; 0/s runs only the script'),
}).describe('the clients of one region');

const scriptOpSchema = strict({
  at: duration().describe('when the operation is invoked (exactly)'),
  client: z.string().min(1).describe('client id REGION/INDEX'),
  op: z.string().min(1).describe('operation, valid for the model (e.g. read, write, cas)'),
  key: z
    .union([z.string().min(1), z.number()], { error: (iss) => (iss.code === 'invalid_union' ? 'expected a key name' : undefined) })
    .transform((k) => String(k))
    .describe('the key'),
  value: z
    .unknown()
    .optional()
    .describe('the value: write/add/remove a value, cas [old, new], reserve a quantity or { qty, order? }, restock a quantity'),
}).describe('one scripted operation');

const workloadSchema = strict({
  model: z.enum(WORKLOAD_MODELS).default('register').describe('data model: register | counter | set | inventory'),
  keys: z.int().min(1).max(100_000_000).default(100).describe('number of distinct keys'),
  key_distribution: z.enum(['uniform', 'zipf', 'hot']).default('uniform').describe('how keys are drawn'),
  zipf_s: z.number().gt(0).max(10).default(1.1).describe('zipf exponent (key_distribution: zipf)'),
  hot_fraction: z.number().gt(0).max(1).default(0.1).describe('fraction of keys that are hot (key_distribution: hot)'),
  clients: z.record(regionRef, clientGroupSchema).prefault({}).describe('region → { count, rate }'),
  mix: z
    .record(z.string().min(1), z.number().min(0).describe('relative weight'))
    .optional()
    .describe('operation → weight; ops per model: register read/write/cas, counter read/add, set read/add/remove, inventory read/reserve/restock'),
  read_from: z
    .enum(['local', 'leader', 'quorum'])
    .default('local')
    .describe(
      "where async reads are served: the client's node, the key's owner, or a majority of replicas (sync reads are always current; raft uses engine.reads)",
    ),
  sessions: z.enum(['sticky', 'none']).default('none').describe('sticky: clients keep to one node and session guarantees are checked'),
  timeout: duration({ positive: true }).prefault('2s').describe('client operation timeout (then the outcome is unknown)'),
  failover: strict({
    detect: duration({ positive: true }).describe('how long until a client notices its home region is unreachable'),
    dns_ttl: duration().describe('how long until the client is redirected to the nearest healthy region'),
  })
    .optional()
    .describe('client failover to the nearest healthy region'),
  script: z.array(scriptOpSchema).prefault([]).describe('exact operations, in addition to the generated ones'),
  classes: classesSchema.optional(),
  load: loadShapeSchema.optional(),
})
  .superRefine((w, ctx) => {
    const ops = MODEL_OPS[w.model];
    if (w.mix) {
      let total = 0;
      for (const [op, weight] of Object.entries(w.mix)) {
        total += weight;
        if (!ops.includes(op)) {
          ctx.addIssue({
            code: 'custom',
            continue: false,
            path: ['mix', op],
            message: `"${op}" is not an operation of the ${w.model} model${didYouMean(op, ops)}; expected ${ops.join(' | ')}`,
            params: { at: 'key' },
          });
        }
      }
      if (total <= 0) ctx.addIssue({ code: 'custom', continue: false, path: ['mix'], message: 'the weights must not all be zero' });
    }
    w.script.forEach((s, i) => {
      if (!ops.includes(s.op)) {
        ctx.addIssue({
          code: 'custom',
          continue: false,
          path: ['script', i, 'op'],
          message: `"${s.op}" is not an operation of the ${w.model} model${didYouMean(s.op, ops)}; expected ${ops.join(' | ')}`,
        });
        return;
      }
      const v = checkScriptValue(w.model, s.op, s.value);
      if (!v.ok) ctx.addIssue({ code: 'custom', continue: false, path: ['script', i, s.value === undefined ? 'op' : 'value'], message: v.error });
    });
  })
  .transform((w): WorkloadSpec => {
    const o: WorkloadSpec = {
      model: w.model,
      keys: w.keys,
      key_distribution: w.key_distribution,
      zipf_s: w.zipf_s,
      hot_fraction: w.hot_fraction,
      clients: Object.fromEntries(Object.entries(w.clients).map(([r, c]) => [r, { count: c.count, rate_per_s: c.rate }])),
      mix: w.mix ?? defaultMix(w.model),
      read_from: w.read_from,
      sessions: w.sessions,
      timeout_us: w.timeout,
      script: w.script.map((s): ScriptOp => {
        const op: ScriptOp = { at_us: s.at, client: s.client, op: s.op, key: s.key };
        const v = checkScriptValue(w.model, s.op, s.value);
        if (v.ok && v.value !== undefined) op.value = v.value;
        return op;
      }),
    };
    if (w.failover) o.failover = { detect_us: w.failover.detect, dns_ttl_us: w.failover.dns_ttl };
    if (w.classes) o.classes = w.classes;
    if (w.load) o.load = w.load;
    return o;
  })
  .describe('the client workload: data model, keys, clients, operation mix, script');

// ---------------------------------------------------------------------------- faults

/** Fault kinds that `chaos` may draw. */
export const CHAOS_KINDS = ['partition', 'isolate', 'one_way', 'crash', 'clock', 'slow'] as const;

/** The action keys of a fault entry; exactly one per entry. */
export const FAULT_ACTIONS = [
  'partition',
  'isolate',
  'one_way',
  'heal',
  'crash',
  'restart',
  'clock',
  'slow',
  'remove',
  'rejoin',
  'chaos',
  'repair',
  'restore',
] as const;

const faultSchema = strict({
  at: duration().describe('when the fault starts'),
  for: duration({ positive: true }).optional().describe('how long until the fault ends by itself (default: until healed or the end)'),
  partition: z
    .array(z.array(targetRef).min(1).describe('one side: regions and/or nodes'))
    .min(1)
    .optional()
    .describe('groups that can talk only among themselves; unlisted regions form their own group'),
  isolate: targetRef.optional().describe('cut a region or node off from everything else'),
  one_way: strict({
    from: targetRef.describe('sender side'),
    to: targetRef.describe('receiver side'),
  })
    .optional()
    .describe('drop messages from `from` to `to` only'),
  heal: z.literal([true, 'all']).optional().describe('end every network fault (heal: true or heal: all)'),
  crash: targetRef.optional().describe('crash a node, or every node of a region (REGION or REGION/*)'),
  lose_volatile: z.boolean().optional().describe('with crash: the node also loses what it had not made durable (default false)'),
  restart: targetRef.optional().describe('restart a crashed node or region'),
  clock: strict({
    node: targetRef.describe('node (REGION/INDEX), REGION/* or region'),
    offset: duration({ negative: true }).optional().describe('new clock offset, e.g. -5s'),
    drift_ppm: z.number().min(-999_999).max(1_000_000).optional().describe('new clock drift in ppm'),
  })
    .optional()
    .describe('change a clock: { node, offset } or { node, drift_ppm }'),
  slow: strict({
    between: z.tuple([regionRef, regionRef]).describe('the two regions'),
    latency: duration().describe('one-way delay while the fault lasts'),
  })
    .optional()
    .describe('raise the latency between two regions'),
  remove: targetRef.optional().describe('operator takes a node or region out of the replication scope'),
  rejoin: targetRef.optional().describe('operator brings a node or region back into the replication scope'),
  repair: targetRef
    .optional()
    .describe('operator runs anti-entropy repair on a node or every node of a region (quorum engine: Merkle-tree comparison with the other replicas; other engines ignore it)'),
  chaos: strict({
    seed_stream: z
      .string()
      .min(1)
      .default('faults')
      .describe('name of the random stream the faults are drawn from: another name, another fault plan (the workload is unchanged)'),
    rate: rate().describe('faults per unit of time, e.g. 6/m'),
    kinds: z
      .array(z.enum(CHAOS_KINDS))
      .min(1)
      .prefault([...CHAOS_KINDS])
      .describe('which kinds of fault to draw; `partition` splits the regions (the nodes, with one region) into two random sides, `isolate` cuts one region from the rest'),
  })
    .optional()
    .describe('random faults drawn from a seeded stream'),
  restore: restoreFieldSchema.optional(),
})
  .superRefine((f, ctx) => {
    const present = FAULT_ACTIONS.filter((k) => f[k] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({ code: 'custom', continue: false, path: [], message: `a fault needs one of ${FAULT_ACTIONS.join(', ')}` });
    } else if (present.length > 1) {
      ctx.addIssue({
        code: 'custom',
        continue: false,
        path: [present[1] ?? ''],
        message: `a fault has one action, got ${present.join(' and ')}; use one list entry per action`,
        params: { at: 'key' },
      });
    }
    if (f.lose_volatile !== undefined && f.crash === undefined) {
      ctx.addIssue({ code: 'custom', continue: false, path: ['lose_volatile'], message: 'lose_volatile applies only to crash', params: { at: 'key' } });
    }
    if (f.heal !== undefined && f.for !== undefined) {
      ctx.addIssue({ code: 'custom', continue: false, path: ['for'], message: 'heal takes no `for`', params: { at: 'key' } });
    }
    if (f.clock && f.clock.offset === undefined && f.clock.drift_ppm === undefined) {
      ctx.addIssue({ code: 'custom', continue: false, path: ['clock'], message: 'clock needs offset or drift_ppm' });
    }
  })
  .transform((f): FaultSpec => {
    const o: FaultSpec = { at_us: f.at, action: faultAction(f) };
    if (f.for !== undefined) o.for_us = f.for;
    return o;
  })
  .describe('one fault: `at`, one action, optionally `for`');

function faultAction(f: {
  partition?: string[][] | undefined;
  isolate?: string | undefined;
  one_way?: { from: string; to: string } | undefined;
  heal?: true | 'all' | undefined;
  crash?: string | undefined;
  lose_volatile?: boolean | undefined;
  restart?: string | undefined;
  clock?: { node: string; offset?: Micros | undefined; drift_ppm?: number | undefined } | undefined;
  slow?: { between: [string, string]; latency: Micros } | undefined;
  remove?: string | undefined;
  rejoin?: string | undefined;
  repair?: string | undefined;
  chaos?: { seed_stream: string; rate: number; kinds: string[] } | undefined;
  restore?: Parameters<typeof restoreAction>[0] | undefined;
}): FaultAction {
  if (f.partition) return { kind: 'partition', groups: f.partition };
  if (f.isolate !== undefined) return { kind: 'isolate', target: f.isolate };
  if (f.one_way) return { kind: 'one_way', from: f.one_way.from, to: f.one_way.to };
  if (f.heal !== undefined) return { kind: 'heal' };
  if (f.crash !== undefined) return { kind: 'crash', target: f.crash, lose_volatile: f.lose_volatile ?? false };
  if (f.restart !== undefined) return { kind: 'restart', target: f.restart };
  if (f.clock) {
    const c: FaultAction = { kind: 'clock', node: f.clock.node };
    if (f.clock.offset !== undefined) c.offset_us = f.clock.offset;
    if (f.clock.drift_ppm !== undefined) c.drift_ppm = f.clock.drift_ppm;
    return c;
  }
  if (f.slow) return { kind: 'slow', between: [f.slow.between[0], f.slow.between[1]], latency_us: f.slow.latency };
  if (f.remove !== undefined) return { kind: 'remove', target: f.remove };
  if (f.rejoin !== undefined) return { kind: 'rejoin', target: f.rejoin };
  if (f.repair !== undefined) return { kind: 'repair', target: f.repair };
  if (f.chaos) return { kind: 'chaos', seed_stream: f.chaos.seed_stream, rate_per_s: f.chaos.rate, kinds: f.chaos.kinds };
  if (f.restore) return restoreAction(f.restore);
  // Unreachable after the superRefine above; heal is the harmless reading.
  return { kind: 'heal' };
}

// ---------------------------------------------------------------------------- expect, limits

const expectSchema = z
  .record(
    z.string().min(1),
    z
      .union([z.number(), z.string()], {
        error: (iss) =>
          iss.code === 'invalid_union' ? 'expected a number or a comparison such as ">= 1", "<= 0.5", "== 3", "> 0", "< 2"' : undefined,
      })
      .describe('a number (exact) or a comparison: ">= 1", "<= 0.5", "== 3", "> 0", "< 2"'),
  )
  .transform((rec, ctx): Expectation[] => {
    const out: Expectation[] = [];
    let issues = 0;
    for (const [name, v] of Object.entries(rec)) {
      // The loader reports at most MAX_ERRORS errors, and these come in file order.
      if (issues >= MAX_ERRORS) break;
      const bad = expectNameError(name);
      if (bad) {
        ctx.addIssue({ code: 'custom', path: [name], message: bad, params: { at: 'key' }, input: name });
        issues++;
        continue;
      }
      const c = parseComparison(v);
      if (!c.ok) {
        ctx.addIssue({ code: 'custom', path: [name], message: c.error, input: v });
        issues++;
        continue;
      }
      out.push({ name, op: c.op, value: c.value, want: c.want });
    }
    return out;
  })
  .describe(
    "checked after the run (unmet → exit code 1): an anomaly name (its count) or a metric path (availability, latency_ms.write.p99, availability_by_region.REGION, rto_ms_by_region.REGION, or engine.NAME: a metric the scenario's engine reports, checked when the file is validated) → a number or a comparison",
  );

// Defaults (limit-defaults.ts) sit far above what the built-in scenarios use and far below
// what exhausts a machine: a run that would grow without bound stops cleanly with the limit
// named instead of dying of V8 out-of-memory.
const limitsSchema = strict({
  max_events: z.int().min(1).default(50_000_000).describe('stop the run after this many events'),
  max_history: z.int().min(1).default(20_000_000).describe('stop the run after this many history records'),
  max_queue: z.int().min(1).default(5_000_000).describe('stop the run when this many events are pending'),
  max_history_bytes: z
    .int()
    .min(1)
    .default(LIMIT_DEFAULTS.max_history_bytes)
    .describe('stop the run once the history (JSON lines) exceeds this many bytes'),
  max_value_bytes: z
    .int()
    .min(1)
    .default(LIMIT_DEFAULTS.max_value_bytes)
    .describe('stop the run when one history record (a value read, applied or in a final state) exceeds this many bytes'),
  max_state_bytes: z
    .int()
    .min(1)
    .default(LIMIT_DEFAULTS.max_state_bytes)
    .describe("stop the run when the replicas' state (the last value applied per node and key, as JSON) exceeds this many bytes"),
  max_heap_mb: z
    .int()
    .min(1)
    .default(LIMIT_DEFAULTS.max_heap_mb)
    .describe("stop the run when the JavaScript heap exceeds this many MiB (replsim run only; at most 80% of V8's own limit)"),
}).describe('run limits (replsim extension): a run that exceeds one stops with the limit named');

// ---------------------------------------------------------------------------- scenario

const scenarioObject = strict({
  version: z.literal(1).default(1).describe('format version; 1'),
  name: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: (iss) => `a name uses lowercase letters, digits and "-", got ${JSON.stringify(iss.input)}` })
    .describe('scenario name: lowercase letters, digits and "-"'),
  description: z.string().default('').describe('one or two sentences: what the scenario shows'),
  seed: z.int().min(0).default(1).describe('seed of every random stream (--seed overrides)'),
  duration: duration({ positive: true }).describe('how long clients issue operations, e.g. 30s'),
  settle: duration()
    .prefault('10s')
    .describe('after duration: faults heal, clients stop, replication drains; then the final state is read'),
  regions: z
    .record(regionName, regionSchema)
    .refine((r) => Object.keys(r).length >= 1, { error: 'at least one region is required', abort: true })
    .describe('region name → { nodes, clock }'),
  clocks: z
    .record(z.string().min(1).describe('node id REGION/INDEX or REGION/*'), clockSchema)
    .prefault({})
    .describe('per-node clock overrides: node id → { offset, drift_ppm }'),
  network: networkSchema.prefault({}),
  engine: engineSchema,
  workload: workloadSchema.prefault({}),
  faults: z.array(faultSchema).prefault([]).describe('scripted faults, each at a time'),
  backup: backupSchema.optional(),
  runbook: runbookSchema.optional(),
  expect: expectSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  // Read by `replsim sweep --swarm` only (src/sweep); a plain run ignores it.
  swarm: swarmSchema.optional().describe('random fault plans and settings for `replsim sweep --swarm`: each seed draws its own'),
  capacity: capacitySchema.optional().describe("every node's capacity, unless its region sets its own (default: infinite)"),
  routing: routingSchema.optional(),
  client: clientPolicySchema.optional(),
  alerts: alertsSchema.optional(),
});

type ScenarioObject = z.output<typeof scenarioObject>;
type Path = (string | number)[];
type Issue = (path: Path, message: string, at?: 'key') => void;

/** The sections of a scenario that validated; references are checked among these only. */
type Sections = Partial<ScenarioObject> & Pick<ScenarioObject, 'regions'> & { backupBroken?: boolean };

/**
 * References between sections: every region and node named must exist, every `expect` name
 * must be one the run will report. Each check runs when the sections it needs validated, so a
 * file with schema errors elsewhere still gets these errors in the same pass.
 */
function checkReferences(s: Sections, add: Issue): void {
  const regions: RegionSizes = s.regions;
  const regionNames = Object.keys(regions);
  const region = (name: string, path: Path, at?: 'key') => {
    const bad = regionError(name, regions);
    if (bad) add(path, bad, at);
  };
  const target = (ref: string, path: Path, kinds: TargetKinds = ANY_TARGET, at?: 'key') => {
    const bad = targetError(ref, regions, kinds);
    if (bad) add(path, bad, at);
  };

  for (const node of Object.keys(s.clocks ?? {})) target(node, ['clocks', node], { node: true, wildcard: true }, 'key');

  s.network?.links.forEach((l, i) => {
    region(l.between[0], ['network', 'links', i, 'between', 0]);
    region(l.between[1], ['network', 'links', i, 'between', 1]);
    if (l.between[0] === l.between[1]) {
      add(['network', 'links', i, 'between'], 'a link joins two different regions; use intra_region for links inside a region');
    }
  });

  if (s.engine) checkEngine(s.engine, regions, add);
  if (s.engine?.type === 'quorum') {
    // Regions whose clients need a coordinator with local replicas (LOCAL_* levels); unknown
    // when the workload section did not validate.
    const clientRegions = s.workload
      ? [...Object.keys(s.workload.clients), ...s.workload.script.map((op) => op.client.slice(0, Math.max(0, op.client.lastIndexOf('/'))))]
      : undefined;
    checkQuorumEngine(s.engine, regions, clientRegions, add);
  }

  const model = s.workload?.model;
  if (model) {
    const known = [...MODEL_OPS[model], ...SERVICE_EXTRA_KEYS];
    const checkService = (c: { service: Record<string, unknown> } | undefined, base: Path) => {
      for (const k of Object.keys(c?.service ?? {})) {
        if (!known.includes(k)) add([...base, 'service', k], `"${k}" is not an operation of the ${model} model${didYouMean(k, known)}; expected ${known.join(' | ')}`, 'key');
      }
    };
    checkService(s.capacity, ['capacity']);
    for (const [name, r] of Object.entries(s.regions)) checkService(r.capacity, ['regions', name, 'capacity']);
  }

  const duration = s.duration;
  for (const r of Object.keys(s.workload?.clients ?? {})) region(r, ['workload', 'clients', r], 'key');
  s.workload?.script.forEach((op, i) => {
    const bad = clientError(op.client, regions);
    if (bad) add(['workload', 'script', i, 'client'], bad);
    if (duration !== undefined && op.at_us > duration) {
      add(['workload', 'script', i, 'at'], `is after the end of duration (${duration / 1e6}s): clients stop then`);
    }
  });

  s.faults?.forEach((f, i) => {
    const base: Path = ['faults', i];
    if (duration !== undefined && f.at_us > duration) add([...base, 'at'], `is after the end of duration (${duration / 1e6}s): faults heal then`);
    checkFault(f.action, base, regions, add, target, region);
  });

  for (const a of s.alerts ?? []) if (a.region !== undefined) region(a.region, ['alerts', a.name, 'region']);
  if (s.routing && s.workload?.failover) {
    add(['routing'], 'routing replaces workload.failover: use one or the other', 'key');
  }
  // a broken `backup` section has its own errors: restores are not also told it is missing
  if (!s.backupBroken) checkBackups(s.backup, s.faults, regions, add, target, region);
  if (!s.backupBroken) checkRunbook(s.runbook, s.backup, add, target);

  const setting = s.engine ? { engine: s.engine, model: s.workload?.model, read_from: s.workload?.read_from } : undefined;
  for (const e of s.expect ?? []) {
    if (e.name.startsWith(ENGINE_METRIC_PREFIX) && !setting) continue;
    const bad = expectNameError(e.name, { regions: regionNames, ...(setting ? { setting } : {}) });
    if (bad) add(['expect', e.name], bad, 'key');
    const alert = e.name.startsWith('alert.') ? e.name.split('.')[1] : undefined;
    if (!bad && alert !== undefined && !(s.alerts ?? []).some((a) => a.name === alert)) {
      add(['expect', e.name], `no alert named ${JSON.stringify(alert)} under alerts`, 'key');
    }
  }
}

/**
 * Reference errors of a scenario whose schema check failed: each top-level section without a
 * schema issue is validated alone, and the references among those are checked, so one run of
 * `validate` reports an unknown region in a fault beside a type error elsewhere. Returns issues
 * shaped as the schema's (the loader locates them the same way).
 */
export function referenceIssues(data: unknown, schemaIssues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const broken = new Set(schemaIssues.map((i) => i.path[0]).filter((k) => k !== undefined));
  const input = data as Record<string, unknown>;
  const shape = scenarioObject.shape;
  const ok: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    let value = Object.hasOwn(input, key) ? input[key] : undefined;
    if (broken.has(key)) {
      // `expect` entries stand alone: the names without a schema issue are still checked.
      if (key !== 'expect' || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const bad = new Set(schemaIssues.filter((i) => i.path[0] === 'expect').map((i) => i.path[1]));
      if (bad.has(undefined)) continue;
      value = Object.fromEntries(Object.entries(value).filter(([k]) => !bad.has(k)));
    }
    const r = shape[key].safeParse(value, SCENARIO_PARSE_OPTIONS);
    if (r.success) ok[key] = r.data;
  }
  if (ok.regions === undefined) return [];
  if (broken.has('backup')) ok['backupBroken'] = true;
  const out: z.core.$ZodIssue[] = [];
  checkReferences(ok as unknown as Sections, (path, message, at) => {
    out.push({ code: 'custom', path, message, input: undefined, ...(at ? { params: { at } } : {}) } as z.core.$ZodIssue);
  });
  return out;
}

/** A script client is `REGION/INDEX` of a declared region (any index: clients are not nodes). */
function clientError(client: string, regions: RegionSizes): string | undefined {
  const slash = client.lastIndexOf('/');
  if (slash < 0 || !/^\d+$/.test(client.slice(slash + 1))) {
    return `expected a client id REGION/INDEX, e.g. ${Object.keys(regions)[0] ?? 'us-east'}/0, got "${client}"`;
  }
  return regionError(client.slice(0, slash), regions);
}

function checkEngine(e: ScenarioObject['engine'], regions: RegionSizes, add: Issue): void {
  const totalNodes = Object.values(regions).reduce((n, r) => n + r.nodes, 0);
  switch (e.type) {
    case 'async':
      for (const [prefix, r] of Object.entries(e.homes)) {
        const bad = regionError(r, regions);
        if (bad) add(['engine', 'homes', prefix], bad);
      }
      if (e.ownership !== 'home' && Object.keys(e.homes).length > 0) {
        add(['engine', 'homes'], 'homes applies only with ownership: home', 'key');
      }
      if (e.register === 'mv' && e.conflict !== 'crdt') {
        add(['engine', 'register'], 'register: mv applies only with conflict: crdt');
      }
      return;
    case 'sync':
      if (e.on_failure === 'witness' && e.witness === undefined) {
        add(['engine', 'on_failure'], 'on_failure: witness needs a `witness` region');
      }
      if (e.witness !== undefined) {
        if (e.on_failure !== 'witness') add(['engine', 'witness'], 'witness applies only with on_failure: witness', 'key');
        const bad = regionError(e.witness, regions);
        if (bad) add(['engine', 'witness'], bad);
      }
      return;
    case 'quorum':
      return; // checkQuorumEngine, with the clients' regions
    case 'raft': {
      const rf = e.replication_factor;
      if (totalNodes < rf) {
        add(['engine', 'replication_factor'], `replication_factor ${rf} needs at least ${rf} nodes; the regions have ${totalNodes}`);
      }
      const p = e.placement;
      if (p.kind !== 'spread') {
        const path: Path = ['engine', 'placement', p.kind];
        const bad = regionError(p.region, regions);
        if (bad) add(path, bad);
        const majority = Math.floor(rf / 2) + 1;
        const have = regions[p.region]?.nodes ?? 0;
        if (!bad && p.kind === 'home' && have < majority) {
          add(path, `placement home needs ${majority} nodes in ${p.region} (a majority of ${rf}); it has ${have}`);
        }
      }
      return;
    }
    case 'module':
      return; // its settings are checked against the module's own schema once it is loaded
    default: {
      const never: never = e;
      return never;
    }
  }
}

function checkFault(
  a: FaultAction,
  base: Path,
  regions: RegionSizes,
  add: Issue,
  target: (ref: string, path: Path, kinds?: TargetKinds) => void,
  region: (name: string, path: Path) => void,
): void {
  switch (a.kind) {
    case 'partition': {
      const owner = new Map<string, number>();
      a.groups.forEach((g, gi) =>
        g.forEach((ref, j) => {
          const path = [...base, 'partition', gi, j];
          const bad = targetError(ref, regions);
          if (bad) {
            add(path, bad);
            return;
          }
          for (const node of expandTarget(ref.includes('/') ? ref : `${ref}/*`, regions)) {
            const prev = owner.get(node);
            if (prev !== undefined && prev !== gi) {
              add(path, `${node} is already in group ${prev + 1}; a node can be on one side only`);
              return;
            }
            owner.set(node, gi);
          }
        }),
      );
      return;
    }
    case 'isolate':
    case 'crash':
    case 'restart':
    case 'remove':
    case 'rejoin':
    case 'repair':
      target(a.target, [...base, a.kind]);
      return;
    case 'one_way':
      target(a.from, [...base, 'one_way', 'from']);
      target(a.to, [...base, 'one_way', 'to']);
      return;
    case 'clock':
      target(a.node, [...base, 'clock', 'node']);
      return;
    case 'slow':
      region(a.between[0], [...base, 'slow', 'between', 0]);
      region(a.between[1], [...base, 'slow', 'between', 1]);
      return;
    case 'heal':
    case 'chaos':
    case 'restore': // checked with the backup section (backup-schema.ts)
      return;
    default: {
      const never: never = a;
      return never;
    }
  }
}

/**
 * The scenario schema: YAML-shaped input → resolved `Scenario`. Parse with
 * `scenarioSchema.safeParse(data, SCENARIO_PARSE_OPTIONS)` for the project's wording.
 */
export const scenarioSchema = scenarioObject
  .superRefine(
    (s, ctx) => {
      checkReferences(s, (path, message, at) =>
        ctx.addIssue(at ? { code: 'custom', path, message, params: { at } } : { code: 'custom', path, message }),
      );
    },
    // Only on a fully valid structure: a section with an error may not be resolved yet.
    { when: (payload) => payload.issues.length === 0 },
  )
  .transform(
    (s): Scenario => ({
      version: 1,
      name: s.name,
      description: s.description,
      seed: s.seed,
      duration_us: s.duration,
      settle_us: s.settle,
      regions: withCapacity(s.regions, s.capacity),
      clocks: s.clocks,
      network: s.network,
      engine: s.engine.type === 'quorum' ? resolveQuorum(s.engine, s.regions) : s.engine,
      workload: s.workload,
      faults: s.faults,
      ...(s.backup ? { backup: s.backup } : {}),
      ...(s.runbook ? { runbook: s.runbook } : {}),
      expect: s.expect,
      limits: s.limits,
      ...(s.routing ? { routing: s.routing } : {}),
      ...(s.client ? { client: s.client } : {}),
      ...(s.alerts ? { alerts: s.alerts } : {}),
    }),
  )
  .describe('a replsim scenario, format version 1');

/** Regions with the top-level `capacity` filled in where a region sets none (no key when neither does). */
function withCapacity(regions: Record<string, RegionSpec>, all: RegionSpec['capacity']): Record<string, RegionSpec> {
  if (!all) return regions;
  const out: Record<string, RegionSpec> = {};
  for (const [name, r] of Object.entries(regions)) out[name] = r.capacity ? r : { ...r, capacity: all };
  return out;
}

/** Options for `scenarioSchema.safeParse`: our error wording, and inputs kept for messages. */
export const SCENARIO_PARSE_OPTIONS = { error: scenarioErrorMap, reportInput: true } as const;

/** What the schema accepts (YAML as written). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

// Compile-time check: the schema's output is the resolved Scenario type.
type AssertAssignable<T extends U, U> = T;
export type _SchemaOutputIsScenario = AssertAssignable<z.output<typeof scenarioSchema>, Scenario>;
