// Raft at scale (issue 19.4): 100,000 ranges over 9 nodes (three regions) for 60 s simulated,
// with quiescent ranges (`quiesce: true`, the default): idle ranges stop heartbeating and
// ticking, one liveness message per node pair stands in for them, and each step's messages to
// a peer node travel as one. Prints wall time, CPU (user, and user+sys), peak RSS, events,
// elections and the safety verdicts (invariants, split brain, non-linearizable). The growth
// with the number of ranges: run it with 10000, 30000 and 100000. Usage:
// node bench/raft-scale.bench.mjs [ranges=100000] [duration=60s] [quiesce=true]
import { loadavg } from 'node:os';
import { timedRun } from './timed-run.mjs';

const ranges = Number(process.argv[2] ?? 100_000);
const duration = process.argv[3] ?? '60s';
const quiesce = (process.argv[4] ?? 'true') === 'true';
const cpu0 = process.cpuUsage();
const { r, wall_s, cpu_s } = timedRun(
  'raft-scale',
  `
name: raft-scale
seed: 3
duration: ${duration}
settle: 0s
regions: { us-east: { nodes: 3 }, eu-west: { nodes: 3 }, ap-northeast: { nodes: 3 } }
network:
  intra_region: { latency: 1ms, jitter: 200us }
  inter_region: { latency: 40ms, jitter: 4ms }
engine: { type: raft, ranges: ${ranges}, reads: lease, quiesce: ${quiesce} }
workload:
  keys: 1000
  clients: { us-east: { count: 4, rate: 50/s }, eu-west: { count: 4, rate: 50/s }, ap-northeast: { count: 4, rate: 50/s } }
  mix: { read: 0.7, write: 0.3 }
`,
  { ranges },
);
const cpu = process.cpuUsage(cpu0);
const count = (a) => (a === undefined || a === null ? null : typeof a === 'object' ? a.count : a);
const e = r.metrics.engine ?? {};
console.log(
  JSON.stringify({
    bench: 'raft-scale',
    ranges,
    nodes: 9,
    quiesce,
    sim_s: r.metrics.sim_seconds,
    wall_s: +wall_s.toFixed(2),
    cpu_s: +cpu_s.toFixed(2),
    cpu_user_sys_s: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    simulate_s: +(r.metrics.wall_seconds_simulate ?? 0).toFixed(2),
    check_s: +(r.metrics.wall_seconds_check ?? 0).toFixed(2),
    events: r.metrics.events,
    ops: r.ops.total,
    leader_elections: e.raft_leader_elections,
    ranges_quiet_at_end: e.raft_ranges_quiet_at_end,
    invariant: count(r.anomalies.invariant),
    split_brain: count(r.anomalies.split_brain),
    non_linearizable: count(r.anomalies.non_linearizable),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    stop: r.stop.reason,
    load1: +loadavg()[0].toFixed(2),
  }),
);
