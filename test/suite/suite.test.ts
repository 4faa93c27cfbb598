import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, runSuite, suiteExitCode, type SuiteReport } from '../../src/suite/suite.js';
import { discoverScenarios } from '../../src/suite/discover.js';
import { scenarioDir, tinyScenario } from './fixtures.js';

async function suite(dir: string, opts: Parameters<typeof runSuite>[0] = {}): Promise<SuiteReport> {
  const r = await runSuite({ cwd: dir, paths: ['.'], workers: 0, ...opts });
  if (!r.ok) throw new Error(r.error);
  return r.report;
}

describe('discovery', () => {
  it('finds yaml files recursively, sorted, skipping dot-directories, honouring --exclude', () => {
    const dir = scenarioDir({ 'b.yaml': '', 'a.yml': '', 'notes.txt': '', 'x.outcome.json': '{}' });
    const r1 = discoverScenarios(['.'], { cwd: dir });
    expect(r1).toEqual({ ok: true, files: ['a.yml', 'b.yaml'], excluded: [] });
    const r2 = discoverScenarios(['.', 'b.yaml'], { cwd: dir, exclude: ['a.*'] });
    expect(r2).toEqual({ ok: true, files: ['b.yaml'], excluded: ['a.yml'] });
    expect(discoverScenarios(['nope'], { cwd: dir })).toEqual({ ok: false, error: 'no such file or directory: nope' });
  });
});

describe('runSuite', () => {
  it('passes, fails and errors per scenario, in file order, with the right exit code', async () => {
    const dir = scenarioDir({
      'a-pass.yaml': tinyScenario('a-pass'),
      'b-fail.yaml': tinyScenario('b-fail', { lost_update: 0, divergence: 0 }),
      'c-bad.yaml': tinyScenario('c-bad').replace('type: async', 'type: asink'),
    });
    const r = await suite(dir);
    expect(r.scenarios.map((s) => [s.file, s.status])).toEqual([
      ['a-pass.yaml', 'pass'],
      ['b-fail.yaml', 'fail'],
      ['c-bad.yaml', 'error'],
    ]);
    expect(r.summary).toEqual({ total: 3, passed: 1, failed: 1, errors: 1 });
    const fail = r.scenarios[1];
    const lost = fail?.expect.find((e) => e.name === 'lost_update');
    expect(lost?.met).toBe(false);
    expect(fail?.failures).toEqual([`lost_update: want 0, got ${lost?.got}`]);
    expect(r.scenarios[2]?.errors[0]).toMatch(/^c-bad\.yaml:9:\d+ engine/);
    expect(r.scenarios[0]?.notes).toEqual(['no golden outcome; run --update']);
    expect(suiteExitCode(r)).toBe(2);
    expect(suiteExitCode({ ...r, summary: { ...r.summary, errors: 0 } })).toBe(1);
    expect(suiteExitCode({ ...r, summary: { ...r.summary, errors: 0, failed: 0 } })).toBe(0);
  });

  it('worker threads give the same reports as the in-thread mode, in the same order', async () => {
    const dir = scenarioDir({
      'a.yaml': tinyScenario('a'),
      'b.yaml': tinyScenario('b', { lost_update: 0 }),
      'c.yaml': tinyScenario('c').replace('seed: 3', 'seed: 4'),
    });
    const strip = (r: SuiteReport) => r.scenarios.map((s) => ({ ...s, time_ms: null }));
    const inThread = await suite(dir);
    // a stepping fake clock: the test checks that times are recorded, not how long anything took
    let tick_ms = 0;
    const pooled = await suite(dir, { workers: 2, wallClock: () => (tick_ms += 1) });
    expect(pooled.workers).toBe(2);
    expect(strip(pooled)).toEqual(strip(inThread));
    expect(pooled.scenarios.every((s) => typeof s.time_ms === 'number')).toBe(true);
  });

  it('reports stream in file order through onReport', async () => {
    const dir = scenarioDir({ 'a.yaml': tinyScenario('a'), 'b.yaml': 'name: [', 'c.yaml': tinyScenario('c') });
    const seen: string[] = [];
    await suite(dir, { workers: 2, onReport: (r) => seen.push(r.file) });
    expect(seen).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('--update records golden outcomes; a later run matches; changed counts are drift naming them', async () => {
    const dir = scenarioDir({ 'x.yaml': tinyScenario('x') });
    const first = await suite(dir, { update: true });
    expect(first.scenarios[0]?.golden).toBe('written');
    const goldenPath = join(dir, 'x.outcome.json');
    expect(existsSync(goldenPath)).toBe(true);
    const golden = JSON.parse(readFileSync(goldenPath, 'utf8'));
    expect(golden.scenario).toBe('x');
    expect(golden.anomalies.lost_update).toBe(first.scenarios[0]?.outcome?.anomalies.lost_update);

    const again = await suite(dir, { update: true });
    expect(again.scenarios[0]?.golden).toBe('unchanged');
    const check = await suite(dir);
    expect(check.scenarios[0]).toMatchObject({ status: 'pass', golden: 'match', drift: [] });

    // Pretend the engine used to lose 3 more writes and produced another history.
    const lost = golden.anomalies.lost_update as number;
    writeFileSync(goldenPath, JSON.stringify({ ...golden, anomalies: { ...golden.anomalies, lost_update: lost + 3 }, history_sha256: 'f'.repeat(64) }));
    const drifted = await suite(dir);
    const s = drifted.scenarios[0];
    expect(s?.status).toBe('fail');
    expect(s?.golden).toBe('drift');
    expect(s?.drift[0]).toBe(`lost_update ${lost + 3} → ${lost}`);
    expect(s?.failures).toEqual([`outcome changed from x.outcome.json: ${s?.drift.join(', ')}`]);
    expect(s?.drift[1]).toMatch(/^history f{12}… → [0-9a-f]{12}…$/);
    expect(suiteExitCode(drifted)).toBe(1);
  });

  it('an unreadable golden file is a failure that says to --update', async () => {
    const dir = scenarioDir({ 'x.yaml': tinyScenario('x'), 'x.outcome.json': '[]' });
    const r = await suite(dir);
    expect(r.scenarios[0]?.status).toBe('fail');
    expect(r.scenarios[0]?.failures[0]).toMatch(/expected a JSON object; run --update/);
  });

  it('no scenarios at all is bad input', async () => {
    const dir = scenarioDir({ 'readme.txt': 'hi' });
    expect(await runSuite({ cwd: dir, paths: ['.'] })).toEqual({ ok: false, error: 'no scenario files (*.yaml) under .' });
  });
});

describe('shards', () => {
  it('k/n parses and bad shards are refused', () => {
    expect(parseShard('2/3')).toEqual({ ok: true, shard: { index: 2, count: 3 } });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(parseShard(bad).ok, bad).toBe(false);
  });

  it('the shards of a suite are disjoint, cover every file, and say which slice they are', async () => {
    const dir = scenarioDir({ 'a.yaml': 'x', 'b.yaml': 'x', 'c.yaml': 'x', 'd.yaml': 'x', 'e.yaml': 'x' });
    const seen: string[][] = [];
    for (const index of [1, 2]) {
      const r = await suite(dir, { shard: { index, count: 2 } });
      expect(r.shard).toEqual({ index, count: 2, of_files: 5 });
      seen.push(r.scenarios.map((s) => s.file));
    }
    expect(seen).toEqual([
      ['a.yaml', 'c.yaml', 'e.yaml'],
      ['b.yaml', 'd.yaml'],
    ]);
  });
});
