import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { history, s } from './builders.js';

const promised: CheckOptions = { model: 'register', promisesNoSplitBrain: true };
const sb = (h: ReturnType<typeof history>, opts = promised) => checkHistory(h.records(), opts).anomalies.split_brain;

function partitioned() {
  const h = history();
  h.fault(s(5), 'partition', { id: 1, groups: [['us-east'], ['eu-west', 'ap-northeast']] });
  h.fault(s(10), 'end', { id: 1 });
  return h;
}

describe('split_brain', () => {
  it('not promised: not applicable', () => {
    const h = partitioned();
    h.write('us-east/0', 'k', 1, s(6), s(6.1));
    h.write('eu-west/0', 'k', 2, s(6), s(6.2));
    expect(sb(h, { model: 'register' })).toMatchObject({ applicable: false, count: null });
  });

  it('both sides acknowledging writes to one key during the partition', () => {
    const h = partitioned();
    const a = h.write('us-east/0', 'k', 1, s(6), s(6.1));
    const b = h.write('ap-northeast/2', 'k', 2, s(7), s(7.2));
    h.write('eu-west/0', 'k', 3, s(7), s(7.3));
    const r = sb(h);
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops).toEqual([a, b]);
    expect(r.witnesses[0]?.key).toBe('k');
    expect(r.witnesses[0]?.explanation).toContain('partition from 5.000 s to 10.000 s');
    expect(r.witnesses[0]?.details?.['partition']).toEqual([['us-east'], ['eu-west', 'ap-northeast']]);
  });

  it('writes on one side only, or to different keys, or after the end: none', () => {
    const h = partitioned();
    h.write('eu-west/0', 'k', 1, s(6), s(6.1));
    h.write('ap-northeast/0', 'k', 2, s(7), s(7.1));
    h.write('us-east/0', 'j', 3, s(7), s(7.1));
    h.write('us-east/0', 'k', 4, s(11), s(11.1));
    expect(sb(h).count).toBe(0);
  });

  it('an isolated node healed by heal', () => {
    const h = history();
    h.fault(s(5), 'isolate', { target: 'us-east/1' });
    h.fault(s(9), 'heal');
    h.write('us-east/1', 'k', 1, s(6), s(6.1));
    h.write('us-east/0', 'k', 2, s(6), s(6.2));
    h.write('us-east/1', 'j', 3, s(9.5), s(9.6));
    h.write('us-east/0', 'j', 4, s(9.5), s(9.7));
    expect(sb(h).count).toBe(1);
  });
});

describe('split_brain sides', () => {
  it('unlisted regions are each their own side of a partition', () => {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['us-east']] });
    h.write('eu-west/0', 'k', 1, s(6), s(6.1));
    const b = h.write('ap-northeast/0', 'k', 2, s(6), s(6.2));
    const r = checkHistory(h.records(), promised).anomalies.split_brain;
    expect(r.count).toBe(1);
    expect(r.witnesses[0]?.ops[1]).toBe(b);
    expect(r.witnesses[0]?.explanation).toContain('to the end');
  });
});
