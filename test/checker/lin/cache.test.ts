import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createConfigCache } from '../../../src/checker/lin/cache.js';

/** The shape the search passes along: leading all-ones words and where the zero tail starts. */
function shape(bits: Uint32Array): { lead: number; zeroFrom: number } {
  let lead = 0;
  while (lead < bits.length && bits[lead] === 0xffffffff) lead++;
  let zeroFrom = bits.length;
  while (zeroFrom > lead && bits[zeroFrom - 1] === 0) zeroFrom--;
  return { lead, zeroFrom };
}

describe('config cache (compressed bitsets)', () => {
  it('answers exactly like a set of (bits, state) strings', () => {
    // words are drawn from a few values so that all-ones runs, zero tails and repeats are common
    const word = fc.constantFrom(0, 0xffffffff, 1, 0x80000000, 5);
    const config = fc.record({ bits: fc.array(word, { minLength: 4, maxLength: 4 }), state: fc.integer({ min: 0, max: 2 }), hash: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(config, { maxLength: 200 }), (configs) => {
        const cache = createConfigCache(4);
        const seen = new Map<string, number>();
        for (const c of configs) {
          const bits = Uint32Array.from(c.bits);
          const key = `${c.bits.join(',')}|${c.state}`;
          // the hash is a function of the bits in the search; here equal bits get one hash
          const hash = seen.get(c.bits.join(',')) ?? c.hash;
          seen.set(c.bits.join(','), hash);
          const { lead, zeroFrom } = shape(bits);
          const fresh = !seen.has(key);
          seen.set(key, 1);
          expect(cache.addIfAbsent(bits, hash, c.state, lead, zeroFrom)).toBe(fresh);
        }
        expect(cache.size).toBe([...seen.keys()].filter((k) => k.includes('|')).length);
      }),
      { seed: 20261205, numRuns: 300 },
    );
  });

  it('charges the header plus the ragged middle only', () => {
    const cache = createConfigCache(313);
    const bits = new Uint32Array(313);
    bits.fill(0xffffffff, 0, 200);
    bits[200] = 7;
    expect(cache.addIfAbsent(bits, 1, 0, 200, 201)).toBe(true);
    expect(cache.lastBytes).toBe(24 + 4);
    expect(cache.addIfAbsent(bits, 1, 0, 200, 201)).toBe(false);
    expect(cache.bytes).toBe(28);
  });
});

describe('the search arena kept between histories (linearizable.ts)', () => {
  it('a history is judged the same whatever was checked before it', async () => {
    const { nonLinearizable } = await import('../../../src/checker/linearizable.js');
    const { hist } = await import('./dsl.js');
    // a failing cas-register history with open ops (memo entries, tried states, a prefix)
    const small = hist(
      ['a inv 1 write x 1', 'ok 1', 'b inv 2 cas x [1, 2]', 'info 2', 'c inv 3 write x 3', 'd inv 4 read x', 'ok 4 2', 'ok 3', 'e inv 5 read x', 'ok 5 1'].join('\n'),
    );
    const opts = { model: 'cas-register' as const };
    const first = nonLinearizable(small, opts);
    // a larger search in between leaves a bigger, dirty arena behind
    const lines: string[] = [];
    for (let i = 0; i < 14; i++) lines.push(`c${i} inv ${10 + i} write x ${i % 3}`);
    for (let i = 0; i < 14; i++) lines.push(`ok ${10 + i}`);
    lines.push('r inv 99 read x', 'ok 99 7');
    const big = nonLinearizable(hist(lines.join('\n')), opts);
    expect(big.report.work!.states).toBeGreaterThan(first.report.work!.states);
    expect(nonLinearizable(small, opts)).toEqual(first);
  });
});
