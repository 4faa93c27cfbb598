// src/ may not read the wall clock, use ambient randomness or timers, except the CLI and report
// layers (which measure wall time for display only). This keeps every run reproducible.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const FORBIDDEN = /Math\.random|Date\.now|new Date\(|setTimeout|setInterval|setImmediate|performance\.now|process\.hrtime/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('determinism of src/', () => {
  it('no wall clock, ambient randomness or timers outside src/cli and src/report', () => {
    const offenders: string[] = [];
    for (const f of files(join(root, 'src'))) {
      const rel = relative(root, f).split('\\').join('/');
      if (rel.startsWith('src/cli/') || rel.startsWith('src/report/')) continue;
      // Block comments are blanked (newlines kept, so line numbers stay right).
      readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (FORBIDDEN.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an offender', () => {
    expect(FORBIDDEN.test('const t = Date.now();')).toBe(true);
    expect(FORBIDDEN.test('x = Math.random()')).toBe(true);
    expect(FORBIDDEN.test('const k = createKernel()')).toBe(false);
  });
});
