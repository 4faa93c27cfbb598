// Wall time of a raft run over 20000 ranges on 3 nodes (test/engines/raft/many-ranges.test.ts
// runs the same scenario for its verdicts). A step touches one range, so this must stay a few
// seconds; looping over every group per message once made it 237 s. Speed is measured here,
// never asserted in a test (tests do not depend on the machine).
import { parseScenario, runScenario } from '../dist/index.js';

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
if (!p.ok) {
  console.log(JSON.stringify({ bench: 'many-ranges', error: 'invalid scenario' }));
  process.exit(0);
}
const t0 = performance.now();
const out = runScenario(p.scenario, {});
const wall_s = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({ bench: 'many-ranges', ranges: 20000, wall_s: Math.round(wall_s * 100) / 100, ...(out.ok ? { events: out.result.metrics.events } : { error: out.error }) }),
);
