// The HTML report charts node capacity when the run has it, and embeds nothing extra otherwise.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import { buildRunData } from '../../../src/report/html/index.js';

function data(capacity: boolean) {
  const text = `
name: html-cap
seed: 2
duration: 3s
settle: 1s
regions:
  a: { nodes: 2${capacity ? ', capacity: { concurrency: 1, queue: 10, service: { default: 4ms exponential } }' : ''} }
engine: { type: async }
workload:
  clients: { a: { count: 2, rate: 100/s } }
`;
  const p = parseScenario(text, 'h.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const o = runScenario(p.scenario, { keepHistory: true });
  if (!o.ok) throw new Error(o.error);
  return buildRunData({ scenario: p.scenario, source: text, result: o.result, history: o.history ?? [], ...(o.capacity ? { capacity: o.capacity } : {}) });
}

describe('HTML report: capacity charts', () => {
  it('a run with capacity embeds utilisation, queue length and queueing delay per node', () => {
    const d = data(true);
    expect(d.capacity?.nodes.map((n) => n.node)).toEqual(['a/0', 'a/1']);
    const n0 = d.capacity?.nodes[0];
    expect(n0?.utilisation.some((u) => u > 0.2)).toBe(true);
    expect(n0?.queue_max.some((q) => q > 0)).toBe(true);
    expect(n0?.delay_ms.some((x) => x !== null && x > 0)).toBe(true);
  });
  it('a run without capacity has no capacity data', () => {
    expect(data(false).capacity).toBeUndefined();
  });
});
