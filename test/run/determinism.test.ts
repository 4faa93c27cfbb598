// Same scenario + seed → the same history, byte for byte, in separate processes; a different
// seed → a different one; faults never change the generated client operations.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord, InvokeRecord } from '../../src/history/types.js';
import type { Scenario } from '../../src/scenario/types.js';

const root = join(import.meta.dirname, '..', '..');
const quickstart = join(root, 'scenarios', 'quickstart.yaml');

function shaInProcess(args: string[]): string {
  const out = execFileSync(process.execPath, [join(root, 'bin', 'replsim.mjs'), 'run', quickstart, '--json', ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out).history_sha256 as string;
}

function load(path: string): Scenario {
  const l = loadScenario(path);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return l.scenario;
}

function invokes(s: Scenario): Array<Omit<InvokeRecord, 'node'>> {
  const out = runScenario(s, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  return (out.history as HistoryRecord[])
    .filter((r): r is InvokeRecord => r.type === 'invoke')
    .map(({ node: _node, ...rest }) => rest);
}

describe('determinism', () => {
  it('two separate processes give the same history hash; another seed gives another', () => {
    const a = shaInProcess([]);
    const b = shaInProcess([]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(shaInProcess(['--seed', '8'])).not.toBe(a);
  });

  it('adding or removing faults leaves the generated client operations unchanged', () => {
    const base = load(quickstart);
    const withFaults = invokes(base);
    const noFaults = invokes({ ...base, faults: [] });
    const moreFaults = invokes({
      ...base,
      faults: [
        ...base.faults,
        { at_us: 5_000_000 as never, for_us: 20_000_000 as never, action: { kind: 'crash', target: 'us-east/1', lose_volatile: true } },
        { at_us: 7_000_000 as never, action: { kind: 'clock', node: 'eu-west/*', offset_us: 3_000_000 as never } },
      ],
    });
    expect(withFaults.length).toBeGreaterThan(1000);
    expect(noFaults).toEqual(withFaults);
    expect(moreFaults).toEqual(withFaults);
  });

  it('changing the network leaves the generated client operations unchanged', () => {
    const base = load(quickstart);
    const slower = {
      ...base,
      network: { ...base.network, inter_region: { ...base.network.inter_region, latency_us: 200_000 as never, loss: 0.05 } },
    };
    expect(invokes(slower)).toEqual(invokes(base));
  });

  it('the check that compares operations is not vacuous: another seed changes them', () => {
    const base = load(quickstart);
    expect(invokes({ ...base, seed: base.seed + 1 })).not.toEqual(invokes(base));
  });
});

describe('LWW on physical clocks with a skewed clock (foundation acceptance)', () => {
  const yaml = `
name: lww-skew-two-regions
seed: 3
duration: 10s
settle: 5s
regions:
  us-east: { nodes: 2 }
  ap-northeast: { nodes: 2, clock: { offset: -5s } }
network:
  inter_region: { latency: 75ms, jitter: 2ms }
engine: { type: async, conflict: lww, timestamps: physical }
workload:
  model: register
  script:
    - { at: 1s, client: us-east/0, op: write, key: balance, value: 300 }
    - { at: 3s, client: ap-northeast/0, op: write, key: balance, value: 500 }
`;
  it('keeps 300 everywhere and reports the write of 500 as the one lost update', () => {
    const p = parseScenario(yaml, 'inline.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario, { keepHistory: true });
    if (!out.ok) throw new Error(out.error);
    const finals = (out.history ?? []).filter((r) => r.type === 'final' && r.key === 'balance');
    expect(finals.length).toBe(4);
    expect(finals.every((r) => r.type === 'final' && r.value === 300)).toBe(true);
    const lost = out.result.anomalies.lost_update;
    expect(lost.count).toBe(1);
    const writeOf500 = (out.history ?? []).find((r) => r.type === 'invoke' && r.value === 500);
    expect(lost.witnesses[0]?.ops[0]).toBe(writeOf500?.type === 'invoke' ? writeOf500.op : -1);
    expect(lost.witnesses[0]?.explanation).toMatch(/500/);
    expect(out.result.anomalies.divergence.count).toBe(0);
  });

  it('with the clocks in sync the same script loses nothing', () => {
    const p = parseScenario(yaml.replace('clock: { offset: -5s }', 'clock: { offset: 0s }'), 'inline.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const out = runScenario(p.scenario);
    if (!out.ok) throw new Error(out.error);
    expect(out.result.anomalies.lost_update.count).toBe(0);
  });
});
