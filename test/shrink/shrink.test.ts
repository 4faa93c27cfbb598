// `replsim shrink`: the acceptance case (LWW with skew, 3 regions, 12 clients, 5 faults)
// shrinks to at most 2 regions, 2 clients and 1 fault within 200 runs, and the written file
// still fails when run on its own; the same input shrinks to the same bytes; a run that does
// not fail is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { scenarioDir, tinyScenario } from '../suite/fixtures.js';

async function replsim(argv: string[]) {
  const io = memoryIo({ NO_COLOR: '1' });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const big = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'shrink-lww-skew.yaml');
const dir = scenarioDir({});

describe('replsim shrink', () => {
  it('shrinks the LWW skew case to ≤ 2 regions, ≤ 2 clients, ≤ 1 fault within 200 runs, still failing', async () => {
    const before = loadScenario(big);
    expect(before.ok).toBe(true);
    if (!before.ok) return;
    expect(Object.keys(before.scenario.regions)).toHaveLength(3);
    expect(before.scenario.faults).toHaveLength(5);
    const out = join(dir, 'min.yaml');
    const r = await replsim(['shrink', big, '--out', out, '--max-runs', '200']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const runs = Number(/in (\d+) runs/.exec(r.out)?.[1]);
    expect(runs).toBeLessThanOrEqual(200);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Shrunk by `replsim shrink .*` in \d+ runs/);
    expect(text).toMatch(/#   - dropped all 5 faults|#   - dropped fault/);
    const min = loadScenario(out);
    expect(min.ok).toBe(true);
    if (!min.ok) return;
    const s = min.scenario;
    expect(Object.keys(s.regions).length).toBeLessThanOrEqual(2);
    expect(Object.values(s.workload.clients).reduce((a, c) => a + c.count, 0)).toBeLessThanOrEqual(2);
    expect(s.faults.length).toBeLessThanOrEqual(1);
    // still fails, the same way, on its own
    const again = runScenario(s);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const lost = again.result.expect.find((e) => e.name === 'lost_update');
    expect(lost?.met).toBe(false);
    expect(again.result.anomalies.lost_update.count).toBeGreaterThan(0);
    // deterministic: the same input gives the same file
    const out2 = join(dir, 'min2.yaml');
    await replsim(['shrink', big, '--out', out2, '--max-runs', '200']);
    expect(readFileSync(out2, 'utf8')).toBe(text);
  }, 600_000);

  it('--until names what must keep happening; the budget bounds the runs', async () => {
    const out = join(dir, 'until.yaml');
    const r = await replsim(['shrink', big, '--until', 'stale_read>=1', '--max-runs', '15', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/in 15 runs \(budget spent\)/);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/# Still fails: stale_read>=1/);
    const min = loadScenario(out);
    expect(min.ok).toBe(true);
    if (!min.ok) return;
    const res = runScenario(min.scenario);
    expect(res.ok && res.result.anomalies.stale_read.count).toBeGreaterThanOrEqual(1);
    expect((parse(text) as { faults: unknown[] }).faults.length).toBeLessThan(5);
  }, 300_000);

  it('a run that does not fail, and bad flags, are one line with exit 2', async () => {
    const passing = join(scenarioDir({ 'ok.yaml': tinyScenario('ok', { divergence: 0 }) }), 'ok.yaml');
    const none = await replsim(['shrink', passing, '--out', join(dir, 'x.yaml')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/nothing to shrink: every expectation is met/);
    const cases: Array<[string[], RegExp]> = [
      [['--until', 'lost_updat>=1'], /--until: unknown expect name "lost_updat".*did you mean "lost_update"/],
      [['--until', 'lost_update=1'], /--until: expected NAME OP NUMBER|--until: expected a number or a comparison/],
      [['--max-runs', '0'], /--max-runs: expected an integer/],
      [['--seed', 'x'], /--seed: expected a non-negative integer/],
    ];
    for (const [flags, re] of cases) {
      const r = await replsim(['shrink', big, '--out', join(dir, 'y.yaml'), ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err, flags.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const noOut = await replsim(['shrink', big]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out: name the file/);
  }, 120_000);
});

describe('replsim shrink --swarm', () => {
  it("starts from the seed's swarm draw: the drawn faults are in the file, the swarm section is not", async () => {
    const file = join(import.meta.dirname, '..', '..', 'scenarios', 'swarm-async.yaml');
    const out = join(dir, 'swarm-min.yaml');
    const r = await replsim(['shrink', file, '--swarm', '--seed', '3', '--until', 'stale_read>=1', '--max-runs', '6', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const min = parse(text.replace(/^#.*\n/gm, '')) as Record<string, unknown>;
    expect(min).not.toHaveProperty('swarm');
    expect(min.seed).toBe(3);
    // the draw set the engine and the latency from the swarm's vary
    expect(JSON.stringify(min)).toMatch(/"inter_region":\{"latency":"\d+ms"/);
  }, 120_000);
});
