// `replsim compare A.yaml B.yaml`: scenario files side by side, each with its own engine, and
// a note when their traffic differs (src/compare/files.ts).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const PB = 'examples/primary-backup';

describe('compare FILE FILE', () => {
  it('puts the semi-synchronous and the synchronous engine side by side on the same traffic', async () => {
    const io = memoryIo();
    const code = await main(['compare', `${PB}/semi-sync-failover.yaml`, `${PB}/failover.yaml`, '--json', '--workers', '0'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.rows.map((x: { setting: string; engine: string }) => [x.setting, x.engine])).toEqual([
      ['semi-sync-failover', 'primary-backup/one'],
      ['failover', 'primary-backup/all'],
    ]);
    expect(r.rows[0].lost_update).toBeGreaterThan(0);
    expect(r.rows[1].lost_update).toBe(0);
    expect(r.notes).toEqual([]); // the files differ only in their engine
  });

  it('notes files whose traffic differs', async () => {
    const io = memoryIo();
    const code = await main(['compare', `${PB}/failover.yaml`, 'examples/chain-replication/middle-crash.yaml', '--workers', '0'], io);
    expect(code).toBe(0);
    expect(io.stdout).toContain('note: middle-crash differs from failover in seed, network, workload,');
  });

  it('refuses --engine with several files, and reports a bad file with its position', async () => {
    const a = memoryIo();
    expect(await main(['compare', `${PB}/failover.yaml`, `${PB}/failover.yaml`, '--engine', 'async:lww'], a)).toBe(2);
    expect(a.stderr).toContain('--engine compares settings of one file');
    const b = memoryIo();
    expect(await main(['compare', `${PB}/failover.yaml`, 'docs/examples/primary-backup-typo.yaml'], b)).toBe(2);
    expect(b.stderr).toContain('docs/examples/primary-backup-typo.yaml:23:15 engine.settings.wait_for:');
  });
});
