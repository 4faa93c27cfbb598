// The quorum engine runs each object through the shared model (src/engines/objects): the same
// scripted ops, one at a time and settled, get the model's replies (cas and the inventory's
// writes are LWT's, tested with it).
import { describe, expect, it } from 'vitest';
import { initialState, stepObject, type ObjectState } from '../../../src/engines/model.js';
import type { OpResult } from '../../../src/engines/engine.js';
import type { OpFn, Value } from '../../../src/history/types.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';
import { deliverData, replyOf, rig } from './fixtures.js';

type Op = { f: OpFn; value?: Value };

const SCRIPTS: Array<[WorkloadModel, Op[]]> = [
  ['register', [{ f: 'write', value: { x: 1, y: 2 } }, { f: 'put', value: 4 }, { f: 'read' }, { f: 'write', value: 7 }, { f: 'read' }]],
  ['counter', [{ f: 'add', value: 3 }, { f: 'add', value: 'x' }, { f: 'add', value: -1 }, { f: 'read' }]],
  ['set', [{ f: 'add', value: 'b' }, { f: 'add', value: 2 }, { f: 'add', value: 2 }, { f: 'remove', value: 7 }, { f: 'remove', value: 'b' }, { f: 'read' }]],
];

function modelReplies(model: WorkloadModel, ops: Op[]): OpResult[] {
  let st: ObjectState = initialState(model);
  return ops.map((o) => {
    const r = stepObject(model, st, o.f, o.value);
    switch (r.type) {
      case 'read':
        return { type: 'ok', value: r.value };
      case 'write':
        st = r.next;
        return { type: 'ok', value: r.result };
      case 'same':
        return { type: 'ok', value: r.result };
      case 'fail':
        return { type: 'fail', error: r.error };
    }
  });
}

describe('quorum engine and the object model agree', () => {
  it.each(SCRIPTS)('%s', (model, ops) => {
    const r = rig(['a/0', 'a/1', 'b/0'], {}, model);
    const nodes = ['a/0', 'a/1', 'b/0'];
    const got = ops.map((o, i) => {
      r.h.advance(1);
      r.h.request(nodes[i % 3]!, { op: i + 1, f: o.f, key: 'k', ...(o.value === undefined ? {} : { value: o.value }) });
      deliverData(r.h);
      return replyOf(r.h, i + 1);
    });
    expect(got).toEqual(modelReplies(model, ops));
  });
});
