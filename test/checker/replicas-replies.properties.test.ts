/**
 * Properties of the replica-set and reply rules on random fully replicated histories (every
 * write applied at all three nodes, which end equal), judged with `replicas`/`live` records:
 * - clean, they report no divergence and no invariant;
 * - with one live replica's `final` of a written key removed, divergence names that replica
 *   and key as absent;
 * - with one op answered a second time (a completion record or a simulator `extra_reply`),
 *   invariant counts exactly one, naming that op.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { HistoryRecord } from '../../src/history/types.js';

const NODES = ['a/0', 'b/0', 'c/0'];
const END = 10_000_000;

const genOp = fc.record({
  client: fc.integer({ min: 0, max: 2 }),
  key: fc.integer({ min: 0, max: 2 }),
  read: fc.boolean(),
  fail: fc.boolean(),
});
type GenOp = { client: number; key: number; read: boolean; fail: boolean };

/** Ops one after another (op i in [i·10 ms, i·10 ms + 5 ms]); writes applied everywhere unless failed. */
function replicated(gen: GenOp[]): { records: HistoryRecord[]; written: string[] } {
  const out: HistoryRecord[] = [{ t: 0, type: 'replicas', key: '*', nodes: NODES }];
  const state = new Map<string, number>();
  gen.forEach((g, i) => {
    const id = i + 1;
    const t = (i + 1) * 10_000;
    const key = `k${g.key}`;
    const client = NODES[g.client] as string;
    if (g.read) {
      out.push({ t, type: 'invoke', op: id, client, node: client, f: 'read', key });
      out.push({ t: t + 5_000, type: 'ok', op: id, value: state.get(key) ?? null });
      return;
    }
    out.push({ t, type: 'invoke', op: id, client, node: client, f: 'write', key, value: id });
    if (g.fail) {
      out.push({ t: t + 5_000, type: 'fail', op: id });
      return;
    }
    for (const n of NODES) out.push({ t: t + 1_000, type: 'apply', node: n, key, value: id, op: id });
    state.set(key, id);
    out.push({ t: t + 5_000, type: 'ok', op: id, value: id });
  });
  out.push({ t: END, type: 'live', nodes: NODES });
  const written = [...state.keys()].sort();
  for (const n of NODES) for (const key of written) out.push({ t: END, type: 'final', node: n, key, value: state.get(key) as number });
  return { records: out, written };
}

const judge = (records: HistoryRecord[]) => checkHistory(records, { model: 'register' }).anomalies;

describe('replica sets and replies on random replicated histories', () => {
  it('clean: divergence 0 and invariant 0, both applicable', () => {
    fc.assert(
      fc.property(fc.array(genOp, { minLength: 1, maxLength: 25 }), (gen) => {
        const a = judge(replicated(gen).records);
        expect(a.divergence).toMatchObject({ applicable: true, count: 0 });
        expect(a.invariant).toMatchObject({ applicable: true, count: 0 });
      }),
    );
  });

  it('a live replica missing one written key: divergence names it absent', () => {
    fc.assert(
      fc.property(fc.array(genOp, { minLength: 1, maxLength: 25 }), fc.nat(), fc.nat(), (gen, pickKey, pickNode) => {
        const { records, written } = replicated(gen);
        fc.pre(written.length > 0);
        const key = written[pickKey % written.length] as string;
        const node = NODES[pickNode % NODES.length] as string;
        const cut = records.filter((r) => !(r.type === 'final' && r.key === key && r.node === node));
        const d = judge(cut).divergence;
        expect(d.count).toBe(1);
        expect(d.witnesses[0]?.key).toBe(key);
        expect(d.witnesses[0]?.details?.['absent']).toEqual([node]);
      }),
    );
  });

  it('one op answered twice: invariant 1 naming the op', () => {
    fc.assert(
      fc.property(
        fc.array(genOp, { minLength: 1, maxLength: 25 }),
        fc.nat(),
        fc.constantFrom('ok', 'fail', 'extra_reply'),
        (gen, pick, form) => {
          const { records } = replicated(gen);
          const done = records.filter((r) => r.type === 'ok' || r.type === 'fail');
          const first = done[pick % done.length] as HistoryRecord & { op: number };
          const at = records.indexOf(first);
          const again: HistoryRecord =
            form === 'extra_reply'
              ? { t: first.t, type: 'extra_reply', op: first.op, node: 'a/0', reply: 'ok', first: first.type === 'ok' ? 'ok' : 'fail' }
              : form === 'ok'
                ? { t: first.t, type: 'ok', op: first.op }
                : { t: first.t, type: 'fail', op: first.op };
          const a = judge([...records.slice(0, at + 1), again, ...records.slice(at + 1)]);
          expect(a.invariant.count).toBe(1);
          expect(a.invariant.witnesses[0]?.ops).toEqual([first.op]);
        },
      ),
    );
  });
});
