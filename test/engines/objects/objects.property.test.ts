// The engines' one model per object (src/engines/objects) and the checker's own, independent
// models (src/checker/lin/models, and the inventory rules of lost_update and invariant) must
// agree: the same random op sequences, run one after the other through the engine model, give
// replies that the checker's model accepts op by op (a read returns what the checker's state
// holds, a cas fails exactly when the checker's cas cannot take effect), and a sequential
// inventory run is judged free of lost updates and oversells.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialState, stepObject, visibleState, type ObjectState } from '../../../src/engines/model.js';
import type { HistoryRecord, OpFn, Value } from '../../../src/history/types.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';
import type { ModelCompiler } from '../../../src/checker/lin/model.js';
import type { LinOp } from '../../../src/checker/lin/ops.js';
import { compileCounter } from '../../../src/checker/lin/models/counter.js';
import { compileRegister } from '../../../src/checker/lin/models/register.js';
import { compileSet } from '../../../src/checker/lin/models/set.js';
import { checkHistory } from '../../../src/checker/index.js';

type Op = { f: OpFn; value?: Value };
type Reply = { type: 'ok'; value: Value } | { type: 'fail'; error: string };

/** The engine model's replies to `ops` run in sequence on one key. */
function engineReplies(model: WorkloadModel, ops: readonly Op[]): Reply[] {
  let s: ObjectState = initialState(model);
  return ops.map((op, i) => {
    const o = stepObject(model, s, op.f, op.value, { version: `v${i}` });
    switch (o.type) {
      case 'read':
        return { type: 'ok', value: o.value };
      case 'write':
        s = o.next;
        return { type: 'ok', value: o.result };
      case 'same':
        return { type: 'ok', value: o.result };
      default:
        return { type: 'fail', error: o.error };
    }
  });
}

/**
 * Walks the checker's compiled model along the engine's replies: every ok op must take effect
 * in the checker's current state (a read: return exactly that state), every failed op must be
 * one the checker's model cannot apply there. Returns the first disagreement, or null.
 */
function disagreement(compile: ModelCompiler, initial: unknown, ops: readonly Op[], replies: readonly Reply[]): string | null {
  const lin: LinOp[] = ops.map((op, i) => {
    const r = replies[i] as Reply;
    return {
      id: i,
      client: 'c',
      f: op.f,
      key: 'k',
      input: op.value,
      output: r.type === 'ok' ? r.value : undefined,
      known: true,
      call_t: 2 * i,
      ret_t: 2 * i + 1,
      callPos: 2 * i,
      retPos: 2 * i + 1,
    };
  });
  const m = compile(lin, { initial, nilRead: 'empty' });
  const at = new Map(m.kept.map((idx, j) => [idx, j]));
  let state = m.init;
  for (let i = 0; i < ops.length; i++) {
    const j = at.get(i);
    const r = replies[i] as Reply;
    if (j === undefined) {
      if (r.type === 'ok' && ops[i]!.f !== 'read') return `op ${i} ${JSON.stringify(ops[i])}: ok in the engine, unknown to the checker`;
      continue;
    }
    const next = m.step(state, j);
    if (r.type === 'ok' && next === -1) return `op ${i} ${JSON.stringify(ops[i])} → ${JSON.stringify(r.value)}: the checker's state is ${m.render(state)}`;
    if (r.type === 'fail' && next !== -1) return `op ${i} ${JSON.stringify(ops[i])} failed (${r.error}) but applies in the checker's state ${m.render(state)}`;
    if (r.type === 'ok') state = next;
  }
  return null;
}

// Few distinct values so that cas, remove and repeats hit; objects whose key order varies.
const scalar = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b'));
const object = fc.constantFrom<Value>({ x: 1, y: 2 }, { y: 2, x: 1 }, { x: 1 });
const regValue = fc.oneof(scalar, object);

const registerOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ f: 'read' }),
  regValue.map((v): Op => ({ f: 'write', value: v })),
  fc.tuple(fc.oneof(regValue, fc.constant(null)), regValue).map(([a, b]): Op => ({ f: 'cas', value: [a, b] })),
);
const counterOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ f: 'read' }),
  fc.integer({ min: -5, max: 5 }).map((d): Op => ({ f: 'add', value: d })),
);
const setOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ f: 'read' }),
  scalar.map((e): Op => ({ f: 'add', value: e })),
  scalar.map((e): Op => ({ f: 'remove', value: e })),
);
const inventoryOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ f: 'read' }),
  fc.integer({ min: 1, max: 20 }).map((q): Op => ({ f: 'restock', value: q })),
  fc
    .tuple(fc.integer({ min: 1, max: 30 }), fc.option(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('1', 'o2')), { nil: undefined }))
    .map(([qty, order]): Op => ({ f: 'reserve', value: order === undefined ? { qty } : { qty, order } })),
);

const RUNS = { numRuns: 300 };

describe('engine model and checker model give the same replies', () => {
  it('register (read, write, cas; values compared structurally)', () => {
    fc.assert(
      fc.property(fc.array(registerOp, { maxLength: 30 }), (ops) => {
        expect(disagreement(compileRegister, null, ops, engineReplies('register', ops))).toBeNull();
      }),
      RUNS,
    );
  });

  it('counter (read, add)', () => {
    fc.assert(
      fc.property(fc.array(counterOp, { maxLength: 30 }), (ops) => {
        expect(disagreement(compileCounter, 0, ops, engineReplies('counter', ops))).toBeNull();
      }),
      RUNS,
    );
  });

  it('set (read, add, remove)', () => {
    fc.assert(
      fc.property(fc.array(setOp, { maxLength: 30 }), (ops) => {
        expect(disagreement(compileSet, [], ops, engineReplies('set', ops))).toBeNull();
      }),
      RUNS,
    );
  });

  it('inventory: a sequential run is judged free of lost updates and oversells, and every reservation names its basis', () => {
    fc.assert(
      fc.property(fc.array(inventoryOp, { maxLength: 40 }), (ops) => {
        const replies = engineReplies('inventory', ops);
        const records: HistoryRecord[] = [];
        let s: ObjectState = initialState('inventory');
        ops.forEach((op, i) => {
          const t = 1000 * (i + 1);
          const inv: HistoryRecord = { t, type: 'invoke', op: i, client: 'r/0', node: 'r/0', f: op.f, key: 'k' };
          if (op.value !== undefined) inv.value = op.value;
          records.push(inv);
          const o = stepObject('inventory', s, op.f, op.value, { version: `v${i}` });
          if (o.type === 'write') {
            s = o.next;
            records.push({ t: t + 100, type: 'apply', node: 'r/0', key: 'k', value: visibleState('inventory', s), op: i });
          }
          const r = replies[i] as Reply;
          records.push(r.type === 'ok' ? { t: t + 200, type: 'ok', op: i, value: r.value } : { t: t + 200, type: 'fail', op: i, error: r.error });
          if (op.f === 'reserve' && r.type === 'ok' && o.type === 'write') {
            const v = r.value as { remaining: number; stock_before: number };
            expect(v.stock_before - v.remaining).toBe((op.value as { qty: number }).qty);
          }
        });
        records.push({ t: 1000 * (ops.length + 2), type: 'final', node: 'r/0', key: 'k', value: visibleState('inventory', s) });
        const report = checkHistory(records, { model: 'inventory', initialStock: visibleState('inventory', initialState('inventory')) as number });
        expect(report.anomalies.lost_update.applicable).toBe(true);
        expect(report.anomalies.lost_update.count).toBe(0);
        expect(report.anomalies.invariant.applicable).toBe(true);
        expect(report.anomalies.invariant.count).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('the comparison can fail: a model that ignores key order in cas is caught', () => {
    // A drifted engine model (cas by JSON text) against the checker's: the walk must report it.
    const ops: Op[] = [
      { f: 'write', value: { x: 1, y: 2 } },
      { f: 'cas', value: [{ y: 2, x: 1 }, 3] },
    ];
    const drifted: Reply[] = [
      { type: 'ok', value: { x: 1, y: 2 } },
      { type: 'fail', error: 'cas-mismatch' },
    ];
    expect(disagreement(compileRegister, null, ops, drifted)).toMatch(/failed \(cas-mismatch\) but applies/);
    expect(disagreement(compileRegister, null, ops, engineReplies('register', ops))).toBeNull();
  });
});
