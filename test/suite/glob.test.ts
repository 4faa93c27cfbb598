import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from '../../src/suite/glob.js';

describe('glob patterns for --exclude', () => {
  it('* stays within a path segment, ** crosses them', () => {
    expect(globToRegExp('scenarios/*.yaml').test('scenarios/a.yaml')).toBe(true);
    expect(globToRegExp('scenarios/*.yaml').test('scenarios/x/a.yaml')).toBe(false);
    expect(globToRegExp('scenarios/**/*.yaml').test('scenarios/x/y/a.yaml')).toBe(true);
    expect(globToRegExp('scenarios/**/*.yaml').test('scenarios/a.yaml')).toBe(true);
    expect(globToRegExp('a?.yaml').test('ab.yaml')).toBe(true);
    expect(globToRegExp('a?.yaml').test('a/.yaml')).toBe(false);
  });

  it('dots and other regex characters are literal', () => {
    expect(globToRegExp('a.yaml').test('axyaml')).toBe(false);
    expect(globToRegExp('a+(b).yaml').test('a+(b).yaml')).toBe(true);
  });

  it('a pattern without a slash also matches the base name', () => {
    expect(matchesAny('scenarios/partition-2h.yaml', ['partition-2h.yaml'])).toBe(true);
    expect(matchesAny('scenarios/partition-2h.yaml', ['partition-*'])).toBe(true);
    expect(matchesAny('scenarios/quickstart.yaml', ['partition-*'])).toBe(false);
    expect(matchesAny('./scenarios/a.yaml', ['scenarios/a.yaml'])).toBe(true);
    expect(matchesAny('x/scenarios/a.yaml', ['scenarios/a.yaml'])).toBe(false);
  });
});
