// A link that duplicates messages must not duplicate a client's request: the operation would
// run twice (an add counted twice), and under sync the copy that lost the lock to its twin
// answered `fail` while the twin committed, so a "definitely did not happen" op happened.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord } from '../../src/history/types.js';

function run(engine: string) {
  const yaml = `
name: duplicate-requests
duration: 5s
settle: 2s
regions:
  a: { nodes: 3 }
network:
  intra_region: { latency: 1ms, duplicate: 1 }
engine: ${engine}
workload:
  model: counter
  clients:
    a: { count: 1, rate: 0/s }
  script:
    - { at: 1s, client: a/0, op: add, key: k, value: 5 }
    - { at: 3s, client: a/0, op: read, key: k }
`;
  const p = parseScenario(yaml, 'duplicate-requests.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return out.history as HistoryRecord[];
}

describe('client requests over a duplicating link', () => {
  for (const engine of ['{ type: sync }', '{ type: async, conflict: crdt }', '{ type: raft, ranges: 1 }']) {
    it(`${engine}: the add runs once, is acknowledged, and every replica ends at 5`, () => {
      const h = run(engine);
      const outcome = (op: number) => h.find((r) => (r.type === 'ok' || r.type === 'fail' || r.type === 'info') && r.op === op);
      expect(outcome(1)?.type).toBe('ok');
      expect(outcome(2)).toMatchObject({ type: 'ok', value: 5 });
      const finals = h.filter((r) => r.type === 'final');
      expect(finals.length).toBeGreaterThan(0);
      for (const f of finals) expect(f).toMatchObject({ key: 'k', value: 5 });
    });
  }
});
