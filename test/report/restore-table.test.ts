// The recovery-methods table fits 80 columns: long labels move to a line of their own.
import { describe, expect, it } from 'vitest';
import { renderRestoreCompare } from '../../src/report/restore-table.js';
import type { RestoreRow } from '../../src/compare/restores.js';

const row = (setting: string): RestoreRow => ({
  setting, ok: true, rpo_ms: 7_800_000, downtime_ms: 2500, rto_ms: 14_000, bytes_uploaded: 1.2e6, lost_by_restore: 3950,
  reapplied: 715, reapplied_twice: 0, conflicts: 7131, divergence: 500, lost_update: 10, invariant: 13, history_sha256: '',
});

describe('recovery methods table', () => {
  for (const labels of [['snapshot', 'logs'], ['snapshot:none', 'pitr:1h04m:non-conflicting']]) {
    it(`fits 80 columns with labels ${labels.join(', ')}`, () => {
      const text = renderRestoreCompare({ scenario: 's', file: 'f', seed: 1, rows: labels.map(row) }, { color: false });
      for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
      for (const l of labels) expect(text).toContain(l);
      expect(text).toContain('7800s');
    });
  }

  it('a method that could not run shows why', () => {
    const text = renderRestoreCompare({ scenario: 's', file: 'f', seed: 1, rows: [{ setting: 'pitr:10m', ok: false, error: 'restore target 600s is before the first backup' }] }, { color: false });
    expect(text).toMatch(/pitr:10m\s+restore target 600s is before the first backup/);
  });
});
