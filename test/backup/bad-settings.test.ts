// Acceptance (issue 16): bad backup settings are refused at load time with exit 2 and one line
// naming file:line:column and the field, never a stack trace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const base = (backup: string, faults: string) => `name: bad-backup
duration: 10m
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
engine: { type: async }
backup:
${backup}
faults:
${faults}
`;
const policy = '  store: { region: a }\n  policies:\n    - { nodes: b, full: 2m, log: 30s }';

async function refuse(yaml: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-backup-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, yaml);
  for (const cmd of ['validate', 'run']) {
    const io = memoryIo();
    expect(await main([cmd, file], io)).toBe(2);
    expect(io.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  }
  const io = memoryIo();
  await main(['validate', file], io);
  return io.stderr.trimEnd().replace(`${file}:`, 'FILE:');
}

describe('bad backup settings exit 2 with one line', () => {
  it('a restore target before the first backup', async () => {
    const line = await refuse(base(policy, '  - { at: 5m, restore: { target: b/0, method: pitr, to: 1m } }'));
    expect(line).toMatch(/^FILE:\d+:\d+ faults\[0\]\.restore\.to: restore target 60s is before the first backup of b\/0 \(full snapshot at 120s\)$/);
  });

  it('a restore before the first backup', async () => {
    const line = await refuse(base(policy, '  - { at: 1m, restore: { target: b, method: snapshot } }'));
    expect(line).toMatch(/faults\[0\]\.at: the restore at 60s is before the first backup of b\/0/);
  });

  it('a schedule of 0', async () => {
    const line = await refuse(base('  store: { region: a }\n  policies:\n    - { nodes: b, full: 0s }', '  - { at: 5m, restore: { target: b } }'));
    expect(line).toMatch(/backup\.policies\[0\]\.full: must be greater than zero, got "0s"/);
  });

  it('a log interval of 0', async () => {
    const line = await refuse(base('  store: { region: a }\n  policies:\n    - { nodes: b, full: 1m, log: 0ms }', '  - { at: 5m, restore: { target: b } }'));
    expect(line).toMatch(/backup\.policies\[0\]\.log: must be greater than zero/);
  });

  it('a restore without a backup section', async () => {
    const line = await refuse(`name: bad-backup
duration: 10m
regions:
  a: { nodes: 1 }
engine: { type: async }
faults:
  - { at: 5m, restore: { target: a } }
`);
    expect(line).toMatch(/a restore needs a `backup` section/);
  });
});
