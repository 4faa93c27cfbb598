// Load shapes: the factor (steps, ramps, diurnal, bursts) and arrivals thinned to it.
import { describe, expect, it } from 'vitest';
import { loadFactor, maxFactor, nextArrival } from '../../src/workload/shape.js';
import { stream } from '../../src/sim/rng.js';
import type { LoadShapeSpec } from '../../src/scenario/types.js';
import type { Micros } from '../../src/sim/time.js';

const S = 1_000_000;
const us = (n: number) => n as Micros;

describe('loadFactor', () => {
  it('steps and a linear ramp', () => {
    const l: LoadShapeSpec = { steps: [{ at_us: us(10 * S), x: 3, ramp_us: us(0) }, { at_us: us(20 * S), x: 1, ramp_us: us(10 * S) }], bursts: [] };
    expect(loadFactor(l, 5 * S)).toBe(1);
    expect(loadFactor(l, 10 * S)).toBe(3);
    expect(loadFactor(l, 25 * S)).toBeCloseTo(2, 9);
    expect(loadFactor(l, 40 * S)).toBe(1);
  });

  it('diurnal: 1 at the peak, min at the trough; bursts multiply', () => {
    const l: LoadShapeSpec = { steps: [], diurnal: { period_us: us(60 * S), min: 0.2, peak_us: us(0) }, bursts: [{ at_us: us(30 * S), for_us: us(2 * S), x: 10 }] };
    expect(loadFactor(l, 0)).toBeCloseTo(1, 9);
    expect(loadFactor(l, 31 * S)).toBeCloseTo(10 * (0.2 + 0.8 * (1 + Math.cos((2 * Math.PI * 31) / 60)) / 2), 9);
    expect(loadFactor(l, 33 * S)).toBeCloseTo(0.2 + 0.8 * (1 + Math.cos((2 * Math.PI * 33) / 60)) / 2, 9);
    expect(maxFactor(l)).toBe(10);
  });
});

describe('nextArrival (thinning)', () => {
  it('counts follow the factor: a step to 3× triples the arrivals', () => {
    const l: LoadShapeSpec = { steps: [{ at_us: us(100 * S), x: 3, ramp_us: us(0) }], bursts: [] };
    const rng = stream(1, 'shape-test');
    const fmax = maxFactor(l);
    let t = 0;
    let before = 0;
    let after = 0;
    for (;;) {
      const d = nextArrival(l, fmax, 50, rng, t, 200 * S);
      if (d === Infinity) break;
      t += d;
      if (t < 100 * S) before++;
      else after++;
    }
    // Poisson counts: 5000 and 15000 expected, sd ≈ 71 and 122
    expect(Math.abs(before - 5000)).toBeLessThan(300);
    expect(Math.abs(after - 15000)).toBeLessThan(500);
  });

  it('a factor of 0 from some time on ends the arrivals (bounded by the end of the workload)', () => {
    const l: LoadShapeSpec = { steps: [{ at_us: us(S), x: 0, ramp_us: us(0) }], bursts: [] };
    const rng = stream(2, 'shape-test');
    let t = 0;
    let n = 0;
    for (;;) {
      const d = nextArrival(l, maxFactor(l), 100, rng, t, 10 * S);
      if (d === Infinity) break;
      t += d;
      n++;
    }
    expect(t).toBeLessThan(S);
    expect(n).toBeGreaterThan(50);
  });
});
