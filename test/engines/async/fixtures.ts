/** Builders for async-engine tests: a full spec with overridable settings, and a harness. */
import type { AsyncEngineSpec, WorkloadModel, WorkloadSpec } from '../../../src/scenario/types.js';
import { createAsyncEngine, type AsyncEngine } from '../../../src/engines/async/engine.js';
import { createHarness, topologyOf, type Harness, type HarnessOptions } from '../harness.js';
import { nodeId } from '../../../src/sim/ids.js';
import { micros } from '../../../src/sim/time.js';
import type { AsyncMsg, AsyncState } from '../../../src/engines/async/types.js';

export function asyncSpec(over: Partial<AsyncEngineSpec> = {}): AsyncEngineSpec {
  return {
    type: 'async',
    conflict: 'lww',
    timestamps: 'physical',
    register: 'lww',
    queue_limit: 0,
    batch: 100,
    flush_interval_us: micros(0),
    durable_queue: false,
    coalesce: false,
    ownership: 'none',
    homes: {},
    ...over,
  };
}

export const NODES3 = ['us-east/0', 'eu-west/0', 'ap-northeast/0'];

export function asyncEngine(
  nodes: string[],
  over: Partial<AsyncEngineSpec> = {},
  model: WorkloadModel = 'register',
  read_from: ReadFrom = 'local',
): AsyncEngine {
  return createAsyncEngine({ spec: asyncSpec(over), model, topology: topologyOf(nodes.map(nodeId)), read_from });
}

export type ReadFrom = WorkloadSpec['read_from'];

/** A harness whose reads follow `read_from` (quorum, leader). */
export function readHarness(
  read_from: ReadFrom,
  nodes: string[],
  over: Partial<AsyncEngineSpec> = {},
  model: WorkloadModel = 'register',
): { h: Harness<AsyncState, AsyncMsg>; engine: AsyncEngine } {
  const engine = asyncEngine(nodes, over, model, read_from);
  return { h: createHarness(engine, { nodes }), engine };
}

export function asyncHarness(
  over: Partial<AsyncEngineSpec> = {},
  model: WorkloadModel = 'register',
  opts: Partial<HarnessOptions> = {},
): { h: Harness<AsyncState, AsyncMsg>; engine: AsyncEngine } {
  const nodes = opts.nodes ?? NODES3;
  const engine = asyncEngine(nodes, over, model);
  return { h: createHarness(engine, { ...opts, nodes }), engine };
}

/** The value a read at `node` returns now. */
export function readAt(h: Harness<AsyncState, AsyncMsg>, node: string, key: string, op = 9000 + h.replies.length): unknown {
  h.request(node, { op, f: 'read', key });
  const r = h.replies.at(-1);
  if (!r || r.op !== op || r.result.type !== 'ok') throw new Error(`read at ${node} failed: ${JSON.stringify(r)}`);
  return r.result.value;
}

export const isChanges = (p: { msg: AsyncMsg }): boolean => p.msg.type === 'changes';
export const isAck = (p: { msg: AsyncMsg }): boolean => p.msg.type === 'ack';
