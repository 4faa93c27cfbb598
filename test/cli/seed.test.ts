// `--seed` reads alike in every command's help and is refused alike when it is not a seed.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const SEED_COMMANDS = ['run', 'compare'];

describe('--seed', () => {
  it('has one help line in every command that takes it', async () => {
    const lines = new Set<string>();
    for (const c of SEED_COMMANDS) {
      const io = memoryIo();
      await main([c, '--help'], io);
      const line = io.stdout.split('\n').find((l) => l.trimStart().startsWith('--seed'));
      expect(line, c).toBeDefined();
      lines.add((line ?? '').trim().replace(/\s+/g, ' '));
    }
    expect([...lines]).toEqual(['--seed override the scenario seed (a non-negative integer) [string]']);
  });

  it.each(SEED_COMMANDS)('%s refuses a seed that is not a non-negative integer, quoting it', async (c) => {
    const io = memoryIo();
    const args = c === 'compare' ? ['compare', 'scenarios/quickstart.yaml', '--engine', 'async:lww', '--seed', '-3'] : ['run', 'scenarios/quickstart.yaml', '--seed', '1.5'];
    expect(await main(args, io)).toBe(2);
    expect(io.stderr).toMatch(/^replsim: --seed: expected a non-negative integer, got "(-3|1\.5)"\n$/);
  });
});
