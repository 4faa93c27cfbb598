import { describe, expect, it } from 'vitest';
import { keyChooser, HOT_SHARE } from '../../src/workload/keys.js';
import { stream } from '../../src/sim/rng.js';

function counts(dist: 'uniform' | 'zipf' | 'hot', n = 20_000) {
  const choose = keyChooser({ keys: 100, key_distribution: dist, zipf_s: 1.1, hot_fraction: 0.1 });
  const r = stream(1, dist);
  const c = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = choose(r);
    c.set(k, (c.get(k) ?? 0) + 1);
  }
  return c;
}

describe('key distributions', () => {
  it('uniform spreads over all keys', () => {
    const c = counts('uniform');
    expect(c.size).toBe(100);
    for (const v of c.values()) expect(v).toBeGreaterThan(100);
  });
  it('zipf puts the most weight on k0 and decreases with rank', () => {
    const c = counts('zipf');
    expect(c.get('k0')!).toBeGreaterThan(c.get('k1')!);
    expect(c.get('k1')!).toBeGreaterThan(c.get('k10')!);
    expect(c.get('k0')! / 20_000).toBeGreaterThan(0.15);
  });
  it('hot sends about 90% of operations to the first 10% of keys', () => {
    const c = counts('hot');
    let hot = 0;
    for (let i = 0; i < 10; i++) hot += c.get(`k${i}`) ?? 0;
    expect(hot / 20_000).toBeGreaterThan(HOT_SHARE - 0.02);
    expect(hot / 20_000).toBeLessThan(HOT_SHARE + 0.02);
  });
});
