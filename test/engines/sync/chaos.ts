/**
 * Seeded random-fault scenarios for the sync engine's seed loop: three data regions (plus a
 * witness region for `witness`), a register workload with reads, writes and cas, and chaos
 * faults (crashes, partitions, one-way cuts, slow links, clock jumps) drawn from the seed.
 */
import { parseScenario } from '../../../src/index.js';
import type { Scenario, WorkloadModel } from '../../../src/scenario/types.js';
import { stream } from '../../../src/sim/rng.js';

export type Policy = 'pause' | 'witness' | 'split-brain';

/** The scenario text for one seed; `pause` runs also get an operator remove/rejoin of a copy. */
const MIXES: Record<WorkloadModel, string> = {
  register: '{ read: 0.5, write: 0.4, cas: 0.1 }',
  counter: '{ read: 0.5, add: 0.5 }',
  set: '{ read: 0.5, add: 0.5 }',
  inventory: '{ read: 0.4, reserve: 0.5, restock: 0.1 }',
};

/** `lossy`: links between regions also lose 2%, duplicate 5% and reorder messages. */
export function chaosYaml(policy: Policy, seed: number, model: WorkloadModel = 'register', lossy = false): string {
  const rng = stream(seed, 'test/sync-chaos');
  const witness = policy === 'witness' ? '  us-central: { nodes: 1 }\n' : '';
  const engine = policy === 'witness' ? '  on_failure: witness\n  witness: us-central\n' : `  on_failure: ${policy}\n`;
  const faults = [
    '  - { at: 1s, chaos: { seed_stream: chaos, rate: 0.4/s, kinds: [crash, partition, one_way, slow, clock] }, for: 10s }',
  ];
  if (policy === 'pause' && rng.next() < 0.5) {
    const nodes = ['us-east/0', 'us-east/1', 'eu-west/0', 'eu-west/1', 'ap-northeast/0'];
    const node = nodes[rng.int(nodes.length)];
    faults.push(`  - { at: ${2 + rng.int(8)}s, remove: ${node}, for: ${1 + rng.int(6)}s }`);
  }
  return `name: sync-chaos-${policy}
seed: ${seed}
duration: 12s
settle: 10s
regions:
  us-east: { nodes: 2 }
  eu-west: { nodes: 2 }
  ap-northeast: { nodes: 1 }
${witness}network:
  intra_region: { latency: 500us, jitter: 100us }
  inter_region: ${lossy ? '{ latency: 40ms, jitter: 20ms, loss: 0.02, duplicate: 0.05, reorder: true }' : '{ latency: 40ms, jitter: 5ms }'}
engine:
  type: sync
${engine}workload:
  model: ${model}
  keys: 8
  key_distribution: uniform
  clients:
    us-east: { count: 2, rate: 4/s }
    eu-west: { count: 1, rate: 4/s }
    ap-northeast: { count: 1, rate: 4/s }
  mix: ${MIXES[model]}
  timeout: 2s
faults:
${faults.join('\n')}
`;
}

export function chaosScenario(policy: Policy, seed: number, model: WorkloadModel = 'register', lossy = false): Scenario {
  const loaded = parseScenario(chaosYaml(policy, seed, model, lossy), `sync-chaos-${policy}-${model}-${seed}.yaml`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}
