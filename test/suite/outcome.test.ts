import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeDrift, outcomePath, readOutcome, stableJson, writeOutcome, type Outcome } from '../../src/suite/outcome.js';

const base: Outcome = {
  scenario: 'x',
  engine: 'async/lww/physical',
  seed: 7,
  ops: { total: 100, ok: 90, fail: 4, info: 6 },
  anomalies: { divergence: 0, lost_update: 14, stale_read: 3, split_brain: null },
  history_sha256: 'a'.repeat(64),
};

describe('golden outcome files', () => {
  it('sit next to the scenario', () => {
    expect(outcomePath('scenarios/x.yaml')).toBe('scenarios/x.outcome.json');
    expect(outcomePath('a/b.yml')).toBe('a/b.outcome.json');
  });

  it('are written with sorted keys at every level, atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-outcome-'));
    const path = join(dir, 'x.outcome.json');
    writeOutcome(path, { ...base, anomalies: { stale_read: 3, divergence: 0 } });
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const keys = [...text.matchAll(/^\s*"([a-z_0-9]+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual(['anomalies', 'divergence', 'stale_read', 'engine', 'history_sha256', 'ops', 'fail', 'info', 'ok', 'total', 'scenario', 'seed']);
    expect(readdirSync(dir)).toEqual(['x.outcome.json']);
    expect(readOutcome(path)).toEqual({ kind: 'ok', outcome: { ...base, anomalies: { stale_read: 3, divergence: 0 } } });
  });

  it('stableJson does not depend on insertion order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [{ z: 1, y: 2 }] } })).toBe(stableJson({ a: { c: [{ y: 2, z: 1 }], d: 2 }, b: 1 }));
  });

  it('a missing file is not an error; a broken one is, with a hint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-outcome-'));
    expect(readOutcome(join(dir, 'none.outcome.json'))).toEqual({ kind: 'missing' });
    writeFileSync(join(dir, 'bad.outcome.json'), '{ not json');
    const bad = readOutcome(join(dir, 'bad.outcome.json'));
    expect(bad.kind).toBe('invalid');
    if (bad.kind === 'invalid') expect(bad.error).toMatch(/not valid JSON.*--update/);
    writeFileSync(join(dir, 'shape.outcome.json'), JSON.stringify({ ...base, ops: { total: '1' } }));
    const shape = readOutcome(join(dir, 'shape.outcome.json'));
    expect(shape.kind === 'invalid' && shape.error).toMatch(/ops\.total/);
  });

  it('drift names each changed count as old → new, and the hash', () => {
    expect(outcomeDrift(base, base)).toEqual([]);
    const got: Outcome = {
      ...base,
      ops: { ...base.ops, ok: 91, info: 5 },
      anomalies: { ...base.anomalies, lost_update: 9, split_brain: 0 },
      history_sha256: 'b'.repeat(64),
    };
    expect(outcomeDrift(base, got)).toEqual([
      'lost_update 14 → 9',
      'split_brain n/a → 0',
      'ops.ok 90 → 91',
      'ops.info 6 → 5',
      `history ${'a'.repeat(12)}… → ${'b'.repeat(12)}…`,
    ]);
    expect(outcomeDrift(base, { ...base, engine: 'async/lww/hybrid', seed: 8 })).toEqual([
      'engine async/lww/physical → async/lww/hybrid',
      'seed 7 → 8',
    ]);
  });
});
