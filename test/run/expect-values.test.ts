import { describe, expect, it } from 'vitest';
import { anomalyValue, expectValue } from '../../src/run/expect-values.js';
import type { AnomalyReport } from '../../src/checker/types.js';

const report = (r: Partial<AnomalyReport>): AnomalyReport => ({ applicable: true, count: 0, witnesses: [], ...r });

describe('expectValue', () => {
  const anomalies = {
    lost_update: report({ count: 3 }),
    read_your_writes: report({ applicable: false, count: null, note: 'sessions are not sticky', would_violate: 2 }),
    non_linearizable: report({ count: null, unknown: true, at_least: 1, note: 'state budget of 1 states ran out' }),
  };
  const metrics = { availability: 0.9, rpo_ms: null, latency_ms: { write: { p99: 12 } } };

  it('counts and metric values are numbers', () => {
    expect(expectValue(anomalies, metrics, 'lost_update')).toBe(3);
    expect(expectValue(anomalies, metrics, 'latency_ms.write.p99')).toBe(12);
  });
  it('a family not applicable or unknown has no value, and says why (never 0)', () => {
    expect(expectValue(anomalies, metrics, 'read_your_writes')).toEqual({ none: 'not applicable: sessions are not sticky' });
    expect(expectValue(anomalies, metrics, 'non_linearizable')).toEqual({
      none: 'unknown: state budget of 1 states ran out (1 found before it stopped)',
    });
  });
  it('a null metric and a missing one say which', () => {
    expect(expectValue(anomalies, metrics, 'rpo_ms')).toEqual({ none: 'not applicable: rpo_ms has no value in this run' });
    expect(expectValue(anomalies, metrics, 'engine.max_queue_depth')).toEqual({ none: 'engine.max_queue_depth is not reported by this run' });
  });
  it('anomalyValue: a null count without a note still has a reason', () => {
    expect(anomalyValue(report({ applicable: false, count: null }))).toEqual({ none: 'not applicable: this family does not apply to this run' });
    expect(anomalyValue(report({ count: null, unknown: true }))).toEqual({ none: 'unknown: the search stopped before a verdict' });
  });
});
