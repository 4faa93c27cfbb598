import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-html-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replsim run --html', () => {
  it('writes the page next to the usual output, leaving no temporary file', async () => {
    const file = join(dir, 'report.html');
    const io = memoryIo();
    const code = await main(['run', 'scenarios/quickstart.yaml', '--json', '--html', file], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout).scenario).toBe('quickstart');
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('"name":"quickstart"');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('an unwritable path is bad input (exit 2) naming the flag', async () => {
    const io = memoryIo();
    const code = await main(['run', 'scenarios/quickstart.yaml', '--quiet', '--html', join(dir, 'missing', 'x.html')], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/--html: cannot write .*missing/);
    expect(readdirSync(dir).filter((f) => f.includes('tmp'))).toEqual([]);
  });
});
