/**
 * The quorum engine (Dynamo/Cassandra-style): keys on a token ring with a replication factor
 * per region (ring.ts), any node coordinates the requests its clients send, reads and writes
 * wait for their consistency level (levels.ts), cells are last-writer-wins by the
 * coordinator's timestamp (cells.ts), replicas that miss writes get hints (hints.ts), stale
 * replicas are repaired by reads (read.ts), and a phi-accrual detector fed by heartbeats
 * decides which replicas a coordinator believes up (detector.ts, gossip.ts). Conditional
 * writes go through lightweight transactions (lwt.ts).
 *
 * This file only dispatches requests, messages and timers to the step functions.
 */
import type { ClientRequest, Ctx, Engine, EngineConfig, Timer } from '../engine.js';
import { stepObject, initialState } from '../model.js';
import { engineName, quorumConfig, type QuorumCfg } from './config.js';
import { onGossip, onGossipTick } from './gossip.js';
import { onHints, onHintsAck } from './hints.js';
import { durableOf, finalStateOf, initNode, metricsOf } from './lifecycle.js';
import { restoreRows } from './restore.js';
import { isLwtRequest, onLwtMessage, onLwtRequest, onLwtTimer } from './lwt.js';
import { onMerkle, onMerkleDiff, onRepairAdmin, onRepairStream, onRepairTimer } from './repair.js';
import { onReadRepairAck, onReadReply, onReadTimeout, onSpeculate, startRead } from './read.js';
import { onCounter, onMutation, onRead, onReadRepair } from './replica.js';
import { cellsOfOp, onCounterAck, onMutationAck, onWriteTimeout, startWrite } from './write.js';
import type { QuorumDurable, QuorumMsg, QuorumState, QuorumTimer } from './types.js';
import { unknownModel } from '../objects/unknown.js';

export type QuorumEngine = Engine<QuorumState, QuorumMsg, QuorumDurable>;

export function createQuorumEngine(cfg: EngineConfig): QuorumEngine {
  const c = quorumConfig(cfg);
  return {
    name: engineName(c.spec),
    init: (self, durable, ctx) => initNode(c, self, durable, ctx),
    durable: (s) => durableOf(c, s),
    onRequest: (s, req, ctx) => stepRequest(c, s, req, ctx),
    onMessage(s, from, msg, ctx) {
      switch (msg.type) {
        case 'mutation':
          return onMutation(s, from, msg, ctx);
        case 'mutation-ack':
          return onMutationAck(s, from, msg, ctx);
        case 'read':
          return onRead(s, from, msg, ctx);
        case 'read-reply':
          return onReadReply(s, from, msg, ctx);
        case 'read-repair':
          return onReadRepair(s, from, msg, ctx);
        case 'read-repair-ack':
          return onReadRepairAck(s, from, msg, ctx);
        case 'hints':
          return onHints(s, from, msg, ctx);
        case 'hints-ack':
          return onHintsAck(s, from, msg, ctx);
        case 'counter':
          return onCounter(s, from, msg, ctx);
        case 'counter-ack':
          return onCounterAck(s, from, msg, ctx);
        case 'gossip':
          return onGossip(s, from, msg, ctx);
        case 'lwt':
          return onLwtMessage(s, from, msg, ctx);
        case 'merkle':
          return onMerkle(s, from, msg, ctx);
        case 'merkle-diff':
          return onMerkleDiff(s, from, msg, ctx);
        case 'repair-stream':
          return onRepairStream(s, from, msg, ctx);
        default: {
          const never: never = msg;
          throw new Error(`unknown quorum message ${JSON.stringify(never)}`);
        }
      }
    },
    onTimer(s, timer: Timer, ctx) {
      // Every timer this engine sets is a QuorumTimer (gossip.ts, write.ts, read.ts, lwt.ts).
      const t = timer as QuorumTimer;
      switch (t.kind) {
        case 'gossip':
          return onGossipTick(s, ctx);
        case 'write-timeout':
          return onWriteTimeout(s, t.data, ctx);
        case 'read-timeout':
          return onReadTimeout(s, t.data);
        case 'speculate':
          return onSpeculate(s, t.data, ctx);
        case 'lwt':
          return onLwtTimer(s, t, ctx);
        case 'repair':
          return onRepairTimer(s, ctx);
        default: {
          const never: never = t;
          throw new Error(`unknown quorum timer ${JSON.stringify(never)}`);
        }
      }
    },
    onAdmin: (s, action, ctx) => onRepairAdmin(s, action, ctx),
    restore: (s, entries, ctx) => restoreRows(s, entries, ctx),
    finalState: (s) => finalStateOf(c, s),
    metrics: (s) => metricsOf(s),
  };
}

/** A client request at its coordinator: a read, a write of cells, a counter increment, or LWT. */
function stepRequest(c: QuorumCfg, s: QuorumState, req: ClientRequest, ctx: Ctx<QuorumMsg>): void {
  const model = c.model;
  if (isLwtRequest(model, req)) return onLwtRequest(s, req, ctx);
  if (req.f === 'read') return startRead(s, req, ctx);
  // The shared object model says whether the op is valid for the model (bad requests fail here).
  const step = stepObject(model, initialState(model), req.f, req.value);
  if (step.type === 'fail') {
    ctx.reply(req.op, step);
    return;
  }
  switch (model) {
    case 'register':
    case 'set':
      return startWrite(s, req, { kind: 'cells', build: (ts) => cellsOfOp(req, model, ts) }, ctx);
    case 'counter':
      return startWrite(s, req, { kind: 'counter', delta: req.value as number }, ctx);
    case 'inventory':
      return onLwtRequest(s, req, ctx); // unreachable: every inventory write is LWT
    default:
      throw unknownModel(model);
  }
}
