import { describe, expect, it } from 'vitest';
import { DROPPED, Network } from '../../src/net/network.js';
import { sampleLatency } from '../../src/net/latency.js';
import { stream } from '../../src/sim/rng.js';
import type { LinkSpec, Scenario } from '../../src/scenario/types.js';

const link = (over: Partial<LinkSpec> = {}): LinkSpec =>
  ({ latency_us: 1000, jitter_us: 0, distribution: 'constant', loss: 0, duplicate: 0, reorder: false, ...over }) as LinkSpec;

function net(spec: Partial<Scenario['network']> = {}, seed = 1) {
  const endpoints = [
    { name: 'a/0', region: 'a' },
    { name: 'a/1', region: 'a' },
    { name: 'b/0', region: 'b' },
    { name: 'c/0', region: 'c' },
  ];
  return new Network(
    endpoints,
    ['a', 'b', 'c'],
    { intra_region: link({ latency_us: 500 as never }), inter_region: link({ latency_us: 50_000 as never }), links: [], ...spec },
    stream(seed, 'network'),
  );
}

const times = (tx: ReturnType<Network['transmit']>) => (tx.dropped === false ? tx.times : tx.dropped);

describe('network', () => {
  it('uses intra- and inter-region defaults', () => {
    const n = net();
    expect(times(n.transmit(0, 1, 0))).toEqual([500]);
    expect(times(n.transmit(0, 2, 0))).toEqual([50_000]);
  });

  it('a link override applies both ways; one_way only from the first', () => {
    const n = net({
      links: [
        { between: ['a', 'b'], one_way: false, latency_us: 35_000 as never },
        { between: ['c', 'a'], one_way: true, latency_us: 90_000 as never },
      ],
    });
    expect(times(n.transmit(0, 2, 0))).toEqual([35_000]);
    expect(times(n.transmit(2, 0, 0))).toEqual([35_000]);
    expect(times(n.transmit(3, 0, 0))).toEqual([90_000]);
    expect(times(n.transmit(0, 3, 0))).toEqual([50_000]);
  });

  it('the last matching entry wins for each direction', () => {
    const n = net({
      links: [
        { between: ['a', 'b'], one_way: false, latency_us: 35_000 as never },
        { between: ['b', 'a'], one_way: true, latency_us: 70_000 as never },
      ],
    });
    expect(times(n.transmit(0, 2, 0))).toEqual([35_000]);
    expect(times(n.transmit(2, 0, 0))).toEqual([70_000]);
  });

  it('is FIFO per path even with jitter, unless reorder is set', () => {
    const jittery = { inter_region: link({ latency_us: 50_000 as never, jitter_us: 40_000 as never, distribution: 'uniform' }) };
    const n = net(jittery);
    let last = 0;
    for (let t = 0; t < 1000; t += 10) {
      const [d] = times(n.transmit(0, 2, t)) as number[];
      expect(d!).toBeGreaterThanOrEqual(last);
      last = d!;
    }
    const r = net({ inter_region: link({ latency_us: 50_000 as never, jitter_us: 40_000 as never, distribution: 'uniform', reorder: true }) });
    let overtakes = 0;
    last = 0;
    for (let t = 0; t < 1000; t += 10) {
      const [d] = times(r.transmit(0, 2, t)) as number[];
      if (d! < last) overtakes++;
      last = d!;
    }
    expect(overtakes).toBeGreaterThan(0);
  });

  it('drops messages across a cut and counts them', () => {
    const n = net();
    n.cuts.add({ id: 1, kind: 'groups', groupOf: Int32Array.from([0, 0, 1, 1]) });
    expect(times(n.transmit(0, 2, 0))).toBe('cut');
    expect(times(n.transmit(0, 1, 0))).toEqual([500]);
    n.cuts.remove(1);
    expect(times(n.transmit(0, 2, 0))).toEqual([50_000]);
    expect(n.stats.dropped_cut).toBe(1);
  });

  it('a one-way cut blocks one direction only', () => {
    const n = net();
    n.cuts.add({ id: 2, kind: 'one_way', from: Uint8Array.from([1, 1, 0, 0]), to: Uint8Array.from([0, 0, 1, 0]) });
    expect(times(n.transmit(0, 2, 0))).toBe('cut');
    expect(times(n.transmit(2, 0, 0))).toEqual([50_000]);
  });

  it('sendAt gives the same times, drops and draws as transmit, without a result object', () => {
    const spec = { inter_region: link({ latency_us: 10_000 as never, jitter_us: 3000 as never, distribution: 'normal', loss: 0.2, duplicate: 0.3 }) };
    const a = net(spec, 9);
    const b = net(spec, 9);
    for (const n of [a, b]) n.cuts.add({ id: 1, kind: 'groups', groupOf: Int32Array.from([0, 0, 0, 1]) });
    let dups = 0;
    let cuts = 0;
    for (let i = 0; i < 2000; i++) {
      const from = i % 4;
      const to = (i >> 2) % 4;
      const tx = a.transmit(from, to, i * 100);
      const at = b.sendAt(from, to, i * 100);
      if (tx.dropped !== false) {
        expect(at).toBe(DROPPED);
        expect(b.dropReason).toBe(tx.dropped);
        if (tx.dropped === 'cut') cuts++;
        continue;
      }
      expect([at, b.duplicate_us].filter((t) => t !== DROPPED)).toEqual(tx.times);
      if (tx.times.length === 2) dups++;
    }
    expect(dups).toBeGreaterThan(0);
    expect(cuts).toBeGreaterThan(0);
    expect(b.stats).toEqual(a.stats);
  });
  it('loses about `loss` of the messages and duplicates about `duplicate`', () => {
    const n = net({ inter_region: link({ latency_us: 10 as never, loss: 0.2, duplicate: 0.1 }) });
    let lost = 0;
    let dup = 0;
    for (let i = 0; i < 10_000; i++) {
      const tx = n.transmit(0, 2, i);
      if (tx.dropped === 'loss') lost++;
      else if (tx.dropped === false && tx.times.length === 2) dup++;
    }
    expect(lost / 10_000).toBeGreaterThan(0.18);
    expect(lost / 10_000).toBeLessThan(0.22);
    expect(dup / 8_000).toBeGreaterThan(0.08);
    expect(dup / 8_000).toBeLessThan(0.12);
  });

  it('a slow fault replaces the latency of a region pair until removed', () => {
    const n = net();
    n.addSlow(9, ['a', 'b'], 500_000);
    expect(times(n.transmit(2, 0, 0))).toEqual([500_000]);
    n.removeSlow(9);
    expect(times(n.transmit(2, 0, 1_000_000))).toEqual([1_050_000]);
  });
});

describe('latency distributions', () => {
  const mean = (d: LinkSpec['distribution']) => {
    const r = stream(5, d);
    let s = 0;
    for (let i = 0; i < 20_000; i++) s += sampleLatency(d, 10_000, 2_000, r);
    return s / 20_000;
  };
  it('constant, uniform and normal centre on the latency', () => {
    expect(mean('constant')).toBe(10_000);
    expect(Math.abs(mean('uniform') - 10_000)).toBeLessThan(100);
    expect(Math.abs(mean('normal') - 10_000)).toBeLessThan(100);
  });
  it('lognormal and pareto have tails above the latency', () => {
    expect(mean('lognormal')).toBeGreaterThan(10_000);
    expect(mean('pareto')).toBeGreaterThan(10_000);
    const r = stream(5, 'p');
    for (let i = 0; i < 1000; i++) expect(sampleLatency('pareto', 10_000, 2_000, r)).toBeGreaterThanOrEqual(10_000);
  });
  it('exponential is a floor at the latency plus a memoryless tail of mean jitter', () => {
    // P(X - latency > t) = exp(-t / jitter) for the exponential; checked at three points
    const r = stream(5, 'exp');
    const n = 40_000;
    const xs = Array.from({ length: n }, () => sampleLatency('exponential', 10_000, 2_000, r));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(10_000);
    const m = xs.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(m - 12_000)).toBeLessThan(60); // sd of the mean: 2000/sqrt(40000) = 10
    for (const t of [1_000, 2_000, 6_000]) {
      const above = xs.filter((x) => x - 10_000 > t).length / n;
      expect(Math.abs(above - Math.exp(-t / 2_000))).toBeLessThan(0.01);
    }
  });
  it('exponential with latency 0 is the pure exponential of the WARS model', () => {
    const r = stream(6, 'exp0');
    let s = 0;
    for (let i = 0; i < 20_000; i++) s += sampleLatency('exponential', 0, 1_000, r);
    expect(Math.abs(s / 20_000 - 1_000)).toBeLessThan(30);
  });
  it('exponential on an intra-region link draws from the network stream (same seed, same delays)', () => {
    const expLink = link({ latency_us: 0 as never, jitter_us: 1_000 as never, distribution: 'exponential', reorder: true });
    const draw = (seed: number) => {
      const n = net({ intra_region: expLink }, seed);
      return Array.from({ length: 50 }, (_, i) => times(n.transmit(0, 1, i)));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    const n = net({ intra_region: expLink }, 3);
    const d = Array.from({ length: 2_000 }, () => {
      const t = times(n.transmit(0, 1, 0));
      return Array.isArray(t) ? (t[0] as number) : -1;
    });
    expect(new Set(d).size).toBeGreaterThan(500); // really spread, not the constant 0
    expect(Math.abs(d.reduce((a, b) => a + b, 0) / d.length - 1_000)).toBeLessThan(100);
  });
  it('never goes negative', () => {
    const r = stream(5, 'n');
    for (let i = 0; i < 1000; i++) expect(sampleLatency('normal', 100, 10_000, r)).toBeGreaterThanOrEqual(0);
  });
});
