import { describe, expect, it } from 'vitest';
import { faultWindows, partitionGroups, sideOf } from '../../src/checker/faults.js';
import { splitHistory } from '../../src/checker/ops.js';
import { history, s } from './builders.js';

const windows = (h: ReturnType<typeof history>) =>
  faultWindows(splitHistory(h.records())).map((w) => ({ kind: w.kind, start: w.start_t, end: w.end_t, closed: w.closed }));

describe('fault windows', () => {
  it('an end record closes the window with its id; heal closes network faults only', () => {
    const h = history();
    h.fault(s(1), 'partition', { id: 0, groups: [['a'], ['b']] });
    h.fault(s(2), 'crash', { id: 1, target: 'a/0' });
    h.fault(s(3), 'slow', { id: 2, between: ['a', 'b'] });
    h.fault(s(4), 'end', { id: 0, of: 'partition' });
    h.fault(s(5), 'heal', { ids: [2] });
    h.write('a/1', 'k', 1, s(9), s(9.1)); // the history ends at 9.1 s
    expect(windows(h)).toEqual([
      { kind: 'partition', start: s(1), end: s(4), closed: true },
      { kind: 'crash', start: s(2), end: s(9.1), closed: false },
      { kind: 'slow', start: s(3), end: s(5), closed: true },
    ]);
  });

  it('restart closes the crash of the same node or of its REGION/*; rejoin closes remove', () => {
    const h = history();
    h.fault(s(1), 'crash', { target: 'a/*' });
    h.fault(s(1), 'crash', { target: 'b/0' });
    h.fault(s(2), 'remove', { target: 'c' });
    h.fault(s(3), 'restart', { target: 'a/0' });
    h.fault(s(4), 'rejoin', { target: 'c' });
    h.fault(s(5), 'invariant', { message: 'x' });
    expect(windows(h)).toEqual([
      { kind: 'crash', start: s(1), end: s(3), closed: true },
      { kind: 'crash', start: s(1), end: s(5), closed: false },
      { kind: 'remove', start: s(2), end: s(4), closed: true },
    ]);
  });

  it('sides: listed groups, each unlisted region alone for a partition, the rest together for an isolate', () => {
    const h = history();
    h.fault(s(1), 'partition', { groups: [['us-east', 'eu-west/0']] });
    h.fault(s(2), 'isolate', { target: 'us-east' });
    const [p, i] = faultWindows(splitHistory(h.records()));
    if (!p || !i) throw new Error('two windows expected');
    const pg = partitionGroups(p) ?? [];
    expect(sideOf(p, pg, 'us-east/2')).toBe(sideOf(p, pg, 'eu-west/0'));
    expect(sideOf(p, pg, 'eu-west/1')).not.toBe(sideOf(p, pg, 'ap-northeast/0'));
    const ig = partitionGroups(i) ?? [];
    expect(sideOf(i, ig, 'eu-west/1')).toBe(sideOf(i, ig, 'ap-northeast/0'));
    expect(sideOf(i, ig, 'us-east/0')).not.toBe(sideOf(i, ig, 'eu-west/1'));
  });
});

describe('imported nemesis events', () => {
  it('start opens a window, stop closes it, info echoes are ignored', () => {
    const h = history();
    h.fault(s(1), 'start', { process: 'nemesis', phase: 'invoke' });
    h.fault(s(1.5), 'start', { process: 'nemesis', phase: 'info', value: 'partitioned' });
    h.fault(s(4), 'stop', { process: 'nemesis', phase: 'invoke' });
    h.fault(s(4.5), 'stop', { process: 'nemesis', phase: 'info' });
    h.write('1', '', 1, s(9), s(9.1));
    expect(windows(h)).toEqual([{ kind: 'start', start: s(1), end: s(4), closed: true }]);
  });
});
