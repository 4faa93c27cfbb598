// Issue 13.11: an order billed twice is caught from the history alone. The generated workload
// never reuses an order id, so the reuse is scripted: one order reserved in two regions
// while they are cut apart, under async LWW (no engine-side idempotency across regions).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

function invariantOf(orders: [string, string]) {
  const yaml = `
name: order-reuse
seed: 3
duration: 20s
settle: 10s
regions:
  us-east: { nodes: 1 }
  eu-west: { nodes: 1 }
network:
  inter_region: { latency: 40ms }
engine: { type: async, conflict: lww }
workload:
  model: inventory
  keys: 1
  clients:
    us-east: { count: 1, rate: 0/s }
    eu-west: { count: 1, rate: 0/s }
  script:
    - { at: 2s, client: us-east/0, op: reserve, key: k0, value: { qty: 1, order: ${orders[0]} } }
    - { at: 2s, client: eu-west/0, op: reserve, key: k0, value: { qty: 1, order: ${orders[1]} } }
faults:
  - { at: 1s, partition: [[us-east], [eu-west]], for: 5s }
`;
  const p = parseScenario(yaml, 'order-reuse.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario);
  if (!out.ok) throw new Error(out.error);
  return out.result.anomalies.invariant;
}

describe('an order reserved in two regions under async LWW', () => {
  it('is reported as billed twice, with both reservations as witness', () => {
    const inv = invariantOf(['retry-1', 'retry-1']);
    const billed = inv.witnesses.filter((w) => w.explanation.startsWith('order billed twice'));
    expect(billed).toHaveLength(1);
    expect(billed[0]?.ops).toEqual([1, 2]);
  });

  it('two distinct orders are not', () => {
    const inv = invariantOf(['order-1', 'order-2']);
    expect(inv).toMatchObject({ applicable: true, count: 0 });
  });
});
