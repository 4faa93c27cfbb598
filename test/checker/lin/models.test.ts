import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { CheckOptions } from '../../../src/checker/types.js';
import { hist } from './dsl.js';

const verdict = (text: string, opts: CheckOptions) => nonLinearizable(hist(text), opts).verdict;

describe('register', () => {
  const opts: CheckOptions = { model: 'register' };
  it('accepts a read of a concurrent write and rejects a read of a value never written', () => {
    const base = `
      a inv 1 write k 1
      ok 1
      a inv 2 write k 2
      b inv 3 read k
      ok 2
      ok 3 VALUE`;
    expect(verdict(base.replace('VALUE', '1'), opts)).toBe(true);
    expect(verdict(base.replace('VALUE', '2'), opts)).toBe(true);
    expect(verdict(base.replace('VALUE', '3'), opts)).toBe(false);
  });
  it('rejects a stale read after the newer write was acknowledged', () => {
    const text = `
      a inv 1 write k 1
      ok 1
      a inv 2 write k 2
      ok 2
      b inv 3 read k
      ok 3 1`;
    const r = nonLinearizable(hist(text), opts);
    expect(r.verdict).toBe(false);
    expect(r.report.count).toBe(1);
    const w = r.report.witnesses[0]!;
    expect(w.ops[0]).toBe(3);
    expect(w.key).toBe('k');
    expect(w.explanation).toContain('read op 3 returning 1');
    expect(w.explanation).toContain('it would have seen 2');
  });
  it('reads nil as "no value" or as a wildcard by nilRead', () => {
    const text = `
      a inv 1 write k 1
      ok 1
      b inv 2 read k
      ok 2 null`;
    expect(verdict(text, { model: 'register', nilRead: 'empty' })).toBe(false);
    expect(verdict(text, { model: 'register', nilRead: 'any' })).toBe(true);
  });
  it('lets an info write take effect late or never, and drops failed writes', () => {
    const late = `
      a inv 1 write k 1
      info 1
      b inv 2 read k
      ok 2 null
      b inv 3 read k
      ok 3 1
      b inv 4 read k
      ok 4 1`;
    expect(verdict(late, opts)).toBe(true);
    const failed = `
      a inv 1 write k 1
      fail 1
      b inv 2 read k
      ok 2 1`;
    expect(verdict(failed, opts)).toBe(false);
    expect(verdict(failed.replace('fail 1', ''), opts)).toBe(true);
  });
  it('rejects an info write observed and then un-observed', () => {
    const text = `
      a inv 1 write k 1
      info 1
      b inv 2 read k
      ok 2 1
      b inv 3 read k
      ok 3 null`;
    expect(verdict(text, opts)).toBe(false);
  });
  it('treats a read of a sibling array as non-constraining', () => {
    const text = `
      a inv 1 write k 1
      ok 1
      b inv 2 read k
      ok 2 [1,7]`;
    expect(verdict(text, opts)).toBe(true);
  });
  it('checks keys independently and counts the failing ones', () => {
    const text = `
      a inv 1 write x 1
      ok 1
      a inv 2 read x
      ok 2 9
      a inv 3 write y 1
      ok 3
      a inv 4 read y
      ok 4 1
      a inv 5 read z
      ok 5 4`;
    const r = nonLinearizable(hist(text), opts);
    expect(r.report.count).toBe(2);
    expect(r.report.witnesses.map((w) => w.key)).toEqual(['x', 'z']);
  });
});

describe('witnesses', () => {
  it('counts every failing key but keeps the first 20 witnesses', () => {
    const lines: string[] = [];
    for (let k = 0; k < 25; k++) lines.push(`a inv ${k} read key${k}`, `ok ${k} 7`);
    const r = nonLinearizable(hist(lines.join('\n')), { model: 'register' });
    expect(r.report.count).toBe(25);
    expect(r.report.witnesses.map((w) => w.key)).toEqual(Array.from({ length: 20 }, (_, k) => `key${k}`));
    expect(r.report.witnesses[0]!.explanation).toContain('no write in the history wrote 7');
  });
});

describe('cas-register', () => {
  const opts: CheckOptions = { model: 'cas-register', initial: 0 };
  it('needs the expected value for an ok cas', () => {
    const text = `
      a inv 1 cas k [0,1]
      ok 1
      b inv 2 read k
      ok 2 VALUE`;
    expect(verdict(text.replace('VALUE', '1'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '0'), opts)).toBe(false);
    expect(verdict(text.replace('[0,1]', '[5,1]').replace('VALUE', '1'), opts)).toBe(false);
  });
  it('applies an unknown cas only when it matches', () => {
    const text = `
      a inv 1 cas k [0,1]
      info 1
      b inv 2 write k 3
      ok 2
      b inv 3 read k
      ok 3 VALUE`;
    expect(verdict(text.replace('VALUE', '3'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '1'), opts)).toBe(false);
  });
});

describe('multi-register', () => {
  const opts: CheckOptions = { model: 'multi-register', initial: { x: 0, y: 0 }, nilRead: 'any' };
  it('needs one order for all registers', () => {
    // Each txn writes its register, then reads the other's: one of them must see the other's
    // write, so both reading 0 (or both reading 1) has no order.
    const text = `
      a inv 1 txn _ [["write","x",1],["read","y",null]]
      b inv 2 txn _ [["write","y",1],["read","x",null]]
      ok 1 [["write","x",1],["read","y",YA]]
      ok 2 [["write","y",1],["read","x",XB]]`;
    expect(verdict(text.replace('YA', '0').replace('XB', '1'), opts)).toBe(true);
    expect(verdict(text.replace('YA', '1').replace('XB', '0'), opts)).toBe(true);
    expect(verdict(text.replace('YA', '0').replace('XB', '0'), opts)).toBe(false);
    expect(verdict(text.replace('YA', '1').replace('XB', '1'), opts)).toBe(false);
  });
});

describe('kv', () => {
  const opts: CheckOptions = { model: 'kv' };
  it('appends onto the current string, starting at ""', () => {
    const text = `
      a inv 1 append k "x"
      b inv 2 append k "y"
      ok 1 "x"
      ok 2 "y"
      c inv 3 get k
      ok 3 VALUE`;
    expect(verdict(text.replace('VALUE', '"xy"'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '"yx"'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '"x"'), opts)).toBe(false);
    expect(verdict(text.replace('VALUE', '"xyx"'), opts)).toBe(false);
  });
  it('replaces on put', () => {
    const text = `
      a inv 1 append k "x"
      ok 1
      a inv 2 put k "p"
      ok 2
      a inv 3 append k "q"
      ok 3
      b inv 4 get k
      ok 4 VALUE`;
    expect(verdict(text.replace('VALUE', '"pq"'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '"xpq"'), opts)).toBe(false);
  });
});

describe('counter', () => {
  const opts: CheckOptions = { model: 'counter' };
  it('reads a total reachable by some order of the adds', () => {
    const text = `
      a inv 1 add c 2
      b inv 2 add c 3
      c inv 3 read c
      ok 1
      ok 2
      ok 3 VALUE`;
    for (const v of [0, 2, 3, 5]) expect(verdict(text.replace('VALUE', String(v)), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '4'), opts)).toBe(false);
  });
  it('rejects a total that goes backwards', () => {
    const text = `
      a inv 1 add c 1
      ok 1
      b inv 2 read c
      ok 2 1
      b inv 3 read c
      ok 3 0`;
    expect(verdict(text, opts)).toBe(false);
  });
});

describe('set', () => {
  const opts: CheckOptions = { model: 'set' };
  it('reads whole sets in any element order', () => {
    const text = `
      a inv 1 add s 1
      ok 1
      a inv 2 add s 2
      b inv 3 read s
      ok 2
      ok 3 VALUE`;
    expect(verdict(text.replace('VALUE', '[2,1]'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '[1]'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '[2]'), opts)).toBe(false);
  });
  it('removes elements', () => {
    const text = `
      a inv 1 add s 1
      ok 1
      a inv 2 remove s 1
      ok 2
      b inv 3 read s
      ok 3 VALUE`;
    expect(verdict(text.replace('VALUE', '[]'), opts)).toBe(true);
    expect(verdict(text.replace('VALUE', '[1]'), opts)).toBe(false);
  });
});

describe('budget', () => {
  it('answers unknown with the reason when the state budget runs out, never a guess', () => {
    const lines: string[] = [];
    // Many concurrent writes then a read of a value none wrote: exhaustive search needed.
    for (let i = 0; i < 12; i++) lines.push(`c${i} inv ${i} write k ${i}`);
    lines.push('r inv 99 read k');
    for (let i = 0; i < 12; i++) lines.push(`ok ${i}`);
    lines.push('ok 99 1000');
    const r = nonLinearizable(hist(lines.join('\n')), { model: 'register', budget: { max_states: 50 } });
    expect(r.verdict).toBe('unknown');
    expect(r.report.unknown).toBe(true);
    expect(r.report.note).toContain('state budget of 50 states');
    // unknown is never zero: no count at all, not the 0 failures found so far
    expect(r.report.count).toBeNull();
    expect(r.report.at_least).toBe(0);
    expect(r.report.work).toMatchObject({ max_states: 50 });
    const full = nonLinearizable(hist(lines.join('\n')), { model: 'register' });
    expect(full.verdict).toBe(false);
    expect(full.report.count).toBe(1);
    expect(full.report.work!.states).toBeGreaterThan(50);
  });

  it('the memo memory bound stops the search too, as unknown with the reason (work, not time)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) lines.push(`c${i} inv ${i} write k ${i}`);
    lines.push('r inv 99 read k');
    for (let i = 0; i < 12; i++) lines.push(`ok ${i}`);
    lines.push('ok 99 1000');
    const r = nonLinearizable(hist(lines.join('\n')), { model: 'register', budget: { max_memo_bytes: 256 } });
    expect(r.verdict).toBe('unknown');
    expect(r.report).toMatchObject({ count: null, unknown: true });
    expect(r.report.note).toContain('memory bound of 256 bytes');
  });

  it('a key found failing while another key is stopped: verdict false, count null with at_least and the witness', () => {
    const lines: string[] = [];
    // key a: a read of a value nobody wrote (fails at once); key b: the hard search above
    lines.push('x inv 200 read a', 'ok 200 7');
    for (let i = 0; i < 12; i++) lines.push(`c${i} inv ${i} write b ${i}`);
    lines.push('r inv 99 read b');
    for (let i = 0; i < 12; i++) lines.push(`ok ${i}`);
    lines.push('ok 99 1000');
    const r = nonLinearizable(hist(lines.join('\n')), { model: 'register', budget: { max_states: 20 } });
    expect(r.verdict).toBe(false);
    expect(r.report).toMatchObject({ count: null, unknown: true, at_least: 1 });
    expect(r.report.witnesses).toHaveLength(1);
    expect(r.report.note).toContain('key b');
  });
  it('does not apply to inventory', () => {
    const r = nonLinearizable([], { model: 'inventory' });
    expect(r.report.applicable).toBe(false);
    expect(r.report.count).toBeNull();
  });
});
