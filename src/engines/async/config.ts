/**
 * What every step of the async engine needs besides the node's state: the resolved settings,
 * the conflict rule, the quorum-read coordinator and the rule's per-node `Env`. Built once per
 * engine (like raft's `Env`), then passed to the step functions of steps.ts.
 */
import type { AsyncEngineSpec } from '../../scenario/types.js';
import type { Ctx, EngineConfig, Topology } from '../engine.js';
import { newKeyTable, type KeyTable } from './key-table.js';
import { quorumReads, type QuorumReads } from './reads.js';
import type { Env, Rule } from './rule.js';
import { selectRule } from './rules/select.js';
import { localStamp } from './timestamp.js';
import type { AsyncMsg, AsyncState } from './types.js';

export interface AsyncCfg {
  spec: AsyncEngineSpec;
  rule: Rule<unknown, unknown>;
  /** the workload model (a restore rebuilds key states in its terms) */
  model: EngineConfig['model'];
  topology: Topology;
  /** changes per `changes` message (at least 1) */
  batch: number;
  /** deepest a destination queue may get before writes are refused (Infinity: no limit) */
  queueLimit: number;
  /** with `coalesce: true`, the rule's "newer makes older redundant" test */
  supersedes: ((newer: unknown, older: unknown) => boolean) | undefined;
  readFrom: 'local' | 'leader' | 'quorum';
  quorum: QuorumReads;
  /** key names interned for the nodes' change logs (ledger.ts; shared by the engine's nodes) */
  keys: KeyTable;
  /** The rule's view of node `s` during a step with `ctx`. */
  envOf(s: AsyncState, ctx: Ctx<AsyncMsg>): Env;
}

/**
 * Resolves an engine config. `answerRead` decides a read against a key state (the quorum
 * reads' merged copy); it is steps.ts's `readOf`, passed in to keep this file free of steps.
 */
export function asyncConfig(
  cfg: EngineConfig,
  answerRead: (c: AsyncCfg) => Parameters<typeof quorumReads>[2],
): AsyncCfg {
  if (cfg.spec.type !== 'async') throw new Error(`createAsyncEngine: spec type ${cfg.spec.type}`);
  const spec: AsyncEngineSpec = cfg.spec;
  const rule: Rule<unknown, unknown> = selectRule(spec, cfg.model, cfg.topology.nodes);
  // One Env per (state, ctx), made on first use and kept on the state: building it per
  // operation cost three allocations per client op on the hot path, and a WeakMap lookup
  // per op to find it again cost a hash probe.
  const c: AsyncCfg = {
    spec,
    rule,
    model: cfg.model,
    topology: cfg.topology,
    batch: Math.max(1, Math.floor(spec.batch) || 1),
    queueLimit: spec.queue_limit > 0 ? spec.queue_limit : Infinity,
    supersedes: spec.coalesce ? rule.supersedes?.bind(rule) : undefined,
    readFrom: cfg.read_from ?? 'local',
    quorum: undefined as unknown as QuorumReads,
    keys: newKeyTable(),
    envOf(s, ctx) {
      const cached = s.env;
      if (cached !== undefined && cached.ctx === ctx) return cached.env;
      const env: Env = {
        self: s.self,
        rank: s.rank,
        nodes: cfg.topology.nodes,
        stamp: () => localStamp(spec.timestamps, s.hlc, ctx.now(), s.rank, ++s.changeSeq),
        uid: () => `${s.self}#${++s.changeSeq}`,
      };
      s.env = { ctx, env };
      return env;
    },
  };
  c.quorum = quorumReads(rule, cfg.topology, answerRead(c));
  return c;
}
