// The Figure 8 mutant (a leader commits earlier-term entries by counting replicas) is named by
// the checker only in scenarios/raft-figure8-backlog.yaml, whose fault times are tuned to one
// seed's elections and message times: the cut from New York to Frankfurt must fall between the
// first 64-entry batch's arrival and the second's. An engine change that moves those times
// would silently turn the scenario back into a plain safety check; this end-to-end run of
// `npm run mutate` fails then, so the timeline gets re-tuned (docs/mutation.md, "Figure 8").
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('Figure 8 in a full-simulator run', () => {
  it('raft-figure8-backlog makes the checker name raft-figure8-old-term-commit (divergence)', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'scripts', 'mutate.mjs'), '--mutant', 'raft-figure8-old-term-commit', '--scenario', 'raft-figure8-backlog', '--quiet'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    const r = lines.find((l) => l.id === 'raft-figure8-old-term-commit');
    expect(r.status).toBe('named');
    expect(r.named[0].run).toBe('raft-figure8-backlog@8');
    expect(r.named[0].families.divergence?.[0]).toBe(0);
    expect(r.named[0].families.divergence?.[1]).toBeGreaterThan(0);
  });
});
