// Circuit breakers (issue 15): the state machine, and a client whose region is down failing
// fast instead of waiting for every timeout, then closing again after the region recovers.
import { describe, expect, it } from 'vitest';
import { admit, CLOSED, record, type BreakerState } from '../../src/traffic/breaker.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { HistoryRecord } from '../../src/history/types.js';

const spec = { failures: 3, open_for_us: 1000 };

describe('breaker state machine', () => {
  it('opens after `failures` consecutive failures, not before, and a success resets the count', () => {
    let s: BreakerState = CLOSED;
    s = record(s, spec, false, 0);
    s = record(s, spec, false, 1);
    expect(s.kind).toBe('closed');
    s = record(s, spec, true, 2);
    s = record(record(s, spec, false, 3), spec, false, 4);
    expect(s.kind).toBe('closed');
    s = record(s, spec, false, 5);
    expect(s).toEqual({ kind: 'open', until: 1005 });
    expect(admit(s, 1004).ok).toBe(false);
  });

  it('half-open lets exactly one trial through; its success closes, its failure reopens', () => {
    const open: BreakerState = { kind: 'open', until: 100 };
    const a = admit(open, 100);
    expect(a).toEqual({ ok: true, next: { kind: 'half_open', trial: true } });
    expect(admit(a.next, 101).ok).toBe(false);
    expect(record(a.next, spec, true, 150)).toEqual(CLOSED);
    expect(record(a.next, spec, false, 150)).toEqual({ kind: 'open', until: 1150 });
  });
});

function run(breaker: string) {
  const yaml = `
name: breaker
seed: 8
duration: 60s
settle: 5s
regions:
  a: { nodes: 2 }
  b: { nodes: 2 }
network:
  intra_region: { latency: 1ms }
  inter_region: { latency: 30ms }
engine: { type: async, conflict: lww }
workload:
  clients: { a: { count: 4, rate: 10/s } }
  timeout: 1s
client: { retries: 0 ${breaker} }
faults:
  - { at: 20s, crash: a, for: 20s }
`;
  const p = parseScenario(yaml, 'breaker.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  return out.history as HistoryRecord[];
}

describe('a client whose region is down', () => {
  const fast = run(', breaker: { failures: 5, open_for: 2s }');
  const slow = run('');
  const count = (h: HistoryRecord[], pred: (r: HistoryRecord) => boolean) => h.filter(pred).length;

  it('fails fast with "circuit open" instead of timing out, and sends far fewer requests to the dead region', () => {
    const open = count(fast, (r) => r.type === 'fail' && r.error === 'circuit open');
    expect(open).toBeGreaterThan(500);
    expect(count(slow, (r) => r.type === 'fail')).toBe(0);
    const timeouts = (h: HistoryRecord[]) => count(h, (r) => r.type === 'info' && r.t > 20e6 && r.t < 41e6);
    expect(timeouts(fast)).toBeLessThan(timeouts(slow) / 5);
  });

  it('closes again after the region recovers: no circuit-open failures well after it', () => {
    expect(count(fast, (r) => r.type === 'fail' && r.error === 'circuit open' && r.t > 45e6)).toBe(0);
    expect(count(fast, (r) => r.type === 'ok' && r.t > 45e6)).toBeGreaterThan(400);
  });
});
