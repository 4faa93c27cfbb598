// `replsim test` through the CLI entry (in-process): the repo's own scenarios pass (this is
// how `npm test` runs `replsim test`), a changed conflict outcome fails naming the scenario and
// the changed counts, and the flags behave.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';
import { scenarioDir, tinyScenario } from '../suite/fixtures.js';

const root = join(import.meta.dirname, '..', '..');

async function replsim(...argv: string[]) {
  const io = memoryIo({ NO_COLOR: '1' });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('replsim test', () => {
  it(
    'the built-in scenarios pass: expectations met and golden outcomes unchanged',
    async () => {
      const r = await replsim('test', join(root, 'scenarios'), ...HEAVY_SCENARIOS.flatMap((h) => ['--exclude', h]));
      const failed = r.out.split('\n').filter((l) => /^[✗!]/.test(l) || /^\s{4}/.test(l));
      // A drifted golden outcome after an intended engine or checker change: `npm run golden`.
      expect(failed, 'built-in scenarios failed; if an outcome changed on purpose, run npm run golden and commit').toEqual([]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/✓ .*quickstart\.yaml/);
      expect(r.out).toMatch(new RegExp(`\\d+ passed, ${HEAVY_SCENARIOS.length} excluded`));
    },
    900_000,
  );

  it('a changed conflict outcome fails, naming the scenario and the changed counts', async () => {
    // Stands in for "change the LWW tie-break rule": the golden file remembers a different
    // outcome than the engine now produces, exactly what such a change would cause.
    const dir = mkdtempSync(join(tmpdir(), 'replsim-drift-'));
    copyFileSync(join(root, 'scenarios', 'async-lww-skew.yaml'), join(dir, 'async-lww-skew.yaml'));
    const update = await replsim('test', dir, '--update', '--workers', '0');
    expect(update.code).toBe(0);
    expect(update.out).toContain('(golden outcome written)');
    const goldenPath = join(dir, 'async-lww-skew.outcome.json');
    const golden = JSON.parse(readFileSync(goldenPath, 'utf8'));
    const lost = golden.anomalies.lost_update as number;
    const stale = golden.anomalies.stale_read as number;
    writeFileSync(
      goldenPath,
      JSON.stringify({ ...golden, anomalies: { ...golden.anomalies, lost_update: lost + 1, stale_read: stale + 2 }, history_sha256: '0'.repeat(64) }),
    );
    const r = await replsim('test', dir, '--workers', '0');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('✗ ') && l.includes('async-lww-skew.yaml'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toContain(`lost_update ${lost + 1} → ${lost}`);
    expect(lines[at + 1]).toContain(`stale_read ${stale + 2} → ${stale}`);
    expect(lines[at + 1]).toMatch(/history 0{12}… → [0-9a-f]{12}…/);
    expect(r.out).toContain('1 scenario: 0 passed, 1 failed');
  });

  it('--junit writes a JUnit file, --json prints the report', async () => {
    const dir = scenarioDir({ 'a.yaml': tinyScenario('a'), 'b.yaml': tinyScenario('b', { divergence: '> 0' }) });
    const junit = join(dir, 'junit.xml');
    const r = await replsim('test', dir, '--junit', junit, '--json', '--workers', '0');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ total: 2, passed: 1, failed: 1, errors: 0 });
    expect(json.scenarios[1].failures).toEqual(['divergence: want > 0, got 0']);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const cases = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml).testsuites.testsuite.testcase;
    expect(cases).toHaveLength(2);
    expect(cases[1].failure['@message']).toBe('divergence: want > 0, got 0');
  });

  it('a progress bar goes to stderr on a TTY only, and is cleared at the end', async () => {
    const dir = scenarioDir({ 'a.yaml': tinyScenario('a'), 'b.yaml': tinyScenario('b') });
    const io = memoryIo({ NO_COLOR: '1' });
    Object.assign(io, { isTTY: true });
    expect(await main(['test', dir, '--workers', '0'], io)).toBe(0);
    expect(io.stderr).toContain('\r\x1b[K[##########..........] 1/2 ');
    expect(io.stderr).toContain('[####################] 2/2 ');
    expect(io.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(io.stdout).not.toContain('\r');
    const plain = await replsim('test', dir, '--workers', '0');
    expect(plain.err).toBe('');
  });

  it('bad input exits 2 with one line', async () => {
    const missing = await replsim('test', '/nonexistent/dir');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('replsim: no such file or directory: /nonexistent/dir\n');
    const shard = await replsim('test', '--shard', '3/2');
    expect(shard.code).toBe(2);
    expect(shard.err).toBe('replsim: --shard: expected k/n with 1 <= k <= n, e.g. 1/4, got "3/2"\n');
    const workers = await replsim('test', '--workers', '-1');
    expect(workers.code).toBe(2);
    expect(workers.err).toMatch(/--workers: expected a non-negative integer/);
    const dir = scenarioDir({ 'x.yaml': 'name: x\nduration: 1\n' });
    const invalid = await replsim('test', dir, '--workers', '0');
    expect(invalid.code).toBe(2);
    expect(invalid.out).toMatch(/^! .*x\.yaml\n {4}/m);
    expect(invalid.out).toMatch(/^ {4}.*x\.yaml:2:11 duration: a duration needs a unit/m);
  });
});
