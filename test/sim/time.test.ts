import { describe, expect, it } from 'vitest';
import { formatMicros, parseDuration } from '../../src/sim/time.js';

describe('durations', () => {
  it.each([
    ['250us', 250],
    ['15ms', 15_000],
    ['2s', 2_000_000],
    ['5m', 300_000_000],
    ['2h', 7_200_000_000],
    ['1m30s', 90_000_000],
    ['1.5s', 1_500_000],
    ['-5s', -5_000_000],
  ])('%s = %d us', (text, us) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: us });
  });

  it.each(['15', '2 s', 's', '5x', '', '1.2.3s'])('rejects %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });

  it('asks for a unit on a bare number', () => {
    const r = parseDuration('15');
    expect(r.ok ? '' : r.error).toMatch(/needs a unit/);
  });

  it('formats for humans', () => {
    expect(formatMicros(250)).toBe('250us');
    expect(formatMicros(1_500)).toBe('1.5ms');
    expect(formatMicros(2_000_000)).toBe('2s');
    expect(formatMicros(3_723_000_000)).toBe('1h02m3s');
  });
});
