/**
 * The columnar register families (src/checker/register-cols.ts) must say exactly what the
 * per-op families say: counts, would_violate, witnesses and their order, metrics. Random
 * multi-replica register histories are judged both ways and the reports compared whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeTable } from '../../src/checker/sink.js';
import { OpTable } from '../../src/checker/table.js';
import { registerKeyCols, registerScratch } from '../../src/checker/register-cols.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';
import type { CheckOptions } from '../../src/checker/types.js';
import type { Op } from '../../src/checker/ops.js';

const NODES = ['us/0', 'eu/0', 'ap/0'];

/** `fns`: how often each function name is drawn ('cas' ops are never reads) */
const genOpOf = (fns: fc.Arbitrary<'plain' | 'alias' | 'cas'>) => fc.record({
  client: fc.integer({ min: 0, max: 3 }),
  node: fc.integer({ min: 0, max: 2 }),
  key: fc.integer({ min: 0, max: 2 }),
  read: fc.boolean(),
  fn: fns,
  // later ops mostly start later (so earlier values are old), with overlap and equal times
  invoke: fc.integer({ min: 0, max: 6 }).map((x) => x * 1000),
  dur: fc.integer({ min: 0, max: 4 }).map((x) => x * 1000 + (x % 2) * 7),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'info', 'open'),
  // what a write writes / a read returns: a fresh value, an earlier value, nil, no value, odd values
  value: fc.constantFrom('fresh', 'fresh', 'earlier', 'earlier', 'nil', 'none', 'unknown', 'odd'),
  pick: fc.nat(),
});

const genOp = genOpOf(fc.constantFrom('plain', 'plain', 'plain', 'alias'));
/** With cas ops (etcd's shape): `[old, new]` mostly, sometimes short or not an array. */
const genCasOp = genOpOf(fc.constantFrom('plain', 'alias', 'cas', 'cas', 'cas'));

const genFinal = fc.record({ key: fc.integer({ min: 0, max: 2 }), node: fc.integer({ min: 0, max: 2 }), value: fc.constantFrom('earlier', 'earlier', 'nil', 'none', 'odd'), pick: fc.nat() });

type GenOp = typeof genOp extends fc.Arbitrary<infer T> ? T : never;
type GenFinal = typeof genFinal extends fc.Arbitrary<infer T> ? T : never;

function build(ops: GenOp[], finals: GenFinal[], oddValues: boolean, ids: 'seq' | 'sparse'): HistoryRecord[] {
  const events: Array<{ t: number; seq: number; r: HistoryRecord }> = [];
  let seq = 0;
  const push = (r: HistoryRecord): void => {
    events.push({ t: r.t, seq: seq++, r });
  };
  const written = new Map<string, Value[]>();
  const odd = (p: number): Value => [-0, 1.5, 'x', [7, 8]][p % 4] as Value;
  ops.forEach((g, i) => {
    const key = `k${g.key}`;
    const id = ids === 'seq' ? i + 1 : 1000 + 7 * i;
    const before = written.get(key) ?? [];
    const earlier = before.length > 0 ? before[g.pick % before.length] : null;
    const choose = (): Value | undefined => {
      switch (g.value) {
        case 'fresh': // a write's own value; for a read the latest value written
          return g.read && before.length > 0 ? before[before.length - 1] : id;
        case 'earlier':
          return earlier ?? id;
        case 'nil':
          return null;
        case 'none':
          return undefined;
        case 'unknown':
          return 99_000 + g.pick;
        default:
          return oddValues ? odd(g.pick) : id;
      }
    };
    const cas = g.fn === 'cas';
    const read = g.read && !cas;
    let v = choose();
    const f = cas ? 'cas' : read ? (g.fn === 'alias' ? 'get' : 'read') : g.fn === 'alias' ? 'put' : 'write';
    const at = i * 500 + g.invoke;
    const inv: HistoryRecord = { t: at, type: 'invoke', op: id, client: `c${g.client}`, node: NODES[g.node] as string, f, key };
    if (cas) {
      // [expected, new]; a short array or a bare value writes no value (register.ts writtenValue)
      const form = (g.pick >> 2) % 6;
      const old = form === 0 ? null : earlier;
      inv.value = form === 5 ? (v ?? null) : v === undefined || form === 4 ? [old ?? null] : [old ?? null, v];
      if (form >= 4 || v === undefined) v = null;
    } else if (!read && v !== undefined) inv.value = v;
    push(inv);
    if (!read && g.outcome !== 'fail') {
      written.set(key, [...before, v ?? null]);
      push({ t: at + 1, type: 'apply', node: NODES[g.node] as string, key, value: v ?? null, op: id });
    }
    const t = at + g.dur;
    if (g.outcome === 'ok') {
      const r: HistoryRecord = { t, type: 'ok', op: id };
      if (read && v !== undefined) r.value = v;
      if (cas) r.value = inv.value ?? null; // Jepsen echoes a cas's argument
      push(r);
    } else if (g.outcome === 'fail') push({ t, type: 'fail', op: id, error: 'refused' });
    else if (g.outcome === 'info') push({ t, type: 'info', op: id, error: 'timeout' });
  });
  for (const f of finals) {
    const key = `k${f.key}`;
    const w = written.get(key) ?? [];
    const value: Value | undefined =
      f.value === 'earlier' ? (w.length > 0 ? w[f.pick % w.length] : null) : f.value === 'nil' ? null : f.value === 'odd' ? (oddValues ? odd(f.pick) : 5) : undefined;
    if (value === undefined) continue;
    push({ t: 200_000, type: 'final', node: NODES[f.node] as string, key, value });
  }
  return events.sort((a, b) => a.t - b.t || a.seq - b.seq).map((e) => e.r);
}

function table(records: HistoryRecord[]): OpTable {
  const T = new OpTable();
  for (const r of records) T.push(r);
  return T;
}

const genOpts = fc.record({
  nilRead: fc.constantFrom<CheckOptions['nilRead']>('empty', 'any', undefined),
  sessions: fc.constantFrom<CheckOptions['sessions']>('sticky', 'none', undefined),
  model: fc.constantFrom<CheckOptions['model']>('register', 'register', 'cas-register', 'kv'),
});

/** The check options a generated record of options stands for (unset ones left out). */
function optsOf(o: { model: CheckOptions['model']; nilRead: CheckOptions['nilRead']; sessions: CheckOptions['sessions'] }): CheckOptions {
  return { model: o.model, ...(o.nilRead ? { nilRead: o.nilRead } : {}), ...(o.sessions ? { sessions: o.sessions } : {}) };
}

describe('columnar register families', () => {
  it('report exactly what the per-op families report', () => {
    fc.assert(
      fc.property(
        fc.array(genOp, { minLength: 1, maxLength: 60, size: 'large' }),
        fc.array(genFinal, { maxLength: 9 }),
        fc.boolean(),
        fc.constantFrom<'seq' | 'sparse'>('seq', 'seq', 'sparse'),
        genOpts,
        (ops, finals, odd, ids, o) => {
          const records = build(ops, finals, odd, ids);
          const opts = optsOf(o);
          const slow = judgeTable(table(records), opts, { columnar: false });
          expect(judgeTable(table(records), opts)).toEqual(slow);
          // copies gathered a few rows at a time: keys come in several batches
          expect(judgeTable(table(records), opts, { batchRows: 1 + (ops.length % 7) })).toEqual(slow);
        },
      ),
      { numRuns: 1500, seed: 20261126 },
    );
  });

  it('report byte-identical summaries with cas ops (a write of the new value) as the per-op families', () => {
    let columnar = 0;
    fc.assert(
      fc.property(
        fc.array(genCasOp, { minLength: 1, maxLength: 60, size: 'large' }),
        fc.array(genFinal, { maxLength: 9 }),
        fc.boolean(),
        fc.constantFrom<'seq' | 'sparse'>('seq', 'seq', 'sparse'),
        genOpts,
        (ops, finals, odd, ids, o) => {
          const records = build(ops, finals, odd, ids);
          const opts = optsOf(o);
          const slow = JSON.stringify(judgeTable(table(records), opts, { columnar: false }));
          expect(JSON.stringify(judgeTable(table(records), opts))).toBe(slow);
          expect(JSON.stringify(judgeTable(table(records), opts, { batchRows: 1 + (ops.length % 7) }))).toBe(slow);
          if (ops.some((g) => g.fn === 'cas') && simpleKeys(table(records), opts) > 0) columnar++;
        },
      ),
      { numRuns: 1500, seed: 20261205 },
    );
    // the comparison means something only if cas keys do take the column path
    expect(columnar).toBeGreaterThan(300);
  });

  it('take keys with cas ops of int or nil values, and leave a cas of any other value', () => {
    const T = table([
      { t: 0, type: 'invoke', op: 1, client: 'c0', node: 'n', f: 'write', key: 'k0', value: 1 },
      { t: 5, type: 'ok', op: 1 },
      { t: 10, type: 'invoke', op: 2, client: 'c1', node: 'n', f: 'cas', key: 'k0', value: [1, 2] },
      { t: 15, type: 'ok', op: 2, value: [1, 2] },
      // stale: cas 2 was acknowledged before this read began and it returned 1
      { t: 20, type: 'invoke', op: 3, client: 'c0', node: 'n', f: 'read', key: 'k0' },
      { t: 25, type: 'ok', op: 3, value: 1 },
    ]);
    const k = T.names.id('k0');
    const cols = registerKeyCols(registerScratch(T, [k], () => T.n), k, 'k0', { model: 'cas-register' }, null, (r) => ({ id: T.opId(r) }) as Op);
    expect(cols?.stale.count).toBe(1);
    const odd = table([
      { t: 0, type: 'invoke', op: 1, client: 'c0', node: 'n', f: 'cas', key: 'k0', value: [null, 'x'] },
      { t: 5, type: 'ok', op: 1 },
    ]);
    const k2 = odd.names.id('k0');
    expect(registerKeyCols(registerScratch(odd, [k2], () => odd.n), k2, 'k0', { model: 'cas-register' }, null, () => ({}) as Op)).toBeNull();
  });

  it('take the simple keys (int and nil values, reads and writes) and leave the rest', () => {
    const base: GenOp = { client: 0, node: 0, key: 0, read: false, fn: 'plain', invoke: 0, dur: 5, outcome: 'ok', value: 'fresh', pick: 0 };
    const simple = table(build([base, { ...base, read: true, invoke: 10, value: 'earlier' }], [], false, 'seq'));
    const odd = table(build([{ ...base, value: 'odd', pick: 1 }], [], true, 'seq'));
    const opAt = (): Op => {
      throw new Error('no witness expected');
    };
    const judge = (T: OpTable, opts: CheckOptions) => {
      const k = T.names.id('k0');
      return registerKeyCols(registerScratch(T, [k], () => T.n), k, 'k0', opts, null, opAt);
    };
    expect(judge(simple, { model: 'register' })?.stale.count).toBe(0);
    expect(judge(odd, { model: 'register' })).toBeNull();
    expect(judge(simple, { model: 'kv' })).toBeNull();
  });
});

/** How many keys of `T` the column path judges (witnesses are not made). */
function simpleKeys(T: OpTable, opts: CheckOptions): number {
  const keys = [...new Set(Array.from(T.key.subarray(0, T.n)))];
  const count = (k: number): number => T.key.subarray(0, T.n).filter((x) => x === k).length;
  const S = registerScratch(T, keys, count);
  const opAt = (): Op => ({}) as Op;
  return keys.filter((k) => registerKeyCols(S, k, T.names.list[k] as string, opts, null, opAt) !== null).length;
}
