// The async engine's timers are typed (AsyncTimer): every timer it sets is one of the kinds
// its onTimer dispatches on, and anything else is refused loudly rather than ignored.
import { describe, expect, it } from 'vitest';
import { micros, MS } from '../../../src/sim/time.js';
import { NODES3, readHarness } from './fixtures.js';

describe('async timers', () => {
  it('flush, retry and read-give-up are the only timers set, and each is handled', () => {
    const { h } = readHarness('quorum', NODES3, { flush_interval_us: micros(10 * MS) });
    h.request('us-east/0', { op: 1, f: 'write', key: 'k', value: 1 });
    h.advance(20 * MS); // flush fires and ships
    h.drop(() => true); // the batch is lost: the retry timer resends
    h.advance(2000 * MS);
    h.request('us-east/0', { op: 2, f: 'read', key: 'k' }); // a quorum read arms its give-up timer
    h.drop(() => true);
    h.advance(61_000 * MS);
    const kinds = new Set(h.trace.flatMap((t) => (t.effect.type === 'timer' ? [t.effect.timer.kind] : [])));
    expect([...kinds].sort()).toEqual(['flush', 'read-give-up', 'retry']);
  });

  it('an unknown timer kind is an error, not a silent no-op', () => {
    const { h, engine } = readHarness('local', NODES3);
    const s = h.states.get(NODES3[0] as never)!;
    expect(() => engine.onTimer(s, { kind: 'tick' }, h.ctx(NODES3[0]!))).toThrow(/unknown async timer/);
  });
});
