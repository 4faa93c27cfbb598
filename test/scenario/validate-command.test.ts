import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('replsim validate', () => {
  it('prints FILE: ok for each valid file and exits 0', async () => {
    const io = memoryIo();
    const a = fixture('minimal.yaml');
    const b = fixture('format-example.yaml');
    expect(await main(['validate', a, b], io)).toBe(0);
    expect(io.stdout).toBe(`${a}: ok\n${b}: ok\n`);
    expect(io.stderr).toBe('');
  });

  it('exits 2 when any file is invalid, still reporting the valid ones', async () => {
    const io = memoryIo();
    const a = fixture('minimal.yaml');
    const missing = fixture('does-not-exist.yaml');
    expect(await main(['validate', missing, a], io)).toBe(2);
    expect(io.stdout).toBe(`${a}: ok\n`);
    expect(io.stderr).toBe(`${missing}:1:1 no such file: ${missing}\n`);
  });

  it('refuses a directory and an endless device without reading it all', async () => {
    const io = memoryIo();
    const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const files = existsSync('/dev/zero') ? [dir, '/dev/zero'] : [dir];
    expect(await main(['validate', ...files], io)).toBe(2);
    const lines = io.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${dir}:1:1 is a directory, not a scenario file`);
    if (files.length > 1) expect(lines[1]).toBe('/dev/zero:1:1 file is too large (the limit is 1048576 bytes)');
  });

  it('needs at least one file', async () => {
    const io = memoryIo();
    expect(await main(['validate'], io)).toBe(2);
    expect(io.stderr).toMatch(/^replsim: .+\n$/);
  });
});
