// `compare FILE --vary PATH=v1,v2` (src/compare/vary.ts): any field, values as YAML, several
// --vary flags multiply, a value the schema refuses is a row with its positioned error.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseVary, variantTexts } from '../../src/compare/vary.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

describe('parseVary', () => {
  it('reads PATH=v1,v2 with list indexes as numbers', () => {
    expect(parseVary('faults.0.at=5s, 10s')).toEqual({ ok: true, vary: { name: 'faults.0.at', path: ['faults', 0, 'at'], values: ['5s', '10s'] } });
  });
  it.each(['read_from', 'x=', '=a,b', 'a..b=1', 'a=1,,2'])('refuses %s', (t) => {
    const r = parseVary(t);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(`--vary: expected PATH=v1,v2 (e.g. workload.read_from=local,quorum), got "${t}"`);
  });
});

describe('variantTexts', () => {
  it('sets the field in the text, typed as YAML, every combination first flag slowest', () => {
    const src = 'name: x\nengine: { type: async }\nworkload:\n  keys: 5\n';
    const a = parseVary('engine.durable_queue=true,false');
    const b = parseVary('workload.failover.dns_ttl=1s,5s');
    if (!a.ok || !b.ok) throw new Error('parse');
    const v = variantTexts(src, [a.vary, b.vary]);
    expect(v.map((x) => x.label)).toEqual([
      'engine.durable_queue=true workload.failover.dns_ttl=1s',
      'engine.durable_queue=true workload.failover.dns_ttl=5s',
      'engine.durable_queue=false workload.failover.dns_ttl=1s',
      'engine.durable_queue=false workload.failover.dns_ttl=5s',
    ]);
    expect(parse(v[2]?.text ?? '')).toEqual({ name: 'x', engine: { type: 'async', durable_queue: false }, workload: { keys: 5, failover: { dns_ttl: '1s' } } });
  });
});

describe('replsim compare --vary', () => {
  it('runs a module engine setting side by side; a refused value is a row with its position (exit 2)', async () => {
    const io = memoryIo();
    const code = await main(['compare', 'examples/primary-backup/failover.yaml', '--vary', 'engine.settings.wait_for=one,all,two', '--json', '--workers', '0'], io);
    expect(code).toBe(2);
    const rows = JSON.parse(io.stdout).rows;
    expect(rows.map((r: { setting: string }) => r.setting)).toEqual(['engine.settings.wait_for=one', 'engine.settings.wait_for=all', 'engine.settings.wait_for=two']);
    expect(rows[0].lost_update).toBeGreaterThan(0);
    expect(rows[1].lost_update).toBe(0);
    expect(rows[2]).toMatchObject({ ok: false, error: expect.stringContaining('failover.yaml:31:15 engine.settings.wait_for:') });
  });

  it('refuses --vary with --engine', async () => {
    const io = memoryIo();
    expect(await main(['compare', 'scenarios/quickstart.yaml', '--vary', 'seed=1,2', '--engine', 'async:lww'], io)).toBe(2);
    expect(io.stderr).toContain('--vary and --engine: use one of them');
  });
});
