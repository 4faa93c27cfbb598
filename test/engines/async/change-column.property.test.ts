// The packed LWW change column (src/engines/async/rules/lww-column.ts) against a plain array
// model: after any sequence of pushes, replacements, clears and compactions it hands back the
// same changes, field for field and in field order (a sent change is serialised nowhere, but
// a rebuilt one that differed in any way would change what replicas apply), and a queue built
// on it releases and lists the same entries as one built on plain objects.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { objectColumn, type ChangeColumn } from '../../../src/engines/async/change-column.js';
import { lwwColumn } from '../../../src/engines/async/rules/lww-column.js';
import { ack, enqueue, newQueue, unacked } from '../../../src/engines/async/queue.js';
import type { LwwChange } from '../../../src/engines/async/rules/lww.js';
import { copiesOf, issue, newLedger } from '../../../src/engines/async/ledger.js';
import { compareTs } from '../../../src/engines/async/timestamp.js';
import type { NodeId } from '../../../src/sim/ids.js';

const change: fc.Arbitrary<LwwChange> = fc.record({
  kind: fc.constant('lww' as const),
  w: fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.array(fc.nat(9), { maxLength: 3 }), fc.constant(null)) as fc.Arbitrary<LwwChange['w']>,
  ts: fc.record({
    // past 2^31 (a 2-hour run's microseconds) and below 0 (a clock offset at the start)
    wall_us: fc.integer({ min: -1_000_000, max: Number.MAX_SAFE_INTEGER }),
    logical: fc.nat(1000),
    rank: fc.nat(8),
    seq: fc.nat(),
  }),
  op: fc.nat(),
});

type Cmd =
  | { t: 'push'; chs: LwwChange[] }
  | { t: 'set'; i: number; ch: LwwChange }
  | { t: 'clear'; i: number }
  | { t: 'drop'; n: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('push' as const), chs: fc.array(change, { minLength: 1, maxLength: 90 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('set' as const), i: fc.nat(), ch: change }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clear' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('drop' as const), n: fc.nat() }) },
);

/** The column's live (uncleared) slots as JSON text: field order counts. */
function live(col: ChangeColumn, cleared: ReadonlySet<number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < col.length; i++) out.push(cleared.has(i) ? '-' : JSON.stringify(col.get(i)));
  return out;
}

describe('packed LWW change column', () => {
  it('matches a plain array under any push / set / clear / dropFirst sequence', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 5 }), fc.array(cmd, { maxLength: 40 }), (initial, cmds) => {
        const packed = lwwColumn(initial);
        const model: unknown[] = [...initial];
        let cleared = new Set<number>();
        for (const c of cmds) {
          if (c.t === 'push') {
            for (const ch of c.chs) {
              packed.push(ch);
              model.push(ch);
            }
          } else if (model.length === 0) {
            continue;
          } else if (c.t === 'set') {
            const i = c.i % model.length;
            packed.set(i, c.ch);
            model[i] = c.ch;
            cleared.delete(i);
          } else if (c.t === 'clear') {
            const i = c.i % model.length;
            packed.clear(i);
            cleared.add(i);
          } else {
            const n = c.n % (model.length + 1);
            packed.dropFirst(n);
            model.splice(0, n);
            cleared = new Set([...cleared].filter((i) => i >= n).map((i) => i - n));
          }
          expect(packed.length).toBe(model.length);
        }
        expect(live(packed, cleared)).toEqual(model.map((ch, i) => (cleared.has(i) ? '-' : JSON.stringify(ch))));
      }),
      { numRuns: 200 },
    );
  });

  it('a queue on the packed column lists and releases what a queue on change objects does, through compaction and coalescing', () => {
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.record({ t: fc.constant('write' as const), key: fc.nat(5), ch: change, n: fc.integer({ min: 1, max: 400 }) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('ack' as const), upto: fc.nat(3000) }) },
    );
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 30 }), (coalesce, steps) => {
        const supersedes = (a: unknown, b: unknown): boolean => compareTs((a as LwwChange).ts, (b as LwwChange).ts) > 0;
        const qs = [
          newQueue('eu-west/0' as NodeId, 1, 0, [], 0, coalesce, 0, newLedger(lwwColumn)),
          newQueue('eu-west/0' as NodeId, 1, 0, [], 0, coalesce, 0, newLedger(objectColumn)),
        ] as const;
        const released = [0, 0];
        for (const s of steps) {
          qs.forEach((q, j) => {
            if (s.t === 'ack') {
              // a destination acks only what was sent (pump moves sentMax; no ctx here)
              const sent = Math.min(s.upto, q.nextSeq - 1);
              if (sent > q.sentMax) q.sentMax = q.sentUpto = sent;
              released[j]! += ack(q, s.upto);
              return;
            }
            // n writes of one key, each a little later than the last (coalescing may fold them)
            for (let k = 0; k < s.n; k++) {
              const ch: LwwChange = { ...s.ch, ts: { ...s.ch.ts, seq: s.ch.ts.seq + k } };
              released[j]! += enqueue(q, `k${s.key}`, ch, issue(q.ledger, false, ch, `k${s.key}`), coalesce ? supersedes : undefined);
            }
          });
        }
        const [a, b] = qs.map((q) => unacked(q).map((e) => JSON.stringify([e.seq, e.key, e.change, copiesOf(q.ledger, e.pending)])));
        expect(a).toEqual(b);
        expect(released[0]).toBe(released[1]);
        expect(qs[0].acked).toBe(qs[1].acked);
        expect(qs[0].ledger.changes.length).toBe(qs[1].ledger.changes.length);
      }),
      { numRuns: 100 },
    );
  });
});
