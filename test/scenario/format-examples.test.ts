/** Every example of SCENARIO-FORMAT.md validates and resolves as the text says. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, formatError } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { MS, SEC } from '../../src/sim/time.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const HEAD = `name: example
duration: 30s
regions:
  us-east: { nodes: 3 }
  eu-west: { nodes: 3 }
  ap-northeast: { nodes: 3 }
`;

function ok(yaml: string): Scenario {
  const r = parseScenario(yaml, 'example.yaml');
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.scenario;
}

describe('the big example (fixtures/format-example.yaml)', () => {
  const r = loadScenario(fixture('format-example.yaml'));
  it('validates', () => {
    expect(r.ok ? [] : r.errors.map(formatError)).toEqual([]);
  });
  const s = r.ok ? r.scenario : undefined;

  it('resolves header, regions and clocks', () => {
    expect(s?.name).toBe('lww-clock-skew');
    expect(s?.seed).toBe(42);
    expect(s?.duration_us).toBe(30 * SEC);
    expect(s?.settle_us).toBe(10 * SEC);
    expect(s?.regions['ap-northeast']).toEqual({ nodes: 3, clock: { offset_us: -5 * SEC, drift_ppm: 20 } });
  });

  it('resolves the network', () => {
    expect(s?.network.inter_region).toMatchObject({ latency_us: 60 * MS, jitter_us: 5 * MS, distribution: 'normal' });
    expect(s?.network.links).toEqual([
      { between: ['us-east', 'eu-west'], one_way: false, latency_us: 35 * MS },
      { between: ['us-east', 'ap-northeast'], one_way: false, latency_us: 75 * MS, loss: 0.01 },
      { between: ['eu-west', 'ap-northeast'], one_way: false, latency_us: 100 * MS },
      { between: ['ap-northeast', 'us-east'], one_way: true, latency_us: 90 * MS },
    ]);
  });

  it('resolves engine, workload, faults and expect', () => {
    expect(s?.engine).toMatchObject({ type: 'async', conflict: 'lww', timestamps: 'physical' });
    expect(s?.workload).toMatchObject({
      model: 'register',
      keys: 100,
      key_distribution: 'zipf',
      clients: { 'us-east': { count: 4, rate_per_s: 50 }, 'ap-northeast': { count: 4, rate_per_s: 50 } },
      mix: { read: 0.5, write: 0.5 },
      timeout_us: 2 * SEC,
    });
    expect(s?.workload.script.map((o) => [o.at_us, o.client, o.op, o.key, o.value])).toEqual([
      [SEC, 'us-east/0', 'write', 'balance', 300],
      [2 * SEC, 'ap-northeast/0', 'write', 'balance', 500],
      [20 * SEC, 'us-east/0', 'read', 'balance', undefined],
    ]);
    expect(s?.faults.map((f) => f.action.kind)).toEqual(['partition', 'crash', 'clock', 'slow']);
    expect(s?.faults[0]?.for_us).toBe(2 * 3600 * SEC);
    expect(s?.expect.map((e) => `${e.name} ${e.op} ${e.value}`)).toEqual([
      'lost_update >= 1',
      'stale_read == 0',
      'divergence == 0',
      'availability >= 0.99',
    ]);
  });
});

describe('minimal fixture', () => {
  it('validates', () => {
    const r = loadScenario(fixture('minimal.yaml'));
    expect(r.ok ? r.scenario.name : r.errors.map(formatError)).toBe('minimal');
  });
});

describe('examples in the section text', () => {
  it('`version: 1` may be given', () => {
    expect(ok(`version: 1\n${HEAD}engine: { type: async }\n`).version).toBe(1);
  });

  it('per-node clocks', () => {
    expect(ok(`${HEAD}clocks: { "us-east/2": { offset: 300ms } }\nengine: { type: async }\n`).clocks).toEqual({
      'us-east/2': { offset_us: 300 * MS, drift_ppm: 0 },
    });
  });

  it.each(['constant', 'uniform', 'normal', 'lognormal', 'pareto', 'exponential'])('link distribution %s', (d) => {
    expect(ok(`${HEAD}network: { intra_region: { distribution: ${d} } }\nengine: { type: async }\n`).network.intra_region.distribution).toBe(d);
  });

  it('every async setting', () => {
    const e = ok(`${HEAD}engine:
  type: async
  conflict: crdt
  timestamps: hybrid
  register: mv
  queue_limit: 500
  batch: 10
  flush_interval: 5ms
  durable_queue: true
  coalesce: true
  ownership: home
  homes: { "acct:": eu-west }
`).engine;
    expect(e).toEqual({
      type: 'async',
      conflict: 'crdt',
      timestamps: 'hybrid',
      register: 'mv',
      queue_limit: 500,
      batch: 10,
      flush_interval_us: 5 * MS,
      durable_queue: true,
      coalesce: true,
      ownership: 'home',
      homes: { 'acct:': 'eu-west' },
    });
  });

  it('every sync setting', () => {
    const e = ok(`${HEAD}engine: { type: sync, on_failure: split-brain, remove_after: 30s, lock_timeout: 500ms, prepare_timeout: 2s, recovery: online-copy }\n`).engine;
    expect(e).toEqual({
      type: 'sync',
      on_failure: 'split-brain',
      remove_after_us: 30 * SEC,
      lock_timeout_us: 500 * MS,
      prepare_timeout_us: 2 * SEC,
      recovery: 'online-copy',
    });
  });

  it('every raft setting', () => {
    const e = ok(`${HEAD}engine: { type: raft, ranges: 4, replication_factor: 5, placement: { leaders: eu-west }, reads: follower, election_timeout: 3s, heartbeat: 50ms, lease: 9s, prevote: false, check_quorum: false }\n`).engine;
    expect(e).toEqual({
      type: 'raft',
      ranges: 4,
      replication_factor: 5,
      placement: { kind: 'leaders', region: 'eu-west' },
      reads: 'follower',
      election_timeout_us: 3 * SEC,
      heartbeat_us: 50 * MS,
      lease_us: 9 * SEC,
      prevote: false,
      check_quorum: false,
      quiesce: true,
    });
  });

  it('workload: hot keys, sessions, failover and a script-only client', () => {
    const w = ok(`${HEAD}engine: { type: async }
workload:
  key_distribution: hot
  hot_fraction: 0.05
  read_from: quorum
  sessions: sticky
  failover: { detect: 5s, dns_ttl: 60s }
  clients:
    eu-west: { count: 1, rate: 0/s }
  script:
    - { at: 1s, client: eu-west/0, op: write, key: k, value: v1 }
`).workload;
    expect(w).toMatchObject({
      key_distribution: 'hot',
      hot_fraction: 0.05,
      read_from: 'quorum',
      sessions: 'sticky',
      failover: { detect_us: 5 * SEC, dns_ttl_us: 60 * SEC },
      clients: { 'eu-west': { count: 1, rate_per_s: 0 } },
    });
  });

  it('faults: node groups, one_way, remove/rejoin, chaos', () => {
    const f = ok(`${HEAD}engine: { type: sync }
faults:
  - { at: 1s, partition: [[us-east/0, us-east/1], [us-east/2]] }
  - { at: 2s, one_way: { from: us-east, to: eu-west/1 }, for: 1s }
  - { at: 3s, remove: ap-northeast }
  - { at: 9s, rejoin: ap-northeast }
  - { at: 10s, chaos: { seed_stream: faults, rate: 6/m, kinds: [crash, partition, clock] }, for: 10s }
`).faults;
    expect(f.map((x) => x.action)).toEqual([
      { kind: 'partition', groups: [['us-east/0', 'us-east/1'], ['us-east/2']] },
      { kind: 'one_way', from: 'us-east', to: 'eu-west/1' },
      { kind: 'remove', target: 'ap-northeast' },
      { kind: 'rejoin', target: 'ap-northeast' },
      { kind: 'chaos', seed_stream: 'faults', rate_per_s: 0.1, kinds: ['crash', 'partition', 'clock'] },
    ]);
  });

  it('expect: anomaly counts and metric paths', () => {
    const e = ok(`${HEAD}engine: { type: async }
expect:
  latency_ms.write.p50: "< 100"
  rpo_ms: "<= 5000"
  rto_ms: "< 30000"
  convergence_ms: "< 1000"
  replication_lag_ms.p99: "< 500"
  availability_during_faults: "> 0.5"
  events: "> 0"
  sim_seconds: 40
  split_brain: 0
  non_linearizable: 0
`).expect;
    expect(e).toHaveLength(10);
  });
});
