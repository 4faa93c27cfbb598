// The example engines' scenarios (examples/*/): each meets its expect block and golden
// outcome, and each module engine passes replsim test's determinism guard (two runs, one history).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

describe('examples', () => {
  it('replsim test examples passes: expectations, goldens and the determinism guard', async () => {
    const io = memoryIo();
    const code = await main(['test', 'examples', '--workers', '0'], io);
    expect(io.stderr).toBe('');
    expect(io.stdout).toContain('examples/primary-backup/failover.yaml');
    expect(io.stdout).toContain('examples/primary-backup/semi-sync-failover.yaml');
    expect(io.stdout).toContain('examples/chain-replication/middle-crash.yaml');
    expect(code, io.stdout).toBe(0);
  });
});
