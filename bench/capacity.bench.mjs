// Node capacity's cost (issue 15): the quickstart traffic (its regions, network, engine,
// workload and faults) with every node given a capacity, against the same scenario without.
// Capacity adds a completion event per request and per engine message, so both events/s and
// ops/s (client operations simulated per wall second) are printed; the target is events/s
// with capacity >= 0.8x without. Simulation only (no checker), runs interleaved, median of 5
// after 2 warm-up runs of each. One JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const text = readFileSync(join(root, 'scenarios', 'quickstart.yaml'), 'utf8');
// generous capacity: utilisation stays low, nothing is refused, the traffic is the quickstart's
const withCap = `${text}\ncapacity:\n  concurrency: 8\n  queue: 1000\n  service: { read: 500us exponential, write: 1ms exponential, message: 100us exponential }\n`;

function load(t, name) {
  const p = parseScenario(t, name);
  if (!p.ok) throw new Error(`${name}: ${JSON.stringify(p.errors)}`);
  return p.scenario;
}
const plain = load(text, 'quickstart.yaml');
const capped = load(withCap, 'quickstart+capacity.yaml');

function once(s) {
  const t0 = performance.now();
  const out = runScenario(s, { check: false });
  const wall = (performance.now() - t0) / 1000;
  if (!out.ok) throw new Error(out.error);
  return { wall, events: out.result.metrics.events, ops: out.result.ops.total, util: out.result.metrics.capacity?.all?.utilisation ?? null };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 2; i++) {
  once(plain);
  once(capped);
}
const a = [];
const b = [];
for (let i = 0; i < 5; i++) {
  a.push(once(plain));
  b.push(once(capped));
}
const rate = (rs, k) => median(rs.map((r) => r[k] / r.wall));
const evA = rate(a, 'events');
const evB = rate(b, 'events');
const opA = rate(a, 'ops');
const opB = rate(b, 'ops');
console.log(
  JSON.stringify({
    bench: 'capacity',
    traffic: 'quickstart',
    events_without: a[0].events,
    events_with: b[0].events,
    ops: a[0].ops,
    utilisation_with: b[0].util,
    events_per_s_without: Math.round(evA),
    events_per_s_with: Math.round(evB),
    events_ratio: +(evB / evA).toFixed(3),
    ops_per_s_without: Math.round(opA),
    ops_per_s_with: Math.round(opB),
    ops_ratio: +(opB / opA).toFixed(3),
  }),
);
