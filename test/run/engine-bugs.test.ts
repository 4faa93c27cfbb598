// Engine bugs the checker must catch from outside the engine: a node that comes back empty
// after a volatile restart (its replica is visible only through the runner's `replicas` and
// `live` records), and an engine that answers an op twice or answers an op never invoked
// (recorded as `extra_reply`, reported as `invariant`). The real engines are wrapped with the
// bug through a mock of the engine registry.
import { describe, expect, it, vi } from 'vitest';
import type { Ctx, Engine, OpResult } from '../../src/engines/engine.js';
import type { EngineLookup } from '../../src/engines/index.js';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord } from '../../src/history/types.js';
import type { OpId } from '../../src/sim/ids.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

type AnyEngine = Engine<unknown, unknown, unknown>;
const bug = vi.hoisted(() => ({ wrap: (e: AnyEngine): AnyEngine => e }));

vi.mock('../../src/engines/index.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/engines/index.js')>();
  return {
    ...mod,
    createEngine: (cfg: Parameters<typeof mod.createEngine>[0]): EngineLookup => {
      const r = mod.createEngine(cfg);
      return r.ok ? { ok: true, engine: bug.wrap(r.engine) } : r;
    },
  };
});

/** Forgets everything on a restart, as if its storage were volatile too (and tells no one). */
function forgetsOnRestart(e: AnyEngine): AnyEngine {
  return { ...e, init: (self, _durable, ctx) => e.init(self, undefined, ctx) };
}

/** Answers every op twice (the second time `fail`), and once answers an op never invoked. */
function repliesTwice(e: AnyEngine): AnyEngine {
  let strayDone = false;
  const twice = (ctx: Ctx<unknown>): Ctx<unknown> => ({
    ...ctx,
    now: ctx.now,
    send: ctx.send,
    setTimer: ctx.setTimer,
    applied: ctx.applied,
    invariant: ctx.invariant,
    reply(op: OpId, result: OpResult) {
      ctx.reply(op, result);
      ctx.reply(op, { type: 'fail', error: 'second answer' });
      if (!strayDone) {
        strayDone = true;
        ctx.reply(9999 as OpId, { type: 'ok', value: 1 });
      }
    },
  });
  return {
    ...e,
    onRequest: (s, req, ctx) => e.onRequest(s, req, twice(ctx)),
    onMessage: (s, from, msg, ctx) => e.onMessage(s, from, msg, twice(ctx)),
    onTimer: (s, t, ctx) => e.onTimer(s, t, twice(ctx)),
  };
}

function run(yaml: string, wrap: (e: AnyEngine) => AnyEngine) {
  bug.wrap = wrap;
  try {
    const p = parseScenario(yaml, 'engine-bugs.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario, { keepHistory: true });
    if (!out.ok) throw new Error(out.error);
    return { result: out.result, history: out.history as HistoryRecord[] };
  } finally {
    bug.wrap = (e) => e;
  }
}

// one write at 1 s replicated to b/0; b/0 crashes losing memory at 2 s and restarts at 3 s
const restartYaml = `
name: comes-back-empty
duration: 5s
settle: 2s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
engine: { type: async, conflict: lww }
workload:
  model: register
  clients:
    a: { count: 1, rate: 0/s }
  script:
    - { at: 1s, client: a/0, op: write, key: k, value: 7 }
faults:
  - { at: 2s, crash: b/0, lose_volatile: true, for: 1s }
`;

describe('a node that came back empty after a volatile restart', () => {
  it('is live with no final for the key a/0 holds: divergence 1, witness names it absent', () => {
    const { result, history } = run(restartYaml, forgetsOnRestart);
    const finals = history.filter((r) => r.type === 'final');
    expect(finals.map((f) => f.node)).toEqual(['a/0']); // b/0 holds nothing at all
    expect(history.find((r) => r.type === 'live')).toMatchObject({ nodes: ['a/0', 'b/0'] });
    const d = result.anomalies.divergence;
    expect(d.count).toBe(1);
    expect(d.witnesses[0]?.details?.['absent']).toEqual(['b/0']);
    expect(d.witnesses[0]?.explanation).toContain('absent (no final record) at b/0');
  });

  it('the same history without the replicas and live records (what the checker saw before) shows nothing', () => {
    const { history } = run(restartYaml, forgetsOnRestart);
    const old = history.filter((r) => r.type !== 'replicas' && r.type !== 'live');
    const d = checkHistory(old, { model: 'register' }).anomalies.divergence;
    expect(d.applicable).toBe(true);
    expect(d.count).toBe(0);
  });

  it('the engine without the bug keeps its data: divergence 0', () => {
    const { result, history } = run(restartYaml, (e) => e);
    expect(history.filter((r) => r.type === 'final').map((f) => f.node)).toEqual(['a/0', 'b/0']);
    expect(result.anomalies.divergence.count).toBe(0);
  });
});

const twiceYaml = `
name: replies-twice
duration: 3s
settle: 1s
regions:
  a: { nodes: 2 }
engine: { type: async, conflict: lww }
workload:
  model: register
  clients:
    a: { count: 1, rate: 0/s }
  script:
    - { at: 1s, client: a/0, op: write, key: k, value: 7 }
    - { at: 2s, client: a/0, op: read, key: k }
`;

describe('an engine that answers an op twice', () => {
  it('every extra reply is recorded and reported as invariant, naming the op and both replies', () => {
    const { result, history } = run(twiceYaml, repliesTwice);
    const extra = history.filter((r) => r.type === 'extra_reply');
    expect(extra).toEqual([
      expect.objectContaining({ op: 1, node: 'a/0', reply: 'fail', error: 'second answer', first: 'ok' }),
      expect.objectContaining({ op: 9999, node: 'a/0', reply: 'ok', value: 1 }),
      expect.objectContaining({ op: 2, node: 'a/0', reply: 'fail', error: 'second answer', first: 'ok' }),
    ]);
    expect(extra[1]).not.toHaveProperty('first');
    // the client saw the first reply only
    expect(history.filter((r) => r.type === 'ok').map((r) => (r.type === 'ok' ? r.op : 0))).toEqual([1, 2]);
    expect(history.filter((r) => r.type === 'fail')).toEqual([]);
    const inv = result.anomalies.invariant;
    expect(inv.count).toBe(3);
    const [w1, stray] = inv.witnesses;
    expect(w1?.ops).toEqual([1]);
    expect(w1?.details?.['first']).toMatchObject({ reply: 'ok', value: 7 });
    expect(w1?.details?.['second']).toMatchObject({ reply: 'fail', error: 'second answer', node: 'a/0' });
    expect(stray?.ops).toEqual([9999]);
    expect(stray?.explanation).toContain('never invoked');
  });

  it('the engine without the bug: no extra reply, invariant 0', () => {
    const { result, history } = run(twiceYaml, (e) => e);
    expect(history.some((r) => r.type === 'extra_reply')).toBe(false);
    expect(result.anomalies.invariant.count).toBe(0);
  });
});
