/**
 * An `expect` on a family with no count (not applicable, or unknown) is unmet and says why, in
 * the terminal report, in JSON (`expect[].why`), in `replsim test` and its JUnit: "not
 * applicable" and "unknown" must never pass as 0 (CHECKING.md "Unknown is never zero").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-unmet-null-'));

// Two writers, no sticky sessions (so read_your_writes and monotonic_read are not
// applicable), multi-master async LWW (so split_brain is not applicable).
const SCENARIO = `name: unmet-null
seed: 1
duration: 4s
settle: 2s
regions:
  us-east: { nodes: 1 }
  eu-west: { nodes: 1 }
network:
  inter_region: { latency: 35ms, jitter: 0us, distribution: constant }
engine: { type: async, conflict: lww, timestamps: physical }
workload:
  model: register
  keys: 1
  clients:
    us-east: { count: 1, rate: 0/s }
    eu-west: { count: 1, rate: 0/s }
  script:
    - { at: 1s, client: eu-west/0, op: write, key: k, value: 500 }
    - { at: 1100ms, client: us-east/0, op: write, key: k, value: 300 }
    - { at: 3s, client: us-east/0, op: read, key: k }
expect:
  divergence: 0
  read_your_writes: 0
  monotonic_read: "<= 5"
  split_brain: ">= 0"
`;
const file = join(dir, 'unmet-null.yaml');
writeFileSync(file, SCENARIO);

async function replsim(...argv: string[]) {
  const io = memoryIo({ NO_COLOR: '1' });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('expect on a family with no count', () => {
  it('run: exits 1 and prints, under each such expectation, why it is unmet', async () => {
    const r = await replsim('run', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('✓ divergence 0');
    expect(r.out).toMatch(/✗ read_your_writes 0 {2}\(got n\/a\)\n {6}unmet: not applicable: sessions are not sticky/);
    expect(r.out).toMatch(/✗ monotonic_read <= 5 {2}\(got n\/a\)\n {6}unmet: not applicable: sessions are not sticky/);
    expect(r.out).toMatch(/✗ split_brain >= 0 {2}\(got n\/a\)\n {6}unmet: not applicable: /);
    // the anomaly table says n/a (with the would-be violations), never 0
    expect(r.out).toMatch(/ {2}read_your_writes +n\/a \(\d+ would violate\)/);
    expect(r.out).toContain('Some expectations were not met.');
  });

  it('run --json: expect[].why names the reason, got is null, passed is false', async () => {
    const r = await replsim('run', file, '--json');
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out) as {
      passed: boolean;
      expect: Array<{ name: string; got: number | null; met: boolean; why?: string }>;
      anomalies: Record<string, { count: number | null; applicable: boolean; would_violate?: number }>;
    };
    expect(res.passed).toBe(false);
    const by = Object.fromEntries(res.expect.map((e) => [e.name, e]));
    expect(by.divergence).toEqual({ name: 'divergence', want: '0', got: 0, met: true });
    for (const name of ['read_your_writes', 'monotonic_read', 'split_brain']) {
      expect(by[name]).toMatchObject({ got: null, met: false });
      expect(by[name]?.why).toMatch(/^not applicable: /);
    }
    expect(res.anomalies.read_your_writes).toMatchObject({ applicable: false, count: null });
    expect(typeof res.anomalies.read_your_writes?.would_violate).toBe('number');
  });

  it('test: the scenario fails with the reason in its failure line and in JUnit', async () => {
    const junit = join(dir, 'junit.xml');
    const r = await replsim('test', file, '--workers', '0', '--junit', junit);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/read_your_writes: want 0, got n\/a \(not applicable: sessions are not sticky/);
    expect(readFileSync(junit, 'utf8')).toMatch(/read_your_writes: want 0, got n\/a \(not applicable: sessions are not sticky/);
  });
});
