// Events/s and ops/s of every engine setting on the same traffic: the quickstart scenario's
// workload, network and faults, with only the engine replaced. One JSON line per setting,
// each measured in its own process (bench/scenario.mjs).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const settings = ['async:lww', 'async:hlc', 'async:vv', 'async:crdt', 'sync:pause', 'sync:witness', 'raft:lease', 'raft:read-index', 'raft:follower',
  // the quorum engine at ONE, LOCAL_QUORUM and QUORUM (target: ≥ 0.8× async:lww's events/s at ONE)
  'quorum:one', 'quorum:local-quorum', 'quorum:quorum'];
for (const label of settings) {
  const out = execFileSync(
    process.execPath,
    // The quorum settings are measured warm, like async:lww (whose first run is under 2 s), so
    // their ratio to it (target ≥ 0.8 at ONE) compares steady states, not JIT warm-up.
    [join(root, 'bench', 'scenario.mjs'), join(root, 'scenarios', 'quickstart.yaml'), '--setting', label, ...(label.startsWith('quorum:') ? ['--warm'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const r = JSON.parse(out.trim().split('\n').pop());
  console.log(
    JSON.stringify({
      ...r,
      // after the spread: scenario.mjs's own `bench: 'scenario'` must not hide which bench this is
      bench: 'engine',
      setting: label,
      traffic: 'quickstart',
      ops_per_s: r.error ? undefined : Math.round((r.ops * r.events_per_s) / r.events),
    }),
  );
}
