import { describe, expect, it } from 'vitest';
import { stream } from '../../src/sim/rng.js';

const draw = (seed: number, name: string, n = 5) => {
  const r = stream(seed, name);
  return Array.from({ length: n }, () => r.next());
};

describe('named random streams', () => {
  it('are reproducible from (seed, name)', () => {
    expect(draw(42, 'workload/us-east/0')).toEqual(draw(42, 'workload/us-east/0'));
  });
  it('differ by seed and by name', () => {
    expect(draw(42, 'network')).not.toEqual(draw(43, 'network'));
    expect(draw(42, 'network')).not.toEqual(draw(42, 'faults'));
  });
  it('are independent: drawing from one never shifts another', () => {
    const a = stream(1, 'a');
    const b1 = stream(1, 'b');
    for (let i = 0; i < 100; i++) a.next();
    const b2 = stream(1, 'b');
    expect(b1.next()).toBe(b2.next());
  });
  it('int stays in range and exp has the right mean', () => {
    const r = stream(3, 'x');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = r.int(7);
      expect(v >= 0 && v < 7).toBe(true);
      sum += r.exp(10);
    }
    expect(sum / 20_000).toBeGreaterThan(9.5);
    expect(sum / 20_000).toBeLessThan(10.5);
  });
});
