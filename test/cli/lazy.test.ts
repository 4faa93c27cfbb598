// The lazy command table (src/cli/commands/lazy.ts) that lets `replsim --help` start without
// loading any command: it must list exactly the commands of ./index.ts, in order, with the
// same usage and description, and each loader must load that command.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { lazyCommands } from '../../src/cli/commands/lazy.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

describe('lazy command table', () => {
  it('matches the eager command list', async () => {
    expect(lazyCommands.map((c) => [c.command, c.describe])).toEqual(commands.map((c) => [c.command, c.describe]));
    for (const c of lazyCommands) {
      expect(c.command.split(' ')[0]).toBe(c.name);
      expect(await c.load()).toBe(commands.find((m) => m.command === c.command));
    }
  });

  it('top-level help lists every command; a command shows its own options', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const c of commands) expect(io.stdout).toContain(`replsim ${c.command}`);
    const run = memoryIo();
    expect(await main(['run', '--help'], run)).toBe(0);
    expect(run.stdout).toContain('--history');
  });

  it('an unknown command is still refused with the usual message', async () => {
    const io = memoryIo();
    expect(await main(['rnu', 'x.yaml'], io)).toBe(2);
    expect(io.stderr).toBe('replsim: Unknown arguments: rnu, x.yaml\n');
  });

  it('--version prints the package version', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
