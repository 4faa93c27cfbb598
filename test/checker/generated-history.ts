/**
 * Random valid histories for property tests: one copy executes every op atomically at a point
 * inside its invoke..complete interval (so the history is linearizable), three replicas
 * (`r0/0`, `r1/0`, `r2/0`, also the clients' sticky nodes) apply each effect at that point and
 * hold the same final state. Failed ops have no effect; `info` ops took effect or not.
 * `inject` hooks append ops after the random part (from INJECT_T on) and may change the final
 * state of one replica, so a test can plant one known anomaly in an otherwise clean history.
 */
import fc from 'fast-check';
import type { HistoryRecord, OpFn, Value } from '../../src/history/types.js';

export type GenModel = 'register' | 'counter' | 'set' | 'inventory';

export const NODES = ['r0/0', 'r1/0', 'r2/0'] as const;
/** injected ops start here, after every random op has completed */
export const INJECT_T = 3_000_000;
const FINAL_T = 10_000_000;
export const INITIAL_STOCK = 20;

export interface GenOp {
  client: number;
  key: number;
  kind: number;
  invoke: number;
  dur: number;
  frac: number;
  outcome: 'ok' | 'fail' | 'info-applied' | 'info-lost';
}

export const genOp: fc.Arbitrary<GenOp> = fc.record({
  client: fc.integer({ min: 0, max: 2 }),
  key: fc.integer({ min: 0, max: 1 }),
  kind: fc.integer({ min: 0, max: 9 }),
  invoke: fc.integer({ min: 0, max: 200 }).map((x) => x * 10_000),
  dur: fc.integer({ min: 2, max: 80_000 }),
  frac: fc.double({ min: 0, max: 0.999, noNaN: true }),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info-applied', 'info-lost'),
});

export const genOps = fc.array(genOp, { minLength: 1, maxLength: 30 });

/** What an injection sees and may change. */
export interface Ctx {
  model: GenModel;
  /** each key's state after the random ops (k0, k1; untouched keys hold the initial state) */
  state: Map<string, Value>;
  /** the next unused op id */
  nextId(): number;
  push(r: HistoryRecord): void;
  /** a completed op: invoke at `at`, completion `dur` later; `result` for ok */
  op(o: { client: string; f: OpFn; key: string; value?: Value; at: number; outcome: 'ok' | 'fail' | 'info'; result?: Value; dur?: number }): number;
  /** what `node` holds for `key` after settle (default: `state`) */
  finals: Map<string, Map<string, Value>>;
  /** every op of the random part, by id */
  ops: Map<number, { f: OpFn; key: string; value?: Value; outcome: GenOp['outcome']; client: string }>;
}

export function initialOf(model: GenModel): Value {
  return model === 'register' ? null : model === 'counter' ? 0 : model === 'set' ? [] : INITIAL_STOCK;
}

function fnOf(model: GenModel, kind: number): OpFn {
  if (kind < 4) return 'read';
  switch (model) {
    case 'register':
      return 'write';
    case 'counter':
      return 'add';
    case 'set':
      return kind < 8 ? 'add' : 'remove';
    case 'inventory':
      return kind < 8 ? 'reserve' : 'restock';
  }
}

/** A valid history for `model` from `gen`, with `inject` run before the finals are written. */
export function generate(model: GenModel, gen: GenOp[], inject?: (c: Ctx) => void): HistoryRecord[] {
  const recs: Array<{ t: number; seq: number; r: HistoryRecord }> = [];
  let seq = 0;
  const push = (r: HistoryRecord): void => {
    recs.push({ t: r.t, seq: seq++, r });
  };
  const init = initialOf(model);
  const state = new Map<string, Value>([
    ['k0', init],
    ['k1', init],
  ]);
  const ops = gen.map((g, i) => ({ ...g, id: i + 1, point: g.invoke + 1 + Math.floor(g.frac * (g.dur - 1)) }));
  const info: Ctx['ops'] = new Map();
  const valueOf = (o: (typeof ops)[number], f: OpFn): Value | undefined => {
    switch (f) {
      case 'read':
        return undefined;
      case 'write':
        return o.id;
      case 'add':
        return model === 'counter' ? 1 + (o.id % 3) : o.id;
      case 'remove':
        return 1 + (o.id % 5); // often an element some add wrote
      case 'reserve':
        return { qty: 1 + (o.id % 3), order: `o${o.id}` };
      case 'restock':
        return 5;
      default:
        return undefined;
    }
  };
  for (const o of [...ops].sort((a, b) => a.point - b.point || a.id - b.id)) {
    const key = `k${o.key}`;
    const client = `r${o.client}/0`;
    const cur = state.get(key) ?? init;
    const f = fnOf(model, o.kind);
    const value = valueOf(o, f);
    info.set(o.id, { f, key, ...(value !== undefined ? { value } : {}), outcome: o.outcome, client });
    push({ t: o.invoke, type: 'invoke', op: o.id, client, node: client, f, key, ...(value !== undefined ? { value } : {}) });
    let result: Value | undefined = f === 'read' ? cur : value;
    let outcome = o.outcome;
    // the one copy's semantics
    let next: Value = cur;
    if (f === 'write') next = value ?? null;
    else if (f === 'add' && model === 'counter') next = (cur as number) + (value as number);
    else if (f === 'add') next = [...new Set([...(cur as number[]), value as number])].sort((a, b) => a - b);
    else if (f === 'remove') next = (cur as number[]).filter((x) => x !== value);
    else if (f === 'restock') next = (cur as number) + 5;
    else if (f === 'reserve') {
      const qty = (value as { qty: number }).qty;
      if ((cur as number) < qty) outcome = outcome === 'ok' ? 'fail' : outcome === 'info-applied' ? 'info-lost' : outcome;
      next = (cur as number) - qty;
      result = { remaining: next };
    }
    const applied = f !== 'read' && (outcome === 'ok' || outcome === 'info-applied');
    if (applied) {
      state.set(key, next);
      for (const n of NODES) push({ t: o.point, type: 'apply', node: n, key, value: next, op: o.id });
    }
    const done = o.invoke + o.dur;
    if (outcome === 'ok') push({ t: done, type: 'ok', op: o.id, ...(result !== undefined ? { value: result } : {}) });
    else if (outcome === 'fail') push({ t: done, type: 'fail', op: o.id });
    else push({ t: done, type: 'info', op: o.id });
  }
  let nextId = ops.length + 1;
  const finals = new Map<string, Map<string, Value>>();
  const ctx: Ctx = {
    model,
    state,
    nextId: () => nextId++,
    push,
    op(o) {
      const id = nextId++;
      push({ t: o.at, type: 'invoke', op: id, client: o.client, node: o.client, f: o.f, key: o.key, ...(o.value !== undefined ? { value: o.value } : {}) });
      const done = o.at + (o.dur ?? 1000);
      if (o.outcome === 'ok') push({ t: done, type: 'ok', op: id, ...(o.result !== undefined ? { value: o.result } : {}) });
      else push({ t: done, type: o.outcome, op: id });
      return id;
    },
    finals,
    ops: info,
  };
  inject?.(ctx);
  for (const key of [...state.keys()].sort()) {
    for (const n of NODES) {
      const v = finals.get(n)?.get(key) ?? state.get(key) ?? init;
      push({ t: FINAL_T, type: 'final', node: n, key, value: v });
    }
  }
  return recs.sort((a, b) => a.t - b.t || a.seq - b.seq).map((x) => x.r);
}

/** Sets what `node` holds for `key` after settle. */
export function setFinal(c: Ctx, node: string, key: string, v: Value): void {
  let m = c.finals.get(node);
  if (!m) c.finals.set(node, (m = new Map()));
  m.set(key, v);
}
