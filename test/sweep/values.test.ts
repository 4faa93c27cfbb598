// --seeds and --vary parsing: ranges expand exactly (no float drift), bad text is one error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSeeds, parseVary } from '../../src/sweep/values.js';

describe('parseSeeds', () => {
  it('reads FIRST..LAST and a count', () => {
    expect(parseSeeds('1..1000')).toEqual({ ok: true, value: { first: 1, last: 1000 } });
    expect(parseSeeds('200')).toEqual({ ok: true, value: { first: 1, last: 200 } });
    expect(parseSeeds('7..7')).toEqual({ ok: true, value: { first: 7, last: 7 } });
  });
  it('refuses a reversed range, zero seeds and text', () => {
    for (const t of ['9..1', '0', 'x', '1..', '-1..3', '1.5']) {
      const r = parseSeeds(t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^--seeds: /);
    }
  });
});

describe('parseVary', () => {
  it('expands a duration range with a step in the unit of its start', () => {
    const r = parseVary('network.links[0].latency=10ms..200ms/10ms');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.field).toEqual(['network', 'links', 0, 'latency']);
    expect(r.value.values).toHaveLength(20);
    expect(r.value.values.slice(0, 3)).toEqual(['10ms', '20ms', '30ms']);
    expect(r.value.values.at(-1)).toBe('200ms');
    // a bare step takes the start's unit
    const bare = parseVary('x=10ms..200ms/10');
    expect(bare.ok && bare.value.values).toEqual(r.value.values);
  });
  it('mixes lists and ranges, numbers typed', () => {
    const r = parseVary('network.inter_region.loss=0..0.1/0.05,0.5');
    expect(r.ok && r.value.values).toEqual([0, 0.05, 0.1, 0.5]);
    const e = parseVary('engine=async:lww,raft:lease');
    expect(e.ok && e.value.values).toEqual(['async:lww', 'raft:lease']);
  });
  it('a numeric range has no float drift at any length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (n) => {
        const r = parseVary(`x=0..${n / 10}/0.1`);
        if (!r.ok) return false;
        return r.value.values.length === n + 1 && r.value.values.every((v, i) => v === Number((i / 10).toPrecision(12)));
      }),
    );
  });
  it('bad text is one line naming the --vary', () => {
    for (const t of ['latency', '=1,2', 'a..b=1', 'x=1,,2', 'x=5..1', 'x=1..3/0', 'x=10ms..2', 'x=1,1', 'x.__proto__.y=1']) {
      const r = parseVary(t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/^--vary /);
        expect(r.error).not.toContain('\n');
      }
    }
  });
});
