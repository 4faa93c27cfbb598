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

  it('needs at least one file', async () => {
    const io = memoryIo();
    expect(await main(['validate'], io)).toBe(2);
    expect(io.stderr).toMatch(/^replsim: .+\n$/);
  });
});
