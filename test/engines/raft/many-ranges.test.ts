/**
 * Many ranges: a message or request step touches one range, so it must cost O(1) in the number
 * of ranges. Sending due read rounds by looping over every group after each message made a run
 * quadratic in `ranges` (the schema allows 100000): this test took 237 s instead of 2.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import { expectNone } from '../../anomalies.js';

describe('raft: many ranges', () => {
  it('20000 ranges on 3 nodes run a second of read-index traffic, reads and writes served, no invariant broken', () => {
    const p = parseScenario(
      `
name: many-ranges
duration: 1s
settle: 0s
regions: { a: { nodes: 3 } }
engine: { type: raft, ranges: 20000, reads: read-index, election_timeout: 300ms, heartbeat: 100ms }
workload:
  keys: 1000
  clients: { a: { count: 4, rate: 100/s } }
`,
      'many-ranges.yaml',
    );
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    // its wall time is a figure for bench/many-ranges.bench.mjs, not an assertion (tests do not depend on the machine)
    const out = runScenario(p.scenario, {});
    if (!out.ok) throw new Error(out.error);
    expect(out.result.ops.ok).toBeGreaterThan(0);
    expectNone(out.result.anomalies, ['invariant']);
  }, 60_000);
});
