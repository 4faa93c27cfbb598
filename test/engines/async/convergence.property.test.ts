// Convergence, the property every conflict rule must have: once every message is delivered
// (after any interleaving, loss, duplication, reordering and crash-restart, with durable queues
// or volatile ones repaired by anti-entropy, coalescing queues or not), every replica holds the
// same value. Driven through the interaction harness, so delivery order is arbitrary (stronger
// than the FIFO links of a real run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AsyncEngineSpec, WorkloadModel } from '../../../src/scenario/types.js';
import type { OpFn } from '../../../src/history/types.js';
import { asyncHarness } from './fixtures.js';
import { depth } from '../../../src/engines/async/queue.js';

const NODES = ['us-east/0', 'us-east/1', 'eu-west/0', 'ap-northeast/0'];
const KEYS = ['a', 'b'];

const RULES: Array<[string, Partial<AsyncEngineSpec>]> = [
  ['lww/physical', { conflict: 'lww', timestamps: 'physical' }],
  ['lww/hybrid', { conflict: 'lww', timestamps: 'hybrid' }],
  ['version-vector', { conflict: 'version-vector' }],
  ['crdt', { conflict: 'crdt' }],
  ['crdt mv', { conflict: 'crdt', register: 'mv' }],
  ['lww home', { conflict: 'lww', ownership: 'home' }],
];
const MODELS: WorkloadModel[] = ['register', 'counter', 'set', 'inventory'];

function opFor(model: WorkloadModel, pick: number, v: number): { f: OpFn; value?: unknown } {
  switch (model) {
    case 'register':
      return [{ f: 'write' as OpFn, value: v }, { f: 'cas' as OpFn, value: [v - 1, v] }, { f: 'read' as OpFn }][pick % 3]!;
    case 'counter':
      return pick % 3 === 2 ? { f: 'read' } : { f: 'add', value: (v % 7) - 2 };
    case 'set':
      return [{ f: 'add' as OpFn, value: v % 5 }, { f: 'remove' as OpFn, value: v % 5 }, { f: 'read' as OpFn }][pick % 3]!;
    case 'inventory':
      return [
        { f: 'reserve' as OpFn, value: { qty: 1 + (v % 20), order: `o${v % 30}` } },
        { f: 'restock' as OpFn, value: 5 },
        { f: 'read' as OpFn },
      ][pick % 3]!;
  }
}

const command = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('op' as const), node: fc.nat(3), key: fc.nat(1), pick: fc.nat(5), v: fc.nat(60) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('deliver' as const), i: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('drop' as const), i: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dup' as const), i: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('advance' as const), us: fc.integer({ min: 1, max: 3_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crash' as const), node: fc.nat(3) }) },
);

describe('async convergence (fast-check, harness)', () => {
  it('every replica ends equal for every conflict rule and model', () => {
    let checked = 0;
    let volatileCrashes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...RULES),
        fc.constantFrom(...MODELS),
        fc.array(fc.integer({ min: -3_000_000, max: 3_000_000 }), { minLength: 4, maxLength: 4 }),
        fc.array(command, { maxLength: 80 }),
        fc.boolean(),
        fc.boolean(),
        ([, spec], model, offsets, cmds, durable_queue, coalesce) => {
          const { h, engine } = asyncHarness({ ...spec, durable_queue, coalesce, batch: 3 }, model, {
            nodes: NODES,
            clockOffset_us: Object.fromEntries(NODES.map((n, i) => [n, offsets[i] ?? 0])),
          });
          let op = 0;
          for (const c of cmds) {
            const at = (i: number) => h.inFlight[i % Math.max(1, h.inFlight.length)];
            switch (c.t) {
              case 'op': {
                const o = opFor(model, c.pick, c.v);
                h.request(NODES[c.node]!, { op: ++op, f: o.f, key: KEYS[c.key]!, value: o.value as never });
                break;
              }
              case 'deliver': {
                const p = at(c.i);
                if (p) h.deliver((x) => x === p);
                break;
              }
              case 'drop': {
                const p = at(c.i);
                if (p) h.drop((x) => x === p);
                break;
              }
              case 'dup': {
                const p = at(c.i);
                if (p) h.inFlight.push({ ...p });
                break;
              }
              case 'advance':
                h.advance(c.us);
                break;
              case 'crash': {
                const n = NODES[c.node]!;
                if (h.down.has(n as never)) h.restart(n);
                else h.crash(n);
                break;
              }
            }
          }
          // Heal: everyone up, then deliver and let retries run until nothing is left.
          for (const n of NODES) if (h.down.has(n as never)) h.restart(n);
          for (let round = 0; round < 40; round++) {
            h.deliverAll();
            const busy = [...h.states.values()].some((s) => [...s.out.values()].some((q) => depth(q) > 0));
            if (!busy && h.inFlight.length === 0) break;
            h.advance(2_500_000);
          }
          expect(h.inFlight).toEqual([]);
          const finals = NODES.map((n) => JSON.stringify(engine.finalState(h.states.get(n as never)!)));
          expect(new Set(finals).size).toBe(1);
          checked++;
          if (!durable_queue && cmds.some((c) => c.t === 'crash')) volatileCrashes++;
        },
      ),
      { numRuns: 600, seed: 20261125 },
    );
    expect(checked).toBe(600);
    expect(volatileCrashes).toBeGreaterThan(60);
  });
});
