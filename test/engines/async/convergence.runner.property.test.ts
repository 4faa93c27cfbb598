// Convergence end to end: random seeds, conflict rules, models and fault plans (partitions,
// isolations, one-way cuts, crashes that restart, clock jumps), run by the real kernel and
// network; after settle the checker must find no divergence. Queues are durable or volatile: a
// volatile queue lost in a crash is repaired by anti-entropy when the node restarts (see
// docs/async.md); every crash here restarts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/index.js';

const ENGINES = [
  'conflict: lww\n  timestamps: physical',
  'conflict: lww\n  timestamps: hybrid',
  'conflict: version-vector',
  'conflict: crdt',
  'conflict: crdt\n  register: mv',
  'conflict: lww\n  timestamps: hybrid\n  ownership: home',
];
const MIX: Record<string, string> = {
  register: '{ read: 1, write: 2, cas: 1 }',
  counter: '{ read: 1, add: 3 }',
  set: '{ read: 1, add: 2, remove: 1 }',
  inventory: '{ read: 1, reserve: 3, restock: 1 }',
};
const TARGETS = ['us-east', 'eu-west', 'us-east/0', 'us-east/1', 'eu-west/0', 'eu-west/1'];

const fault = fc.oneof(
  fc.record({ kind: fc.constant('isolate'), target: fc.constantFrom(...TARGETS) }),
  fc.record({ kind: fc.constant('partition') }),
  fc.record({ kind: fc.constant('one_way'), from: fc.constantFrom('us-east', 'eu-west') }),
  fc.record({ kind: fc.constant('crash'), target: fc.constantFrom(...TARGETS.slice(2)), lose: fc.boolean() }),
  fc.record({ kind: fc.constant('clock'), target: fc.constantFrom(...TARGETS.slice(2)), offset_ms: fc.integer({ min: -3000, max: 3000 }) }),
);
const timed = fc.record({ at_ms: fc.integer({ min: 100, max: 2500 }), for_ms: fc.integer({ min: 50, max: 1500 }), f: fault });

function faultYaml(t: { at_ms: number; for_ms: number; f: Record<string, unknown> }): string {
  const at = `at: ${t.at_ms}ms`;
  const dur = `for: ${t.for_ms}ms`;
  const f = t.f;
  switch (f.kind) {
    case 'isolate':
      return `  - { ${at}, isolate: ${f.target}, ${dur} }`;
    case 'partition':
      return `  - { ${at}, partition: [[us-east], [eu-west]], ${dur} }`;
    case 'one_way':
      return `  - { ${at}, one_way: { from: ${f.from}, to: ${f.from === 'us-east' ? 'eu-west' : 'us-east'} }, ${dur} }`;
    case 'crash':
      return `  - { ${at}, crash: ${f.target}, lose_volatile: ${f.lose}, ${dur} }`;
    case 'clock':
      return `  - { ${at}, clock: { node: ${f.target}, offset: ${f.offset_ms}ms } }`;
    default:
      throw new Error(`fault ${String(f.kind)}`);
  }
}

function scenarioYaml(seed: number, engine: string, model: string, faults: string[], lossy: boolean, durable: boolean, coalesce = false): string {
  return `name: prop
seed: ${seed}
duration: 3s
settle: 8s
regions:
  us-east: { nodes: 2 }
  eu-west: { nodes: 2, clock: { offset: -1s, drift_ppm: 50 } }
network:
  intra_region: { latency: 500us, jitter: 100us }
  inter_region: { latency: 30ms, jitter: 10ms${lossy ? ', loss: 0.05, duplicate: 0.05' : ''} }
engine:
  type: async
  ${engine}
  durable_queue: ${durable}
  coalesce: ${coalesce}
  batch: 4
workload:
  model: ${model}
  keys: 4
  clients:
    us-east: { count: 2, rate: 15/s }
    eu-west: { count: 2, rate: 15/s }
  mix: ${MIX[model]}
  timeout: 500ms
${faults.length ? `faults:\n${faults.join('\n')}` : 'faults: []'}
`;
}

function run(yaml: string) {
  const loaded = parseScenario(yaml, 'prop.yaml');
  if (!loaded.ok) throw new Error(`${JSON.stringify(loaded.errors)}\n${yaml}`);
  const out = runScenario(loaded.scenario);
  if (!out.ok) throw new Error(out.error);
  return out;
}

describe('async convergence (fast-check, runner)', () => {
  it('no divergence after settle under random fault plans, seeds, rules and models', () => {
    let runs = 0;
    let volatileLosses = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...ENGINES),
        fc.constantFrom('register', 'counter', 'set', 'inventory'),
        fc.array(timed, { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (seed, engine, model, faults, lossy, durable, coalesce) => {
          const yaml = scenarioYaml(seed, engine, model, faults.map(faultYaml), lossy, durable, coalesce);
          const out = run(yaml);
          runs++;
          if (!durable && faults.some((t) => t.f.kind === 'crash' && t.f.lose)) volatileLosses++;
          expect(out.result.stop.complete).toBe(true);
          expect({ divergence: out.result.anomalies.divergence.count, yaml }).toEqual({ divergence: 0, yaml });
        },
      ),
      { numRuns: 200, seed: 5 },
    );
    expect(runs).toBe(200);
    expect(volatileLosses).toBeGreaterThan(10);
  });

  // The case anti-entropy exists for: a node cut off from the other region (so its queues
  // toward it fill) crashes with volatile memory and restarts; other random faults around it.
  it('a cut-off node that crashes with a volatile queue and restarts: no divergence, CRDTs lose nothing', () => {
    let runs = 0;
    let repaired = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...ENGINES),
        fc.constantFrom('register', 'counter', 'set', 'inventory'),
        fc.constantFrom('us-east/0', 'us-east/1', 'eu-west/0', 'eu-west/1'),
        fc.record({ at_ms: fc.integer({ min: 100, max: 1500 }), cut_ms: fc.integer({ min: 300, max: 1500 }), down_ms: fc.integer({ min: 50, max: 1500 }) }),
        fc.array(timed, { maxLength: 2 }),
        fc.boolean(),
        fc.boolean(),
        (seed, engine, model, node, t, others, lossy, coalesce) => {
          const crashAt = t.at_ms + Math.floor(t.cut_ms / 2);
          const plan = [
            `  - { at: ${t.at_ms}ms, isolate: ${node.slice(0, node.indexOf('/'))}, for: ${t.cut_ms}ms }`,
            `  - { at: ${crashAt}ms, crash: ${node}, lose_volatile: true, for: ${t.down_ms}ms }`,
            ...others.map(faultYaml),
          ];
          const yaml = scenarioYaml(seed, engine, model, plan, lossy, false, coalesce);
          const out = run(yaml);
          runs++;
          const m = (out.result.metrics as unknown as { engine: Record<string, number> }).engine;
          if ((m.anti_entropy_keys ?? 0) > 0) repaired++;
          expect(out.result.stop.complete).toBe(true);
          expect({ divergence: out.result.anomalies.divergence.count, yaml }).toEqual({ divergence: 0, yaml });
          if (engine === 'conflict: crdt' && (model === 'counter' || model === 'set')) {
            expect({ lost_update: out.result.anomalies.lost_update.count, yaml }).toEqual({ lost_update: 0, yaml });
          }
        },
      ),
      { numRuns: 100, seed: 11 },
    );
    expect(runs).toBe(100);
    expect(repaired).toBeGreaterThan(50);
  });
});
