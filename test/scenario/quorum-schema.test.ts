// The quorum engine's settings at the boundary: defaults resolved against the regions, and
// every impossible setting refused with exit 2 and one line naming the file position and field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { parseScenario } from '../../src/scenario/load.js';

const base = (engine: string, clients = '{ us: { count: 1, rate: 1/s }, eu: { count: 1, rate: 1/s } }') => `name: q
duration: 1s
regions:
  us: { nodes: 3 }
  eu: { nodes: 2 }
  ap: { nodes: 1 }
engine:
${engine}
workload:
  clients: ${clients}
`;

async function validate(yaml: string): Promise<{ code: number; err: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-quorum-'));
  const file = join(dir, 'q.yaml');
  writeFileSync(file, yaml);
  const io = memoryIo();
  const code = await main(['validate', file], io);
  return { code, err: io.stderr, file };
}

describe('quorum engine settings', () => {
  it('resolves defaults: 3 replicas per region at most its nodes, ONE/ONE, Cassandra timeouts and hint window', () => {
    const p = parseScenario(base('  type: quorum'), 'q.yaml');
    expect(p.ok).toBe(true);
    if (!p.ok || p.scenario.engine.type !== 'quorum') return;
    const e = p.scenario.engine;
    expect(e.replication).toEqual({ us: 3, eu: 2, ap: 1 });
    expect(e.consistency).toEqual({ read: 'ONE', write: 'ONE' });
    expect([e.write_timeout_us, e.read_timeout_us, e.max_hint_window_us]).toEqual([2e6, 5e6, 3 * 3600e6]);
    expect(e.speculative_retry).toEqual({ kind: 'percentile', p: 99 });
    expect(e.hints).toBe('durable');
  });

  it('regions left out of a written replication hold no replica; speculative_retry takes a duration or none', () => {
    const p = parseScenario(base('  type: quorum\n  replication: { us: 2 }\n  speculative_retry: 15ms'), 'q.yaml');
    expect(p.ok && p.scenario.engine.type === 'quorum' && [p.scenario.engine.replication, p.scenario.engine.speculative_retry]).toEqual([
      { us: 2, eu: 0, ap: 0 },
      { kind: 'fixed', after_us: 15_000 },
    ]);
    const none = parseScenario(base('  type: quorum\n  speculative_retry: none'), 'q.yaml');
    expect(none.ok && none.scenario.engine.type === 'quorum' && none.scenario.engine.speculative_retry).toEqual({ kind: 'none' });
  });

  const BAD: Array<[string, string, RegExp]> = [
    ['a factor above the region\'s nodes', '  type: quorum\n  replication: { eu: 3 }', /:9:\d+ .*engine\.replication\.eu.*replication 3 in eu needs 3 nodes; eu has 2/],
    ['an unknown region', '  type: quorum\n  replication: { mars: 1 }', /:9:\d+ .*engine\.replication\.mars.*unknown region "mars"/],
    ['an unknown level', '  type: quorum\n  consistency: { read: LOCAL_QUOROM }', /:9:\d+ .*engine\.consistency\.read.*LOCAL_QUORUM/],
    ['THREE with two replicas in all', '  type: quorum\n  replication: { eu: 2 }\n  consistency: { write: THREE }', /:10:\d+ .*engine\.consistency\.write.*THREE needs 3 replicas of each key; the replication gives 2/],
    ['LOCAL_* where clients have no local replica', '  type: quorum\n  replication: { us: 3 }\n  consistency: { read: LOCAL_ONE }', /:10:\d+ .*engine\.consistency\.read.*LOCAL_ONE needs replicas in every region with clients; eu has none/],
    ['no replica anywhere', '  type: quorum\n  replication: { us: 0 }', /engine\.replication.*at least one region must hold replicas/],
    ['a bad speculative_retry', '  type: quorum\n  speculative_retry: 100p', /engine\.speculative_retry.*between 0p and 100p/],
  ];
  it.each(BAD)('refuses %s: exit 2, one line with file:line:column and the field', async (_what, engine, line) => {
    const r = await validate(base(engine));
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${r.file}:`)).toBe(true);
    expect(lines[0]).toMatch(line);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('accepts LOCAL_* when every region with clients holds replicas (a region without clients may hold none)', async () => {
    const r = await validate(base('  type: quorum\n  replication: { us: 3, eu: 1 }\n  consistency: { read: LOCAL_ONE, write: LOCAL_QUORUM }'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
