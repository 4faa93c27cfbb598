/**
 * Generated positive cases: a random valid history (generated-history.ts) with ONE known
 * anomaly planted after its random part must be reported by the family that names it, with a
 * witness naming the planted ops; the same histories without the plant report 0 in every
 * family that applies (count === 0, never null). The random part stays in, so each rule has
 * to find the plant among unrelated ok, fail and info ops on the same keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { AnomalyName, CheckOptions } from '../../src/checker/types.js';
import type { Value } from '../../src/history/types.js';
import { generate, genOps, INITIAL_STOCK, INJECT_T as T, setFinal, type Ctx, type GenModel } from './generated-history.js';

const optsOf = (model: GenModel): CheckOptions => ({
  model,
  sessions: 'sticky',
  promisesNoSplitBrain: true,
  initialStock: INITIAL_STOCK,
});

/** A planted anomaly: the family that must report it and the op ids its witness must name. */
interface Plant {
  name: string;
  model: GenModel;
  family: AnomalyName;
  plant: (c: Ctx) => number[];
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const setWith = (v: Value | undefined, ...xs: number[]): number[] => sorted([...new Set([...((v as number[]) ?? []), ...xs])]);
/** the sum of the random part's increments of `key`: every one, or only those that did not fail */
const addsOf = (c: Ctx, key: string, withFailed: boolean): number =>
  [...c.ops.values()]
    .filter((o) => o.key === key && o.f === 'add' && (withFailed || o.outcome !== 'fail'))
    .reduce((s, o) => s + (o.value as number), 0);

const PLANTS: Plant[] = [
  {
    name: 'lost update: an acknowledged write the final state does not reflect',
    model: 'register',
    family: 'lost_update',
    plant: (c) => {
      c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1001, at: T, outcome: 'ok', result: 1001 });
      const lost = c.op({ client: 'r2/0', f: 'write', key: 'k0', value: 1002, at: T + 5000, outcome: 'ok', result: 1002 });
      c.state.set('k0', 1001);
      return [lost];
    },
  },
  {
    name: 'stale read: a read of a value replaced before it began',
    model: 'register',
    family: 'stale_read',
    plant: (c) => {
      c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1001, at: T, outcome: 'ok', result: 1001 });
      const w = c.op({ client: 'r2/0', f: 'write', key: 'k0', value: 1002, at: T + 5000, outcome: 'ok', result: 1002 });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 10_000, outcome: 'ok', result: 1001 });
      c.state.set('k0', 1002);
      return [r, w];
    },
  },
  {
    name: 'divergence: one replica never got the last write',
    model: 'register',
    family: 'divergence',
    plant: (c) => {
      const w1 = c.op({ client: 'r0/0', f: 'write', key: 'k0', value: 1000, at: T, outcome: 'ok', result: 1000 });
      const w2 = c.op({ client: 'r0/0', f: 'write', key: 'k0', value: 1001, at: T + 5000, outcome: 'ok', result: 1001 });
      c.state.set('k0', 1001);
      setFinal(c, 'r1/0', 'k0', 1000);
      return [w2, w1];
    },
  },
  {
    name: 'session: a client misses its own acknowledged write (sticky sessions)',
    model: 'register',
    family: 'read_your_writes',
    plant: (c) => {
      c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1000, at: T, outcome: 'ok', result: 1000 });
      c.op({ client: 'r0/0', f: 'write', key: 'k0', value: 1001, at: T + 5000, outcome: 'ok', result: 1001 });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 10_000, outcome: 'ok', result: 1000 });
      c.state.set('k0', 1001);
      return [r];
    },
  },
  {
    name: 'session: a client reads an older value after a newer one (sticky sessions)',
    model: 'register',
    family: 'monotonic_read',
    plant: (c) => {
      c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1000, at: T, outcome: 'ok', result: 1000 });
      c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1001, at: T + 5000, outcome: 'ok', result: 1001 });
      c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 10_000, outcome: 'ok', result: 1001 });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 15_000, outcome: 'ok', result: 1000 });
      c.state.set('k0', 1001);
      return [r];
    },
  },
  {
    name: 'aborted read: a register read of a failed write',
    model: 'register',
    family: 'aborted_read',
    plant: (c) => {
      const f = c.op({ client: 'r1/0', f: 'write', key: 'k0', value: 1001, at: T, outcome: 'fail' });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 5000, outcome: 'ok', result: 1001 });
      return [f, r];
    },
  },
  {
    name: 'aborted read: a set element whose only add failed',
    model: 'set',
    family: 'aborted_read',
    plant: (c) => {
      const f = c.op({ client: 'r1/0', f: 'add', key: 'k1', value: 1001, at: T, outcome: 'fail' });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k1', at: T + 5000, outcome: 'ok', result: setWith(c.state.get('k1'), 1001) });
      return [f, r];
    },
  },
  {
    name: 'aborted read: a counter total only a failed increment explains',
    model: 'counter',
    family: 'aborted_read',
    plant: (c) => {
      const f = c.op({ client: 'r1/0', f: 'add', key: 'k0', value: 50, at: T, outcome: 'fail' });
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k0', at: T + 5000, outcome: 'ok', result: addsOf(c, 'k0', false) + 50 });
      return [f, r];
    },
  },
  {
    name: 'superseded sibling: a version-vector read returns a value beside the write that replaced it',
    model: 'register',
    family: 'invariant',
    plant: (c) => {
      const v1 = c.op({ client: 'r0/0', f: 'write', key: 'k1', value: 1001, at: T, outcome: 'ok', result: 1001 });
      c.op({ client: 'r1/0', f: 'write', key: 'k1', value: 1002, at: T, outcome: 'ok', result: 1002 });
      c.op({ client: 'r0/0', f: 'read', key: 'k1', at: T + 5000, outcome: 'ok', result: [1001, 1002] });
      const w = c.op({ client: 'r0/0', f: 'write', key: 'k1', value: 1003, at: T + 10_000, outcome: 'ok', result: 1003 });
      const r = c.op({ client: 'r2/0', f: 'read', key: 'k1', at: T + 15_000, outcome: 'ok', result: [1001, 1003] });
      c.state.set('k1', 1003);
      return [r, w, v1];
    },
  },
  {
    name: 'double-billed order: one order acknowledged twice',
    model: 'inventory',
    family: 'invariant',
    plant: (c) => {
      c.op({ client: 'r0/0', f: 'restock', key: 'k0', value: 10, at: T, outcome: 'ok', result: 10 });
      const stock = (c.state.get('k0') as number) + 10;
      const a = c.op({ client: 'r0/0', f: 'reserve', key: 'k0', value: { qty: 1, order: 'dup' }, at: T + 5000, outcome: 'ok', result: { remaining: stock - 1 } });
      const b = c.op({ client: 'r1/0', f: 'reserve', key: 'k0', value: { qty: 1, order: 'dup' }, at: T + 10_000, outcome: 'ok', result: { remaining: stock - 2 } });
      c.state.set('k0', stock - 2);
      return [a, b];
    },
  },
  {
    name: 'counter overcount: a total above every increment that may have been applied',
    model: 'counter',
    family: 'invariant',
    plant: (c) => {
      // more than even the failed increments could explain (that would be an aborted read)
      const r = c.op({ client: 'r0/0', f: 'read', key: 'k1', at: T, outcome: 'ok', result: addsOf(c, 'k1', true) + 3 });
      return [r];
    },
  },
  {
    name: 'set duplicate: a read listing an element twice',
    model: 'set',
    family: 'invariant',
    plant: (c) => {
      c.op({ client: 'r0/0', f: 'add', key: 'k0', value: 1001, at: T, outcome: 'ok', result: 1001 });
      const els = setWith(c.state.get('k0'), 1001);
      c.state.set('k0', els);
      const r = c.op({ client: 'r1/0', f: 'read', key: 'k0', at: T + 5000, outcome: 'ok', result: [...els, 1001] });
      return [r];
    },
  },
  {
    name: 'phantom element: a read holding an element no add wrote',
    model: 'set',
    family: 'invariant',
    plant: (c) => {
      const r = c.op({ client: 'r2/0', f: 'read', key: 'k1', at: T, outcome: 'ok', result: setWith(c.state.get('k1'), 999_999) });
      return [r];
    },
  },
];

describe('a planted anomaly is reported with a witness naming the planted ops', () => {
  for (const p of PLANTS) {
    it(p.name, () => {
      fc.assert(
        fc.property(genOps, (gen) => {
          let planted: number[] = [];
          const records = generate(p.model, gen, (c) => {
            planted = p.plant(c);
          });
          const a = checkHistory(records, optsOf(p.model)).anomalies[p.family];
          expect(a.applicable).toBe(true);
          expect(a.count).toBeGreaterThanOrEqual(1);
          const named = a.witnesses.some((w) => planted.every((id) => w.ops.includes(id)));
          expect(named, `${p.family} witnesses ${JSON.stringify(a.witnesses.map((w) => w.ops))} name ${JSON.stringify(planted)}`).toBe(true);
        }),
        { numRuns: 60, seed: 1313 },
      );
    });
  }
});

/** The families each model's histories are judged by (the others are n/a for that model, with a note). */
const APPLICABLE: Record<GenModel, AnomalyName[]> = {
  register: ['divergence', 'lost_update', 'aborted_read', 'stale_read', 'read_your_writes', 'monotonic_read', 'non_linearizable', 'invariant', 'split_brain'],
  counter: ['divergence', 'lost_update', 'aborted_read', 'stale_read', 'read_your_writes', 'monotonic_read', 'non_linearizable', 'invariant', 'split_brain'],
  set: ['divergence', 'lost_update', 'aborted_read', 'stale_read', 'read_your_writes', 'monotonic_read', 'non_linearizable', 'invariant', 'split_brain'],
  inventory: ['divergence', 'lost_update', 'aborted_read', 'invariant', 'split_brain'],
};

describe('the same generator without a plant reports 0, not null', () => {
  for (const model of ['register', 'counter', 'set', 'inventory'] as const) {
    it(model, () => {
      fc.assert(
        fc.property(genOps, (gen) => {
          const a = checkHistory(generate(model, gen), optsOf(model)).anomalies;
          for (const name of APPLICABLE[model]) {
            expect(a[name].applicable, name).toBe(true);
            expect(a[name].count, name).toBe(0);
            expect(a[name].unknown, name).toBeFalsy();
          }
        }),
        { numRuns: 150, seed: 2727 },
      );
    });
  }
});
