import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKernel, describeStop } from '../../src/sim/kernel.js';

describe('kernel', () => {
  it('advances time to each event and drains', () => {
    const k = createKernel<string>();
    const seen: Array<[string, number]> = [];
    k.at(30, 'c');
    k.at(10, 'a');
    k.at(10, 'b');
    const out = k.run((e, now) => {
      seen.push([e, now]);
      if (e === 'a') k.after(5, 'a+5');
    });
    expect(seen).toEqual([
      ['a', 10],
      ['b', 10],
      ['a+5', 15],
      ['c', 30],
    ]);
    expect(out.stop).toEqual({ kind: 'drained' });
    expect(out.events).toBe(4);
  });

  it('never schedules into the past', () => {
    const k = createKernel<number>();
    k.at(100, 1);
    const times: number[] = [];
    k.run((e, now) => {
      times.push(now);
      if (e === 1) k.at(50, 2);
    });
    expect(times).toEqual([100, 100]);
  });

  it('stops at max_events and names the limit', () => {
    const k = createKernel<number>({ max_events: 10 });
    k.at(0, 0);
    const out = k.run((e) => k.after(1, e + 1));
    expect(out.stop).toEqual({ kind: 'limit', limit: 'max_events', value: 10 });
    expect(describeStop(out.stop)).toBe('limit max_events (10) reached');
  });

  it('stops at the end time without running later events', () => {
    const k = createKernel<number>({ end_us: 100 });
    k.at(0, 0);
    let last = 0;
    const out = k.run((_e, now) => {
      last = now;
      k.after(30, 0);
    });
    expect(last).toBe(90);
    expect(out.stop).toEqual({ kind: 'end_time', at_us: 100 });
    expect(out.now_us).toBe(100);
  });

  it('stops when the queue grows past max_queue', () => {
    const k = createKernel<number>({ max_queue: 5 });
    k.at(0, 0);
    const out = k.run(() => {
      k.after(1, 0);
      k.after(1, 0);
    });
    expect(out.stop).toMatchObject({ kind: 'limit', limit: 'max_queue' });
  });

  it('stop() ends the run after the current event with its reason', () => {
    const k = createKernel<number>();
    for (let i = 0; i < 5; i++) k.at(i, i);
    const out = k.run((e) => {
      if (e === 2) k.stop('invariant broken');
    });
    expect(out.events).toBe(3);
    expect(out.stop).toEqual({ kind: 'stopped', reason: 'invariant broken' });
  });

  it('when several halts meet in one event, a stop wins over an outside limit, which wins over a queue overflow', () => {
    const run = (stop: boolean, limit: boolean): unknown => {
      const k = createKernel<number>({ max_queue: 1 });
      k.at(0, 0);
      return k.run(() => {
        k.after(1, 0);
        k.after(1, 0); // overflow
        if (limit) k.limit('max_history', 10);
        if (stop) k.stop('invariant broken');
      }).stop;
    };
    expect(run(true, true)).toEqual({ kind: 'stopped', reason: 'invariant broken' });
    expect(run(false, true)).toEqual({ kind: 'limit', limit: 'max_history', value: 10 });
    expect(run(false, false)).toEqual({ kind: 'limit', limit: 'max_queue', value: 1 });
  });

  it('an outside limit ends the run after the current event, with the first limit named', () => {
    const k = createKernel<number>();
    for (let i = 0; i < 5; i++) k.at(i, i);
    const out = k.run((e) => {
      if (e >= 1) k.limit('max_history_bytes', 100 + e, 'history too long');
    });
    expect(out.events).toBe(2);
    expect(out.stop).toEqual({ kind: 'limit', limit: 'max_history_bytes', value: 101, detail: 'history too long' });
  });
});

describe('kernel order and bounds (the folded checks of the run loop)', () => {
  // Each event, when it runs, schedules the children listed for it (at an absolute time, maybe
  // in the past, or after a delay, maybe negative); ties are frequent. The kernel must run the
  // events at the times and in the order a naive sorted list gives.
  const plan = fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 40 }),
      kids: fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -5, max: 20 })), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 120 },
  );

  it('runs events in exactly (time, seq) order, ties in scheduling order', () => {
    fc.assert(
      fc.property(plan, fc.integer({ min: 1, max: 400 }), (nodes, maxEvents) => {
        const k = createKernel<number>({ max_events: maxEvents });
        const model: Array<{ t: number; seq: number; id: number }> = [];
        let seq = 0;
        let next = 0; // node ids are handed out in scheduling order, so ids stand for events
        const schedule = (now: number, absolute: boolean, x: number): void => {
          if (next >= nodes.length) return;
          const id = next++;
          const t = absolute ? Math.max(now, x) : now + Math.max(0, x);
          if (absolute) k.at(x, id);
          else k.after(x, id);
          model.push({ t, seq: seq++, id });
        };
        for (let i = 0; i < Math.min(3, nodes.length); i++) schedule(0, true, nodes[i]!.at);
        const ran: Array<[number, number]> = [];
        const out = k.run((id, now) => {
          ran.push([now, id]);
          for (const [absolute, x] of nodes[id]!.kids) schedule(now, absolute, absolute ? now + x : x);
        });
        // The naive model: every event ever scheduled, sorted by (time, seq). An event runs no
        // earlier than its parent and is scheduled after it, so the kernel's order must be a
        // prefix of this list, cut where the run stopped.
        const want = [...model]
          .sort((a, b) => a.t - b.t || a.seq - b.seq)
          .slice(0, ran.length)
          .map((e): [number, number] => [e.t, e.id]);
        expect(ran).toEqual(want);
        expect(out.events).toBe(ran.length);
        if (out.stop.kind === 'limit') expect(out.events).toBe(maxEvents);
        else expect(out.stop.kind).toBe('drained');
      }),
    );
  });

  it('a drained queue wins over the event limit reached by the last event', () => {
    const k = createKernel<number>({ max_events: 2 });
    k.at(1, 1);
    k.at(2, 2);
    expect(k.run(() => undefined).stop).toEqual({ kind: 'drained' });
  });

  it('the end time wins over the event limit; a halt wins over both', () => {
    const k = createKernel<number>({ max_events: 1, end_us: 10 });
    k.at(1, 1);
    k.at(20, 2);
    expect(k.run(() => undefined)).toEqual({ stop: { kind: 'end_time', at_us: 10 }, events: 1, now_us: 10 });
    const h = createKernel<number>({ max_events: 1, end_us: 10 });
    h.at(1, 1);
    h.at(20, 2);
    expect(h.run(() => h.stop('halt')).stop).toEqual({ kind: 'stopped', reason: 'halt' });
  });

  it('an empty queue with an end time is drained, not ended, and keeps its time', () => {
    const k = createKernel<number>({ end_us: 100 });
    k.at(5, 1);
    expect(k.run(() => undefined)).toEqual({ stop: { kind: 'drained' }, events: 1, now_us: 5 });
  });

  it('a drained kernel refilled with fractional times runs each batch in (time, seq) order', () => {
    // the queue peeks its slot 0 with no size check: each drain must leave it empty again
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 20 }), { maxLength: 6 }), (batches) => {
        // bounded, so a queue that forgot it was empty fails here instead of running forever
        const k = createKernel<number>({ max_events: 1000 });
        for (const batch of batches) {
          const base = k.now;
          batch.forEach((d, i) => k.after(d, i));
          const ran: Array<[number, number]> = [];
          const out = k.run((i, now) => ran.push([now, i]));
          const want = batch.map((d, i): [number, number] => [d > 0 ? base + d : base, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(ran).toEqual(want);
          expect(out.stop).toEqual({ kind: 'drained' });
          expect(k.pending).toBe(0);
        }
      }),
    );
  });

  it('without an end time, an event at an infinite time still runs', () => {
    const k = createKernel<number>();
    k.at(Infinity, 1);
    const seen: number[] = [];
    expect(k.run((_e, now) => seen.push(now)).stop).toEqual({ kind: 'drained' });
    expect(seen).toEqual([Infinity]);
  });
});

describe('describeStop', () => {
  it('says the end time in seconds, exactly', () => {
    expect(describeStop({ kind: 'end_time', at_us: 70_000_000 })).toBe('reached end time 70 s');
    expect(describeStop({ kind: 'end_time', at_us: 500_000 })).toBe('reached end time 0.5 s');
    expect(describeStop({ kind: 'end_time', at_us: 1_000_001 })).toBe('reached end time 1.000001 s');
  });
});
