import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateExpectations,
  isKnownExpectName,
  lookupPath,
  parseComparison,
  expectNameError,
  NO_VALUE,
} from '../../src/scenario/expect.js';
import { ANOMALY_NAMES } from '../../src/checker/types.js';
import type { Expectation } from '../../src/scenario/types.js';

const e = (name: string, op: Expectation['op'], value: number): Expectation => ({ name, op, value, want: `${op} ${value}` });

describe('evaluateExpectations', () => {
  it('compares with each operator', () => {
    const got: Record<string, number> = { a: 3 };
    const res = evaluateExpectations(
      [e('a', '==', 3), e('a', '>=', 3), e('a', '<=', 2), e('a', '>', 3), e('a', '<', 4)],
      (n) => got[n],
    );
    expect(res.map((r) => r.met)).toEqual([true, true, false, false, true]);
    expect(res[0]).toEqual({ name: 'a', want: '== 3', got: 3, met: true });
  });

  it('null, undefined, NaN and a throwing lookup are never met, even for "<" or "== 0"', () => {
    const res = evaluateExpectations([e('x', '<', 1), e('y', '==', 0), e('z', '<=', 100), e('t', '>=', 0)], (n) => {
      if (n === 'x') return null;
      if (n === 'y') return undefined;
      if (n === 'z') return Number.NaN;
      throw new Error('boom');
    });
    expect(res.map((r) => [r.got, r.met])).toEqual([
      [null, false],
      [null, false],
      [null, false],
      [null, false],
    ]);
  });
});

describe('evaluateExpectations: no value is never met, whatever the comparison', () => {
  const OPS: Array<Expectation['op']> = ['==', '>=', '<=', '>', '<'];
  it('a value given with its reason is unmet under every operator and keeps the reason in why', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), (op, value, reason) => {
        const [r] = evaluateExpectations([e('non_linearizable', op, value)], () => ({ none: `unknown: ${reason}` }));
        expect(r).toEqual({ name: 'non_linearizable', want: `${op} ${value}`, got: null, met: false, why: `unknown: ${reason}` });
      }),
    );
  });
  it('null without a reason is unmet too, with a generic why; a number keeps no why', () => {
    for (const op of OPS) {
      const [none] = evaluateExpectations([e('x', op, 0)], () => null);
      expect(none).toMatchObject({ got: null, met: false, why: NO_VALUE });
      const [some] = evaluateExpectations([e('x', op, 0)], () => 0);
      expect(some!.why).toBeUndefined();
    }
  });
});

describe('lookupPath', () => {
  const metrics = { availability: 0.98, latency_ms: { write: { p50: 12, p99: null } }, engine: { queue: { max: 7 } } };
  it('follows dotted paths to numbers', () => {
    expect(lookupPath(metrics, 'availability')).toBe(0.98);
    expect(lookupPath(metrics, 'latency_ms.write.p50')).toBe(12);
    expect(lookupPath(metrics, 'engine.queue.max')).toBe(7);
  });
  it('gives null for missing steps, null values, non-numbers and prototype names', () => {
    expect(lookupPath(metrics, 'latency_ms.write.p99')).toBeNull();
    expect(lookupPath(metrics, 'latency_ms.read.p50')).toBeNull();
    expect(lookupPath(metrics, 'latency_ms')).toBeNull();
    expect(lookupPath(metrics, 'constructor')).toBeNull();
    expect(lookupPath(metrics, 'availability.toFixed')).toBeNull();
    expect(lookupPath(null, 'a')).toBeNull();
  });
});

describe('expect names', () => {
  it('accepts every anomaly and the documented metrics', () => {
    for (const a of ANOMALY_NAMES) expect(isKnownExpectName(a)).toBe(true);
    for (const m of [
      'availability',
      'availability_during_faults',
      'latency_ms.read.p50',
      'latency_ms.write.max',
      'replication_lag_ms.p99',
      'convergence_ms',
      'rpo_ms',
      'rto_ms',
      'events',
      'sim_seconds',
      'engine.anything_without_dots',
    ]) {
      expect(isKnownExpectName(m), m).toBe(true);
    }
  });

  it('checks per-region availability against the regions when given', () => {
    expect(isKnownExpectName('availability_by_region.us-east', ['us-east'])).toBe(true);
    expect(isKnownExpectName('availability_by_region.eu-west', ['us-east'])).toBe(false);
    expect(isKnownExpectName('availability_by_region.eu-west')).toBe(true);
  });

  it('knows the per-region RTO, checked against the regions like availability (issue 13.12)', () => {
    expect(isKnownExpectName('rto_ms_by_region.us-east', ['us-east'])).toBe(true);
    expect(isKnownExpectName('rto_ms_by_region.us-east')).toBe(true);
    expect(expectNameError('rto_ms_by_region.eu-wset', ['us-east', 'eu-west'])).toMatch(/unknown region "eu-wset" .*did you mean "eu-west"/);
    expect(isKnownExpectName('rto_ms_by_region.')).toBe(false);
    expect(isKnownExpectName('rto_ms_by_region.a.b')).toBe(false);
  });

  it('rejects others, with a suggestion', () => {
    for (const bad of ['lost_updates', 'latency_ms.write.p95', 'latency_ms', 'engine.', 'engine.a.b', 'metrics', 'metrics.x', 'wall_seconds', '']) {
      expect(isKnownExpectName(bad), bad).toBe(false);
    }
    expect(expectNameError('stale_reads')).toMatch(/did you mean "stale_read"/);
    expect(expectNameError('latency_ms.write.p90')).toMatch(/did you mean "latency_ms.write.p50"/);
  });
});

describe('parseComparison', () => {
  it.each([
    ['>= 1', '>=', 1],
    ['<=0.5', '<=', 0.5],
    ['== 3', '==', 3],
    ['> 0', '>', 0],
    ['< 2', '<', 2],
    ['  >=  -1.5e3 ', '>=', -1500],
  ] as const)('%j', (text, op, value) => {
    expect(parseComparison(text)).toEqual({ ok: true, op, value, want: text.trim() });
  });
  it('a number is exact', () => {
    expect(parseComparison(0)).toEqual({ ok: true, op: '==', value: 0, want: '0' });
  });
  it.each(['=> 1', '= 1', '>=', '1', 'about 3', '>= x', '!= 1', '>= 1 2'])('rejects %j', (text) => {
    expect(parseComparison(text).ok).toBe(false);
  });
});
