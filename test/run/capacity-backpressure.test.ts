// The async engine's backpressure tied to node capacity: a receiver whose queue is full drops
// the replication batches sent to it, the sender's change queue to it stops draining, and
// past `queue_limit` the sender refuses writes (`queue-full`). The same traffic to a receiver
// with room refuses none.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';

function refused(bCapacity: string): { refused: number; dropped: number } {
  const yaml = `
name: backpressure
seed: 4
duration: 10s
settle: 5s
regions:
  a: { nodes: 1 }
  b: { nodes: 1, capacity: ${bCapacity} }
network:
  inter_region: { latency: 10ms, jitter: 0us, distribution: constant }
engine: { type: async, conflict: lww, timestamps: hybrid, queue_limit: 30, batch: 5 }
workload:
  model: register
  keys: 2000
  clients:
    a: { count: 2, rate: 200/s }
  mix: { write: 1 }
  timeout: 1s
`;
  const p = parseScenario(yaml, 'bp.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, {});
  if (!out.ok) throw new Error(out.error);
  const m = out.result.metrics as unknown as { engine: Record<string, number>; capacity: Record<string, { dropped_messages: number }> };
  return { refused: m.engine['writes_refused_queue_full'] ?? 0, dropped: m.capacity['b']?.dropped_messages ?? 0 };
}

describe('async backpressure through node capacity', () => {
  it('an overloaded receiver makes the sender refuse writes', () => {
    const slow = refused('{ concurrency: 1, queue: 2, service: { message: 40ms } }');
    expect(slow.dropped).toBeGreaterThan(0);
    expect(slow.refused).toBeGreaterThan(0);
  });
  it('a receiver with room: nothing dropped, nothing refused', () => {
    const fast = refused('{ concurrency: 4, queue: 1000, service: { message: 100us } }');
    expect(fast.dropped).toBe(0);
    expect(fast.refused).toBe(0);
  });
});
