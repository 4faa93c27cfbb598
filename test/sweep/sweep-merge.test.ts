// `replsim sweep` and `replsim merge` through the CLI (in-process, no worker threads): a
// sweep split into 4 shards and merged in any order prints the same bytes as the sweep run
// whole; bad --vary paths and values, bad shards and bad runs files are one line, exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resolveShard } from '../../src/cli/commands/sweep.js';
import { scenarioDir, tinyScenario } from '../suite/fixtures.js';

async function replsim(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ NO_COLOR: '1', ...env });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const dir = scenarioDir({ 'tiny.yaml': tinyScenario('tiny') });
const file = join(dir, 'tiny.yaml');
const grid = ['--seeds', '1..4', '--vary', 'regions.b.clock.offset=-1s,0s', '-j', '0'];

describe('replsim sweep', () => {
  it('4 shards merged in any order give the summary of one whole sweep, byte for byte', async () => {
    const whole = await replsim(['sweep', file, ...grid, '--out', join(dir, 'whole.jsonl')]);
    const wholeJson = await replsim(['sweep', file, ...grid, '--json']);
    expect(whole.err).toBe('');
    const shards: string[] = [];
    for (let k = 1; k <= 4; k++) {
      const out = join(dir, `shard-${k}.jsonl`);
      const r = await replsim(['sweep', file, ...grid, '--shard', `${k}/4`, '--out', out]);
      expect(r.err).toBe('');
      shards.push(out);
      // a shard alone says what is missing
      expect(r.out).toMatch(/missing: 6 runs/);
    }
    for (const order of [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]]) {
      const files = order.map((i) => shards[i] as string);
      const merged = await replsim(['merge', ...files]);
      expect(merged.out).toBe(whole.out);
      expect(merged.code).toBe(whole.code);
      const mergedJson = await replsim(['merge', ...files, '--json']);
      expect(mergedJson.out).toBe(wholeJson.out);
    }
    // the runs themselves: the merged file equals the whole sweep's file
    await replsim(['merge', ...shards, '--out', join(dir, 'merged.jsonl')]);
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'whole.jsonl'), 'utf8'));
  }, 120_000);

  it('reports each setting: the skew loses writes, no skew loses fewer; rates with Wilson intervals', async () => {
    const r = await replsim(['sweep', file, ...grid, '--json']);
    const s = JSON.parse(r.out);
    expect(s.runs).toEqual({ planned: 8, present: 8, missing: 0 });
    expect(s.settings.map((x: { label: string }) => x.label)).toEqual(['regions.b.clock.offset=-1s', 'regions.b.clock.offset=0s']);
    const skew = s.settings[0].anomalies.lost_update;
    expect(skew.of).toBe(4);
    expect(skew.ci95[0]).toBeLessThanOrEqual(skew.rate);
    expect(skew.ci95[1]).toBeGreaterThanOrEqual(skew.rate);
    const lines = readFileSync(join(dir, 'whole.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(9);
    const run = JSON.parse(lines[1] as string);
    expect(run).toMatchObject({ type: 'run', run: 0, seed: 1, settings: { 'regions.b.clock.offset': '-1s' }, ok: true });
    expect(run.history_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof run.expect_met).toBe('boolean');
    // failing seeds are exactly the records that failed
    const failed = lines.slice(1).map((l) => JSON.parse(l)).filter((x) => x.failed && x.point === 0).map((x) => x.seed);
    expect(s.settings[0].failing_seeds).toEqual(failed);
  }, 120_000);

  it('a null count stays null in the runs file and is never counted as zero', async () => {
    const r = await replsim(['sweep', file, '--seeds', '2', '-j', '0', '--out', join(dir, 'nulls.jsonl'), '--json']);
    const run = JSON.parse(readFileSync(join(dir, 'nulls.jsonl'), 'utf8').split('\n')[1] as string);
    const nullFamilies = Object.entries(run.anomalies).filter(([, v]) => v === null).map(([k]) => k);
    expect(nullFamilies.length).toBeGreaterThan(0);
    const s = JSON.parse(r.out);
    for (const f of nullFamilies) {
      expect(s.settings[0].anomalies[f]).toMatchObject({ of: 0, unknown: 2, rate: null, ci95: null });
      expect(run.anomaly_notes[f]).toEqual(expect.any(String));
    }
  }, 120_000);

  it('bad --vary paths and values are one line naming the flag, exit 2', async () => {
    const cases: Array<[string, RegExp]> = [
      ['network.linkz[0].latency=10ms', /--vary network\.linkz\[0\]\.latency=10ms: network has no list "linkz"/],
      ['workload.clientz.a.rate=5/s', /--vary workload\.clientz\.a\.rate=5\/s: workload: unknown field "clientz" \(did you mean "clients"/],
      ['regions.b.clock.offset=fast', /--vary regions\.b\.clock\.offset=fast: regions\.b\.clock\.offset: /],
      ['faults[3].at=1s', /--vary faults\[3\]\.at=1s: faults has 1 entry, so \[3\] does not exist/],
      ['engine=async:lwx', /--vary engine=async:lwx: unknown engine setting/],
      ['duration=1s..3', /--vary duration=1s\.\.3: /],
    ];
    for (const [vary, re] of cases) {
      const r = await replsim(['sweep', file, '--seeds', '1', '--vary', vary, '-j', '0']);
      expect(r.code, vary).toBe(2);
      expect(r.err, vary).toMatch(re);
      expect(r.err.trim().split('\n'), vary).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });

  it('--shard auto reads REPLSIM_SHARD, or JOB_COMPLETION_INDEX with REPLSIM_SHARD_COUNT', () => {
    expect(resolveShard('auto', { REPLSIM_SHARD: '2/5' })).toEqual({ index: 2, count: 5 });
    expect(resolveShard('auto', { JOB_COMPLETION_INDEX: '0', REPLSIM_SHARD_COUNT: '4' })).toEqual({ index: 1, count: 4 });
    expect(resolveShard('auto', { JOB_COMPLETION_INDEX: '3', REPLSIM_SHARD_COUNT: '4' })).toEqual({ index: 4, count: 4 });
    expect(() => resolveShard('auto', { JOB_COMPLETION_INDEX: '4', REPLSIM_SHARD_COUNT: '4' })).toThrow(/not below/);
    expect(() => resolveShard('auto', { JOB_COMPLETION_INDEX: '1' })).toThrow(/REPLSIM_SHARD_COUNT/);
    expect(() => resolveShard('auto', {})).toThrow(/--shard auto: set REPLSIM_SHARD/);
    expect(() => resolveShard('0/4', {})).toThrow(/--shard/);
  });

  it('merge refuses files of another sweep, a conflicting repeat and a corrupt line, naming file:line', async () => {
    const a = join(dir, 'm-a.jsonl');
    const b = join(dir, 'm-b.jsonl');
    await replsim(['sweep', file, '--seeds', '1..2', '-j', '0', '--shard', '1/2', '--out', a]);
    await replsim(['sweep', file, '--seeds', '1..3', '-j', '0', '--shard', '2/2', '--out', b]);
    const other = await replsim(['merge', a, b]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/not a shard of the same sweep.*seeds/);
    const text = readFileSync(a, 'utf8').split('\n');
    const bad = join(dir, 'm-bad.jsonl');
    writeFileSync(bad, [text[0], '{"type":"run"', ''].join('\n'));
    const corrupt = await replsim(['merge', bad]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not JSON`));
    const rec = JSON.parse(text[1] as string);
    const changed = join(dir, 'm-changed.jsonl');
    writeFileSync(changed, [text[0], JSON.stringify({ ...rec, history_sha256: '0'.repeat(64) }), ''].join('\n'));
    const conflict = await replsim(['merge', a, changed]);
    expect(conflict.code).toBe(2);
    expect(conflict.err).toMatch(/run 0 differs/);
    // an identical repeat (a retried CI job) is fine
    const again = await replsim(['merge', a, a]);
    expect(again.err).toBe('');
  }, 120_000);
});
