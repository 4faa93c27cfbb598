// Large topologies (issue 19.5): async LWW over 20 regions with 5, 15 and 50 nodes each (100,
// 300 and 1,000 nodes), 2,000 clients at 5/s spread over the regions, the same traffic at
// every size. Every write is replicated to every other node, so the work per write grows with
// the node count (fan-out) and the total grows linearly; per-event cost must stay flat (no
// step quadratic in nodes). One JSON line per size: events, events/s, CPU, peak RSS (each size
// in its own process). Half a second by default: at 1,000 nodes each write is applied 999
// times and every apply is a history record (5,000 writes/s → 5 M records per simulated
// second), so 60 s is 3·10^8 records: pass the duration to try it.
// Usage: node bench/topology.bench.mjs [sizes=5,15,50] [duration=500ms]
//   node bench/topology.bench.mjs --one NODES_PER_REGION DURATION   (one size, in this process)
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const REGIONS = 20;
const CLIENTS = 2000;

if (process.argv[2] === '--one') {
  const per = Number(process.argv[3]);
  const duration = process.argv[4];
  const { timedRun } = await import('./timed-run.mjs');
  const regions = Array.from({ length: REGIONS }, (_, i) => `  r${String(i).padStart(2, '0')}: { nodes: ${per} }`).join('\n');
  const clients = Array.from({ length: REGIONS }, (_, i) => `    r${String(i).padStart(2, '0')}: { count: ${CLIENTS / REGIONS}, rate: 5/s }`).join('\n');
  const { r, wall_s, cpu_s } = timedRun(
    'topology',
    `name: topology-${per * REGIONS}
seed: 5
duration: ${duration}
settle: 1s
regions:
${regions}
network:
  intra_region: { latency: 1ms, jitter: 100us }
  inter_region: { latency: 60ms, jitter: 5ms }
engine: { type: async, conflict: lww }
workload:
  keys: 10000
  mix: { read: 0.5, write: 0.5 }
  clients:
${clients}
`,
    { nodes: per * REGIONS },
  );
  console.log(
    JSON.stringify({
      bench: 'topology',
      regions: REGIONS,
      nodes: per * REGIONS,
      clients: CLIENTS,
      sim_s: r.metrics.sim_seconds,
      ops: r.ops.total,
      events: r.metrics.events,
      wall_s: +wall_s.toFixed(2),
      cpu_s: +cpu_s.toFixed(2),
      simulate_s: +(r.metrics.wall_seconds_simulate ?? 0).toFixed(2),
      check_s: +(r.metrics.wall_seconds_check ?? 0).toFixed(2),
      // per CPU second: the machine is shared, so wall time says more about the load than the code
      events_per_cpu_s: Math.round(r.metrics.events / cpu_s),
      cpu_us_per_event: +((cpu_s * 1e6) / r.metrics.events).toFixed(3),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      stop: r.stop.reason,
      load1: +loadavg()[0].toFixed(2),
    }),
  );
  process.exit(0);
}

const sizes = (process.argv[2] ?? '5,15,50').split(',').map(Number);
const duration = process.argv[3] ?? '500ms';
for (const per of sizes) {
  process.stdout.write(execFileSync(process.execPath, [import.meta.filename, '--one', String(per), duration], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}
