// The mutation campaign's mutants (scripts/mutants.mjs) must keep applying to the current
// source: a patch whose search string no longer occurs (or occurs twice) would silently test
// nothing. Also one end-to-end run of `npm run mutate` on one mutant and one small scenario,
// so the harness's verdict (named by the checker) is itself tested.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../../scripts/mutants.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('engine mutants (npm run mutate)', () => {
  it('has mutants for every engine, with unique kebab-case ids', () => {
    const ids = MUTANTS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const e of ['async', 'sync', 'raft'] as const) {
      expect(MUTANTS.filter((m) => m.engine === e).length, e).toBeGreaterThanOrEqual(5);
    }
  });

  it.each(MUTANTS.map((m) => [m.id, m] as const))('%s still applies to the current source', (_id, m) => {
    // an engine's own folder, or the one model module every engine shares (src/engines/objects)
    expect(m.file.startsWith(`src/engines/${m.engine}/`) || m.file.startsWith('src/engines/objects/')).toBe(true);
    const text = readFileSync(join(ROOT, m.file), 'utf8');
    expect(text.split(m.search).length - 1, `occurrences of the search string in ${m.file}`).toBe(1);
    expect(m.replace).not.toBe(m.search);
    expect(m.bug.length).toBeGreaterThan(10);
  });

  it('reports a mutant the checker names (dropped LWW tie-break → divergence on concurrent equal timestamps)', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'scripts', 'mutate.mjs'), '--mutant', 'async-lww-tiebreak-dropped', '--scenario', 'async-lww-concurrent-tie', '--quiet'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    const r = lines.find((l) => l.id === 'async-lww-tiebreak-dropped');
    expect(r.status).toBe('named');
    expect(r.named[0].run).toBe('async-lww-concurrent-tie@4');
    expect(Object.keys(r.named[0].families)).toContain('divergence');
    expect(lines.at(-1).summary).toMatchObject({ mutants: 1, named: 1, not_named: [] });
  });
});
