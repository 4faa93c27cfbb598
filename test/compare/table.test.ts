import { describe, expect, it } from 'vitest';
import type { CompareReport, CompareRow } from '../../src/compare/compare.js';
import { renderCompare } from '../../src/report/table.js';

function row(setting: string, over: Partial<Extract<CompareRow, { ok: true }>> = {}): CompareRow {
  return {
    setting,
    ok: true,
    engine: 'x',
    availability: 0.9999,
    latency_ms: { write: { p50: 140.2, p99: 1298.4 }, read: { p50: 1.04, p99: 2.2 } },
    lost_update: 14,
    stale_read: 1601,
    divergence: 0,
    invariant: 3,
    rpo_ms: 2279.4,
    rto_ms: null,
    ops: { total: 1, ok: 1, fail: 0, info: 0 },
    history_sha256: 'h',
    ...over,
  };
}

const report: CompareReport = {
  scenario: 'quickstart',
  file: 'scenarios/quickstart.yaml',
  seed: 7,
  rows: [
    row('async:lww'),
    row('sync:split-brain', { availability: 0.583, latency_ms: { write: { p50: 411, p99: 123_456 }, read: { p50: null, p99: null } }, rto_ms: 30_412, rpo_ms: 0 }),
    { setting: 'raft:lease', ok: false, error: 'engine.replication_factor: replication_factor 3 needs at least 3 nodes; the regions have 2' },
    row('raft:follower', { availability: 1, lost_update: null }),
    row('async:counter', { rpo_ms: 4200, rpo_exact: false }),
  ],
};

describe('compare table', () => {
  const text = renderCompare(report, { color: false });
  const lines = text.split('\n');

  it('fits an 80-column terminal', () => {
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
  });

  it('one row per setting with the formatted numbers, in order', () => {
    expect(lines[0]).toBe('replsim compare · quickstart · seed 7');
    expect(lines[2]?.split(/\s+/)).toEqual(['setting', 'avail', 'write', 'ms', 'read', 'ms', 'lost', 'stale', 'diverg', 'inv', 'RPO', 'RTO']);
    expect(lines[4]?.split(/\s+/)).toEqual(['async:lww', '>99.9%', '140/1298', '1.0/2.2', '14', '1601', '0', '3', '2.3s', 'n/a']);
    expect(lines[5]?.split(/\s+/)).toEqual(['sync:split-brain', '58.3%', '411/123s', 'n/a/n/a', '14', '1601', '0', '3', '0ms', '30.4s']);
    expect(lines[6]).toMatch(/^raft:lease\s+cannot run: engine\.replication_factor:/);
    expect(lines[7]).toMatch(/^\s{10,}.*the regions have 2$/);
    expect(lines[8]?.split(/\s+/)).toEqual(['raft:follower', '100.0%', '140/1298', '1.0/2.2', 'n/a', '1601', '0', '3', '2.3s', 'n/a']);
  });

  it('an RPO that is only an upper bound (losses not pinned to ops) is marked ≤', () => {
    expect(lines[9]?.split(/\s+/)).toEqual(['async:counter', '>99.9%', '140/1298', '1.0/2.2', '14', '1601', '0', '3', '≤4.2s', 'n/a']);
  });

  it('numbers are right-aligned in their columns', () => {
    const end = (l: string | undefined, word: string) => (l ?? '').indexOf(word) + word.length;
    expect(end(lines[4], '1601')).toBe(end(lines[2], 'stale'));
    expect(end(lines[5], '58.3%')).toBe(end(lines[2], 'avail'));
  });

  it('long setting labels squeeze the gaps rather than overflow 80 columns', () => {
    const long = renderCompare({ ...report, rows: [row('sync:witness:us-central'), row('sync:pause')] }, { color: false });
    for (const l of long.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(long).toContain('sync:witness:us-central ');
  });

  it('colour marks non-zero anomaly counts when asked', () => {
    expect(renderCompare(report, { color: true })).toContain('\u001b[31m14\u001b[39m');
    expect(text).not.toContain('\u001b[');
  });
});
