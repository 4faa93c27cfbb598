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

describe('describeStop', () => {
  it('says the end time in seconds, exactly', () => {
    expect(describeStop({ kind: 'end_time', at_us: 70_000_000 })).toBe('reached end time 70 s');
    expect(describeStop({ kind: 'end_time', at_us: 500_000 })).toBe('reached end time 0.5 s');
    expect(describeStop({ kind: 'end_time', at_us: 1_000_001 })).toBe('reached end time 1.000001 s');
  });
});
