// Runs a small scenario with backups from YAML and keeps its history (tests of src/backup).
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import type { FaultRecord, HistoryRecord } from '../../src/history/types.js';

export function runYaml(yaml: string) {
  const p = parseScenario(yaml, 'backup-test.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { result: out.result, history: out.history as HistoryRecord[] };
}

export const faultsOf = (h: readonly HistoryRecord[], kind: string): FaultRecord[] =>
  h.filter((r): r is FaultRecord => r.type === 'fault' && r.fault === kind);

/** A two-region scenario: `engine` and `model` vary, a backup policy on every node, one restore. */
export function scenarioYaml(o: {
  engine: string;
  model: string;
  backup: string;
  restore: string;
  duration?: string;
  keys?: number;
  rate?: string;
  seed?: number;
  regions?: string;
  clients?: string;
}): string {
  return `
name: backup-test
seed: ${o.seed ?? 11}
duration: ${o.duration ?? '3m'}
settle: 20s
regions:
${o.regions ?? '  a: { nodes: 1 }\n  b: { nodes: 1 }\n  c: { nodes: 1 }'}
network:
  inter_region: { latency: 10ms, jitter: 1ms }
engine: ${o.engine}
workload:
  model: ${o.model}
  keys: ${o.keys ?? 20}
  clients:
${o.clients ?? `    a: { count: 1, rate: ${o.rate ?? '10/s'} }\n    b: { count: 1, rate: ${o.rate ?? '10/s'} }`}
backup:
${o.backup}
faults:
${o.restore}
`;
}
