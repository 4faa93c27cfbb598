// The capacity station: work-conserving FIFO, bounded queue (full → overloaded for requests,
// dropped for messages), shedding by priority, crash reset, exact time integrals.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Station, type Job } from '../../src/node/station.js';
import type { CapacitySpec, ShedThreshold } from '../../src/scenario/types.js';
import type { Micros } from '../../src/sim/time.js';

function spec(c: number, queue: number, shed: Partial<Record<'low' | 'normal', ShedThreshold>> = {}): CapacitySpec {
  return { concurrency: c, queue, service: {}, default_service: { mean_us: 0 as Micros, distribution: 'constant' }, shed };
}
const req = (prio: number, t: number): Job => ({ kind: 0, from: 0, payload: null, fn: 'write', prio, in_us: t });
const msg = (t: number): Job => ({ kind: 1, from: 1, payload: null, fn: 'message', prio: 2, in_us: t });

describe('Station', () => {
  it('starts jobs while a worker is free, then queues FIFO, then refuses: requests overloaded, messages dropped', () => {
    const st = new Station(spec(2, 2), 1000, 10);
    expect(st.offer(req(1, 0), 0)).toBe('start');
    expect(st.offer(req(1, 0), 0)).toBe('start');
    const a = req(1, 1);
    const b = req(1, 2);
    expect(st.offer(a, 1)).toBe('wait');
    expect(st.offer(b, 2)).toBe('wait');
    expect(st.offer(req(2, 3), 3)).toBe('overloaded');
    expect(st.offer(msg(3), 3)).toBe('overloaded');
    expect(st.overloaded).toBe(1);
    expect(st.droppedMessages).toBe(1);
    expect(st.finish(10)).toBe(a); // FIFO
    expect(st.finish(11)).toBe(b);
    expect(st.finish(12)).toBeUndefined();
    expect(st.busy).toBe(1);
    expect(st.queueMax).toBe(2);
    // waits: 0, 0, 9, 9
    expect(st.delay.n).toBe(4);
    expect(st.delay.mean()).toBeCloseTo(4.5, 9);
  });

  it('sheds low priority above its queue threshold, normal above its own, high only when full', () => {
    const st = new Station(spec(1, 10, { low: { kind: 'queue', length: 1 }, normal: { kind: 'queue', length: 3 } }), 1000, 10);
    expect(st.offer(req(0, 0), 0)).toBe('start');
    expect(st.offer(req(0, 0), 0)).toBe('wait'); // queue 0 < 1
    expect(st.offer(req(0, 0), 0)).toBe('shed'); // queue 1 ≥ 1
    expect(st.offer(req(1, 0), 0)).toBe('wait');
    expect(st.offer(req(1, 0), 0)).toBe('wait');
    expect(st.offer(req(1, 0), 0)).toBe('shed'); // queue 3 ≥ 3
    expect(st.offer(req(2, 0), 0)).toBe('wait');
    expect(st.offer(msg(0), 0)).toBe('wait'); // replication is never shed
    expect(st.shed).toBe(2);
  });

  it('sheds by the age of the oldest waiting job (a delay threshold)', () => {
    const st = new Station(spec(1, 10, { low: { kind: 'delay', delay_us: 50 as Micros } }), 1000, 10);
    st.offer(req(1, 0), 0);
    expect(st.offer(req(1, 0), 0)).toBe('wait');
    expect(st.offer(req(0, 49), 49)).toBe('wait'); // the oldest waited 49 us
    expect(st.offer(req(0, 50), 50)).toBe('shed');
    expect(st.offer(req(1, 50), 50)).toBe('wait'); // normal has no threshold
  });

  it('a crash loses what waits and what is in service, and old completions are told apart by the epoch', () => {
    const st = new Station(spec(1, 5), 1000, 10);
    st.offer(req(1, 0), 0);
    st.offer(req(1, 0), 0);
    const e = st.epoch;
    st.reset(5);
    expect(st.lost).toBe(2);
    expect(st.epoch).toBe(e + 1);
    expect(st.busy).toBe(0);
    expect(st.offer(req(1, 6), 6)).toBe('start');
  });

  it('utilisation and mean queue length are exact time averages (property: against a step-by-step replay)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { minLength: 1, maxLength: 60 }), (steps) => {
        const c = 2;
        const st = new Station(spec(c, 1000), 7, 100);
        let t = 0;
        let busy = 0;
        let q = 0;
        let busyArea = 0;
        let queueArea = 0;
        for (const [dt, arrive] of steps) {
          busyArea += busy * dt;
          queueArea += q * dt;
          t += dt;
          if (arrive) {
            st.offer(req(1, t), t);
            if (busy < c) busy++;
            else q++;
          } else if (busy > 0) {
            st.finish(t);
            if (q > 0) q--;
            else busy--;
          }
        }
        st.advance(t);
        expect(st.busyArea).toBe(busyArea);
        expect(st.queueArea).toBe(queueArea);
        const s = st.series;
        expect(s.busy_area.reduce((a, x) => a + x, 0)).toBe(busyArea);
        expect(s.queue_area.reduce((a, x) => a + x, 0)).toBe(queueArea);
      }),
    );
  });
});
