/**
 * The async replication engine: every node is a replica of every key; a write is applied
 * locally and acknowledged at once, then shipped to every other node through a
 * per-destination change queue (see queue.ts) and merged there by the conflict rule (see
 * rule.ts). With `ownership: home`, writes are forwarded to the key's owner. Reads follow
 * `workload.read_from`: `local` (the client's node answers), `leader` (forwarded to the key's
 * owner, as writes are under `ownership: home`), `quorum` (a majority's merged state, reads.ts).
 *
 * This file only dispatches: the step functions per request, message and timer kind are in
 * steps.ts, the replica's local actions in replica.ts, a node's life (init, durable, final
 * state, metrics) in lifecycle.ts, and the resolved settings in config.ts.
 */
import type { Engine, EngineConfig, Timer } from '../engine.js';
import { asyncConfig } from './config.js';
import { durableOf, finalStateOf, initNode, metricsOf, restoreNode } from './lifecycle.js';
import { readOf } from './replica.js';
import { engineName } from './rules/select.js';
import {
  onFlush,
  onReadGiveUp,
  onRetryTimer,
  stepAck,
  stepChanges,
  stepFwd,
  stepFwdReply,
  stepRequest,
  stepRightsReq,
} from './steps.js';
import type { AsyncDurable, AsyncMsg, AsyncState, AsyncTimer } from './types.js';

export type AsyncEngine = Engine<AsyncState, AsyncMsg, AsyncDurable>;

export function createAsyncEngine(cfg: EngineConfig): AsyncEngine {
  const c = asyncConfig(cfg, (conf) => (s, st, req, ctx) => readOf(conf, s, st, req, ctx));
  return {
    name: engineName(c.spec),
    init: (self, durable, ctx) => initNode(c, self, durable, ctx),
    durable: (s) => durableOf(c, s),
    onRequest: (s, req, ctx) => stepRequest(c, s, req, ctx),
    onMessage(s, from, msg, ctx) {
      switch (msg.type) {
        case 'changes':
          return stepChanges(c, s, from, msg, ctx);
        case 'ack':
          return stepAck(c, s, from, msg, ctx);
        case 'fwd':
          return stepFwd(c, s, from, msg, ctx);
        case 'fwd-reply':
          return stepFwdReply(s, msg, ctx);
        case 'rights-req':
          return stepRightsReq(c, s, from, msg, ctx);
        case 'read-req':
          return c.quorum.onReadReq(s, from, msg, ctx);
        case 'read-rep':
          return c.quorum.onReadRep(s, from, msg, ctx);
        default: {
          const never: never = msg;
          throw new Error(`unknown async message ${JSON.stringify(never)}`);
        }
      }
    },
    onTimer(s, timer: Timer, ctx) {
      // Every timer this engine sets is an AsyncTimer (replica.ts, queue.ts, reads.ts, lifecycle.ts).
      const t = timer as AsyncTimer;
      switch (t.kind) {
        case 'flush':
          return onFlush(c, s, ctx);
        case 'retry':
          return onRetryTimer(c, s, t, ctx);
        case 'read-give-up':
          return onReadGiveUp(c, s, t);
        default: {
          const never: never = t;
          throw new Error(`unknown async timer ${JSON.stringify(never)}`);
        }
      }
    },
    finalState: (s) => finalStateOf(c, s),
    restore: (s, entries, ctx) => restoreNode(c, s, entries, ctx),
    metrics: (s) => metricsOf(c, s),
  };
}
