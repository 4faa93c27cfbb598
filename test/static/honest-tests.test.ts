// Tests that cannot fail are defects (issue 13). Three patterns made tests pass without
// checking anything: an anomaly count guarded with `?? 0` (a family not applicable, or whose
// search stopped, passes as zero), an empty test standing in for skipped oracle tests, and
// assertions on wall-clock time (they pass or fail with the machine, not the code).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every test source except test/static (whose own sources quote the patterns). */
const sources = files(join(root, 'test'))
  .map((f) => ({ rel: relative(root, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }))
  .filter((s) => !s.rel.startsWith('test/static/'));

function offending(re: RegExp, only: (text: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const s of sources) {
    if (!only(s.text)) continue;
    // block comments blanked (newlines kept, so line numbers stay right)
    s.text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).split('\n').forEach((line, i) => {
      if (re.test(line.replace(/\/\/.*$/, ''))) out.push(`${s.rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('tests that can fail', () => {
  it('no anomaly count is guarded with `?? 0` / `|| 0`: a "no anomaly" test asserts the family was applicable and finished', () => {
    // use test/anomalies.ts (expectNone, foundOrUnknown) or compare with null explicitly
    expect(offending(/\bcount\s*(\?\?|\|\|)\s*0\b/)).toEqual([]);
  });

  it('tests of ../shared/oracles have no empty test body (absent oracles are a visible skip with the reason)', () => {
    const empty = /\b(it|test)(\.skipIf\([^)]*\))?\(\s*[^,]+,\s*(async\s*)?\(\)\s*=>\s*\{\s*\}\s*\)/;
    expect(offending(empty, (t) => t.includes('shared/oracles'))).toEqual([]);
  });

  it('no test reads the wall clock, not even as an injected clock (speed belongs in bench/)', () => {
    // a code path that takes a clock is tested with a fake, stepping one
    const clock = /process\.hrtime|Date\.now\(|performance\.now\(/;
    expect(offending(clock)).toEqual([]);
  });
});
