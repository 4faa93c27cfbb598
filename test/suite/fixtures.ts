// Small, fast scenarios written into a temporary directory for the suite tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A short LWW run with a skewed clock that loses writes; `expect` says so. */
export function tinyScenario(name: string, expect: Record<string, string | number> = { lost_update: '>= 1', divergence: 0 }): string {
  const lines = Object.entries(expect).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return `name: ${name}
description: Two regions, one skewed clock, a short LWW run that loses writes.
seed: 3
duration: 3s
settle: 1s
regions:
  a: { nodes: 1 }
  b: { nodes: 1, clock: { offset: -1s } }
engine: { type: async, conflict: lww, timestamps: physical }
workload:
  keys: 3
  clients:
    a: { count: 1, rate: 20/s }
    b: { count: 1, rate: 20/s }
faults:
  - { at: 1s, partition: [[a], [b]], for: 1s }
expect:
${lines.join('\n')}
`;
}

/** A fresh directory holding the given files (name → text). */
export function scenarioDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-suite-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
