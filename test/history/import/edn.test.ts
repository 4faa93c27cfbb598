import { describe, expect, it } from 'vitest';
import { readEdn } from '../../../src/history/import/edn.js';

describe('readEdn', () => {
  it('reads scalars, collections, comments and commas', () => {
    const r = readEdn('; a comment\n[nil true 42 -7 1.5 "a\\"b\\n" :kw sym (1, 2) {:a 1} #{3} #_ 99 #inst "x" \\c]');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.forms).toHaveLength(1);
    expect(r.forms[0]!.line).toBe(2);
    const v = r.forms[0]!.value as unknown[];
    expect(v.slice(0, 6)).toEqual([null, true, 42, -7, 1.5, 'a"b\n']);
    expect(v[6]).toEqual({ kind: 'keyword', name: 'kw' });
    expect(v[7]).toEqual({ kind: 'symbol', name: 'sym' });
    expect(v[8]).toEqual([1, 2]);
    expect(v[9]).toMatchObject({ kind: 'map', entries: [[{ kind: 'keyword', name: 'a' }, 1]], line: 2 });
    expect(v[10]).toEqual({ kind: 'set', items: [3] });
    expect(v[11]).toEqual({ kind: 'tagged', tag: 'inst', value: 'x' });
    expect(v[12]).toBe('c');
    expect(v).toHaveLength(13);
  });
  it('names the line and column of an unterminated collection', () => {
    const r = readEdn('[{:a 1}\n {:b 2}\n');
    expect(r).toMatchObject({ ok: false, line: 1, column: 1 });
    if (!r.ok) expect(r.message).toContain('unterminated vector (expected ])');
  });
  it('names a stray closer, an odd map and a bad escape', () => {
    expect(readEdn('{:a 1}\n)')).toMatchObject({ ok: false, line: 2, column: 1 });
    const odd = readEdn('\n  {:a}');
    expect(odd).toMatchObject({ ok: false, line: 2, column: 3 });
    if (!odd.ok) expect(odd.message).toContain('even number');
    expect(readEdn('"a\\qb"')).toMatchObject({ ok: false, line: 1 });
  });
});
