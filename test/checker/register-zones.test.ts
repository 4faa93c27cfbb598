/**
 * register-zones.ts must answer for each key exactly what lin/zones.ts answers from the
 * key's `zoneOps` view (sink.ts), on random columnar histories mixing ok, fail, info, info
 * then a late ok, ops never completed, nil and odd values, cas and gets/puts, small gather
 * batches (keys gathered one batch at a time) and short prefixes looked at first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerZonesLinearizable } from '../../src/checker/lin/zones.js';
import { gatherer } from '../../src/checker/register-gather.js';
import { registerZonesCols, zoneFns } from '../../src/checker/register-zones.js';
import { tableLinSource } from '../../src/checker/sink.js';
import { OpTable } from '../../src/checker/table.js';
import { history } from './builders.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';

const genOp = fc.record({
  key: fc.integer({ min: 0, max: 2 }),
  f: fc.constantFrom('read', 'read', 'get', 'write', 'write', 'put', 'cas'),
  value: fc.constantFrom<'own' | 'small' | 'nil' | 'none' | 'odd'>('own', 'own', 'small', 'small', 'nil', 'none', 'odd'),
  small: fc.integer({ min: 0, max: 5 }),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'late', 'open'),
  gap: fc.integer({ min: 0, max: 3 }),
});
type GenOp = typeof genOp extends fc.Arbitrary<infer T> ? T : never;

const odd = (p: number): Value => [-0, 1.5, 'x', [7, 8]][p % 4] as Value;

function build(gen: GenOp[], casToo: boolean): HistoryRecord[] {
  // records sorted by time, ties in the order pushed, as a history file has them
  const h = history();
  const push = h.raw;
  gen.forEach((g, i) => {
    const id = i + 1;
    const key = `k${g.key}`;
    const at = 10 * i;
    const done = at + 5 + 10 * g.gap;
    const f = g.f === 'cas' && !casToo ? 'write' : g.f;
    const read = f === 'read' || f === 'get';
    const v: Value | undefined =
      g.value === 'own' ? (read ? g.small : id) : g.value === 'small' ? g.small : g.value === 'nil' ? null : g.value === 'none' ? undefined : odd(g.small);
    const arg = f === 'cas' ? [g.small, id] : v;
    push({ t: at, type: 'invoke', op: id, client: `c${i % 3}`, node: 'n', f, key, ...(!read && arg !== undefined ? { value: arg } : {}) });
    const value = read && v !== undefined ? { value: v } : {};
    if (g.outcome === 'ok') push({ t: done, type: 'ok', op: id, ...value });
    else if (g.outcome === 'fail') push({ t: done, type: 'fail', op: id });
    else if (g.outcome === 'info') push({ t: done, type: 'info', op: id });
    else if (g.outcome === 'late') {
      push({ t: done, type: 'info', op: id });
      push({ t: done + 3, type: 'ok', op: id, ...value });
    }
  });
  return h.records();
}

describe('zones from the gathered columns', () => {
  it('answers what lin/zones.ts answers from the zoneOps view, key by key', () => {
    const seen = { proven: 0, refuted: 0, late: 0 };
    fc.assert(
      fc.property(
        fc.array(genOp, { minLength: 1, maxLength: 40 }),
        fc.constantFrom<'empty' | 'any'>('empty', 'any'),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 12 }),
        (gen, nilRead, casToo, batchRows, prefixOps) => {
          const T = new OpTable();
          for (const r of build(gen, casToo)) T.push(r);
          const s = tableLinSource(T);
          const keys = s.keys();
          const ids = keys.map((key) => T.names.find(key) as number);
          const count = (k: number): number => {
            let c = 0;
            for (let r = 0; r < T.n; r++) if (T.key[r] === k) c++;
            return c;
          };
          const G = gatherer(T, ids, count, batchRows);
          const fns = zoneFns(T.fns.list);
          const opts = { initial: null, nilRead };
          keys.forEach((key, i) => {
            const want = registerZonesLinearizable(s.zoneOps!(key), opts);
            // with its first ops looked at alone first (lin/zones.ts refutedByPrefix) or not
            expect(registerZonesCols(G, ids[i] as number, fns, opts, prefixOps)).toBe(want);
            expect(registerZonesCols(G, ids[i] as number, fns, opts)).toBe(want);
            if (want) seen.proven++;
            else seen.refuted++;
          });
          if (T.lateOk.size > 0) seen.late++;
        },
      ),
      { numRuns: 1500, seed: 6122026 },
    );
    // both answers, and histories with late oks, were really seen
    expect(seen.proven).toBeGreaterThan(200);
    expect(seen.refuted).toBeGreaterThan(200);
    expect(seen.late).toBeGreaterThan(200);
  });
});
