// compare's numbers are the numbers of running each setting alone: every setting of every
// engine on the quickstart scenario, against `replsim run --json` on a hand-edited copy.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const root = join(import.meta.dirname, '..', '..');
const quickstart = readFileSync(join(root, 'scenarios', 'quickstart.yaml'), 'utf8');
const ENGINE_BLOCK = 'engine:\n  type: async\n  conflict: lww\n  timestamps: physical\n';

/** The engine section each setting stands for, written out by hand. */
const BY_HAND: Record<string, string> = {
  'async:lww': ENGINE_BLOCK,
  'async:hlc': 'engine:\n  type: async\n  conflict: lww\n  timestamps: hybrid\n',
  'async:vv': 'engine:\n  type: async\n  conflict: version-vector\n',
  'async:crdt': 'engine:\n  type: async\n  conflict: crdt\n',
  'sync:pause': 'engine:\n  type: sync\n  on_failure: pause\n',
  'sync:witness': 'engine:\n  type: sync\n  on_failure: witness\n  witness: ap-northeast\n',
  'sync:split-brain': 'engine:\n  type: sync\n  on_failure: split-brain\n',
  'raft:lease': 'engine:\n  type: raft\n  reads: lease\n',
  'raft:read-index': 'engine:\n  type: raft\n  reads: read-index\n',
  'raft:follower': 'engine:\n  type: raft\n  reads: follower\n',
  'quorum:quorum': 'engine:\n  type: quorum\n  consistency: { read: QUORUM, write: QUORUM }\n',
};

async function replsim(...argv: string[]) {
  const io = memoryIo({ NO_COLOR: '1' });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('replsim compare', () => {
  it(
    'every setting’s numbers equal those of `run --json` on the scenario with that engine written in',
    async () => {
      expect(quickstart).toContain(ENGINE_BLOCK);
      const settings = Object.keys(BY_HAND);
      const cmp = await replsim('compare', join(root, 'scenarios', 'quickstart.yaml'), '--engine', settings.join(','), '--json');
      expect(cmp.err).toBe('');
      expect(cmp.code).toBe(0);
      const report = JSON.parse(cmp.out);
      expect(report.rows.map((r: { setting: string }) => r.setting)).toEqual(settings);

      const dir = mkdtempSync(join(tmpdir(), 'replsim-compare-'));
      for (const [i, s] of settings.entries()) {
        const file = join(dir, `${s.replace(':', '-')}.yaml`);
        writeFileSync(file, quickstart.replace(ENGINE_BLOCK, BY_HAND[s] as string));
        const run = await replsim('run', file, '--json');
        expect(run.err).toBe('');
        const r = JSON.parse(run.out);
        expect(report.rows[i], s).toEqual({
          setting: s,
          ok: true,
          engine: r.engine,
          availability: r.metrics.availability,
          latency_ms: {
            write: { p50: r.metrics.latency_ms.write.p50, p99: r.metrics.latency_ms.write.p99 },
            read: { p50: r.metrics.latency_ms.read.p50, p99: r.metrics.latency_ms.read.p99 },
          },
          lost_update: r.anomalies.lost_update.count,
          stale_read: r.anomalies.stale_read.count,
          divergence: r.anomalies.divergence.count,
          invariant: r.anomalies.invariant.count,
          rpo_ms: r.metrics.rpo_ms,
          rpo_exact: r.metrics.rpo_exact,
          rto_ms: r.metrics.rto_ms,
          ops: r.ops,
          history_sha256: r.history_sha256,
        });
      }
      // Same workload under every engine: the same number of client operations.
      expect(new Set(report.rows.map((r: { ops: { total: number } }) => r.ops.total)).size).toBe(1);
    },
    900_000,
  );

  it('a setting that cannot run on the scenario is an error row, not a crash; exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-compare-'));
    const file = join(dir, 'small.yaml');
    writeFileSync(
      file,
      'name: small\nduration: 2s\nsettle: 1s\nregions:\n  a: { nodes: 1 }\n  b: { nodes: 1 }\nengine: { type: async }\nworkload:\n  clients:\n    a: { count: 1, rate: 10/s }\n',
    );
    const r = await replsim('compare', file, '--engine', 'async:lww,raft:lease', '--workers', '0', '--no-color');
    expect(r.code).toBe(2);
    const lines = r.out.split('\n');
    expect(lines.find((l) => l.startsWith('async:lww'))).toMatch(/^async:lww\s+100\.0%/);
    expect(lines.find((l) => l.startsWith('raft:lease'))).toMatch(/^raft:lease\s+cannot run: engine\.replication_factor: replication_factor 3/);
    expect(r.out.replace(/\s+/g, ' ')).toContain('cannot run: engine.replication_factor: replication_factor 3 needs at least 3 nodes; the regions have 2');
    const json = JSON.parse((await replsim('compare', file, '--engine', 'raft:lease', '--json', '-j', '0')).out);
    expect(json.rows).toEqual([{ setting: 'raft:lease', ok: false, error: expect.stringContaining('needs at least 3 nodes') }]);
  });

  it('on a TTY a progress bar on stderr counts the settings, then is cleared', async () => {
    const io = memoryIo({ NO_COLOR: '1' });
    Object.assign(io, { isTTY: true });
    const code = await main(['compare', join(root, 'scenarios', 'async-lww-skew.yaml'), '--engine', 'async:lww,async:hlc', '-j', '0'], io);
    expect(code).toBe(0);
    expect(io.stderr).toBe('\r\x1b[K[##########..........] 1/2 async:lww\r\x1b[K[####################] 2/2 async:hlc\r\x1b[K');
    expect(io.stdout).toMatch(/^async:hlc\s+100\.0%/m);
  });

  it('bad input: an unknown setting or file exits 2 with one line', async () => {
    const bad = await replsim('compare', join(root, 'scenarios', 'quickstart.yaml'), '--engine', 'raft:leese');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^replsim: --engine: unknown engine setting "raft:leese" \(did you mean "raft:lease"\?\)/);
    const missing = await replsim('compare', '/nonexistent.yaml', '--engine', 'async:lww');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    const none = await replsim('compare', join(root, 'scenarios', 'quickstart.yaml'));
    expect(none.code).toBe(2);
    expect(none.err).toBe('replsim: --engine: name the settings to compare, e.g. --engine async:lww,async:hlc,async:vv\n');
  });
});
