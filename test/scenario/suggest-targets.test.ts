import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/scenario/suggest.js';
import { expandTarget, targetError } from '../../src/scenario/targets.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['lease', 'leese', 1],
    ['latency', 'laetncy', 1],
    ['latency', 'lantecy', 2],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
  ])('%j vs %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  it('suggests near misses only', () => {
    expect(closest('leese', ['lease', 'read-index', 'follower'])).toBe('lease');
    expect(closest('Raft', ['async', 'sync', 'raft'])).toBe('raft');
    expect(closest('zzzzzz', ['lease', 'follower'])).toBeUndefined();
    expect(closest('x', ['y'])).toBeUndefined();
  });
});

describe('targets', () => {
  const regions = { 'us-east': { nodes: 3 }, 'eu-west': { nodes: 1 } };
  it('accepts regions, in-range nodes and wildcards', () => {
    for (const t of ['us-east', 'us-east/0', 'us-east/2', 'eu-west/*']) expect(targetError(t, regions), t).toBeUndefined();
  });
  it('rejects unknown regions, out-of-range and malformed nodes, and kinds not allowed', () => {
    expect(targetError('us-eats', regions)).toMatch(/unknown region "us-eats" \(did you mean "us-east"\?\)/);
    expect(targetError('eu-west/1', regions)).toMatch(/eu-west has 1 node \(eu-west\/0\.\.eu-west\/0\)/);
    expect(targetError('us-east/x', regions)).toMatch(/got "us-east\/x"/);
    expect(targetError('us-east', regions, { node: true })).toMatch(/got the region/);
    expect(targetError('us-east/*', regions, { node: true })).toMatch(/expected a node/);
  });
  it('expands to node ids', () => {
    expect(expandTarget('us-east/*', regions)).toEqual(['us-east/0', 'us-east/1', 'us-east/2']);
    expect(expandTarget('eu-west', regions)).toEqual(['eu-west/0']);
    expect(expandTarget('us-east/1', regions)).toEqual(['us-east/1']);
  });
});
