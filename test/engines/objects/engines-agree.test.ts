// The three engines run each object through the one model: the same scripted ops, run one at
// a time (each settled before the next), get the same replies from async (LWW and version
// vectors), sync and raft as from the model itself, including the cases where their former
// copies disagreed.
import { describe, expect, it } from 'vitest';
import { initialState, stepObject, type ObjectState } from '../../../src/engines/model.js';
import type { OpResult } from '../../../src/engines/engine.js';
import type { OpFn, Value } from '../../../src/history/types.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';
import { asyncHarness } from '../async/fixtures.js';
import { awaitLeader, raftHarness, run as runRaft } from '../raft/fixtures.js';
import { settle, syncHarness } from '../sync/util.js';

type Op = { f: OpFn; value?: Value };

const SCRIPTS: Record<WorkloadModel, Op[]> = {
  register: [
    { f: 'write', value: { x: 1, y: 2 } },
    { f: 'cas', value: [{ y: 2, x: 1 }, 3] },
    { f: 'put', value: 4 },
    { f: 'cas', value: 5 },
    { f: 'cas', value: [4, 6] },
    { f: 'read' },
  ],
  counter: [{ f: 'add', value: 3 }, { f: 'add', value: 'x' }, { f: 'add', value: -1 }, { f: 'read' }],
  set: [{ f: 'add', value: 'b' }, { f: 'add', value: 2 }, { f: 'add', value: 2 }, { f: 'remove', value: 7 }, { f: 'read' }],
  inventory: [
    { f: 'restock', value: -5 },
    { f: 'restock', value: 10 },
    { f: 'reserve', value: { qty: 5, order: 7 } },
    { f: 'reserve', value: { qty: 5, order: 7 } },
    { f: 'reserve', value: { qty: 5, order: '7' } },
    { f: 'reserve', value: { qty: 500, order: 'big' } },
    { f: 'read' },
  ],
};

/** A result without its `version` (each engine names its states its own way). */
function unversioned(r: OpResult | undefined): unknown {
  if (!r || r.type !== 'ok' || r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) return r;
  const { version: _version, ...rest } = r.value;
  return { type: 'ok', value: rest };
}

function modelReplies(model: WorkloadModel, ops: Op[]): unknown[] {
  let s: ObjectState = initialState(model);
  return ops.map((op) => {
    const o = stepObject(model, s, op.f, op.value);
    if (o.type === 'write') s = o.next;
    if (o.type === 'fail') return { type: 'fail', error: o.error };
    return { type: 'ok', value: o.type === 'read' ? o.value : o.result };
  });
}

function asyncReplies(model: WorkloadModel, ops: Op[], conflict: 'lww' | 'version-vector' = 'lww'): unknown[] {
  const { h } = asyncHarness({ conflict }, model);
  return ops.map((op, i) => {
    h.request('us-east/0', { op: i + 1, key: 'k', ...op });
    h.deliverAll();
    return unversioned(h.replies.find((r) => r.op === i + 1)?.result);
  });
}

function syncReplies(model: WorkloadModel, ops: Op[]): unknown[] {
  const h = syncHarness(['a/0', 'b/0'], {}, model);
  return ops.map((op, i) => {
    h.request('a/0', { op: i + 1, key: 'k', ...op });
    settle(h);
    return unversioned(h.replies.find((r) => r.op === i + 1)?.result);
  });
}

function raftReplies(model: WorkloadModel, ops: Op[]): unknown[] {
  const { h } = raftHarness({}, {}, model);
  const leader = awaitLeader(h);
  return ops.map((op, i) => {
    h.request(leader, { op: i + 1, key: 'k', ...op });
    runRaft(h, 200_000);
    return unversioned(h.replies.find((r) => r.op === i + 1)?.result);
  });
}

describe('async, sync and raft reply as the one model does', () => {
  for (const model of ['register', 'counter', 'set', 'inventory'] as const) {
    it(model, () => {
      const ops = SCRIPTS[model];
      const want = modelReplies(model, ops);
      expect(asyncReplies(model, ops), 'async lww').toEqual(want);
      expect(asyncReplies(model, ops, 'version-vector'), 'async version-vector').toEqual(want);
      expect(syncReplies(model, ops), 'sync').toEqual(want);
      expect(raftReplies(model, ops), 'raft').toEqual(want);
    });
  }
});
