import { LIMIT_DEFAULTS } from '../../src/scenario/limit-defaults.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { SCENARIO_PARSE_OPTIONS, scenarioSchema } from '../../src/scenario/schema.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { MS, SEC } from '../../src/sim/time.js';

const HEAD = `name: t
duration: 30s
regions:
  us-east: { nodes: 3 }
  eu-west: { nodes: 2 }
`;

function ok(yaml: string): Scenario {
  const r = parseScenario(yaml, 't.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

describe('defaults', () => {
  const s = ok(`${HEAD}engine: { type: async }\n`);

  it('fills top-level defaults and resolves durations to microseconds', () => {
    expect(s.version).toBe(1);
    expect(s.seed).toBe(1);
    expect(s.description).toBe('');
    expect(s.duration_us).toBe(30 * SEC);
    expect(s.settle_us).toBe(10 * SEC);
    expect(s.clocks).toEqual({});
    expect(s.faults).toEqual([]);
    expect(s.expect).toEqual([]);
    expect(s.limits).toEqual({ max_events: 50_000_000, max_history: 20_000_000, max_queue: 5_000_000, ...LIMIT_DEFAULTS });
    expect(s.regions['eu-west']).toEqual({ nodes: 2, clock: { offset_us: 0, drift_ppm: 0 } });
  });

  it('fills network defaults', () => {
    expect(s.network.intra_region).toEqual({
      latency_us: 500,
      jitter_us: 100,
      distribution: 'uniform',
      loss: 0,
      duplicate: 0,
      reorder: false,
    });
    expect(s.network.inter_region).toEqual({
      latency_us: 50 * MS,
      jitter_us: 5 * MS,
      distribution: 'uniform',
      loss: 0,
      duplicate: 0,
      reorder: false,
    });
    expect(s.network.links).toEqual([]);
  });

  it('fills async engine defaults', () => {
    expect(s.engine).toEqual({
      type: 'async',
      conflict: 'lww',
      timestamps: 'physical',
      register: 'lww',
      queue_limit: 0,
      batch: 100,
      flush_interval_us: 10 * MS,
      durable_queue: false,
      coalesce: false,
      ownership: 'none',
      homes: {},
    });
  });

  it('fills sync engine defaults', () => {
    expect(ok(`${HEAD}engine: { type: sync }\n`).engine).toEqual({
      type: 'sync',
      on_failure: 'pause',
      lock_timeout_us: SEC,
      prepare_timeout_us: SEC,
      recovery: 'queue-drain',
    });
  });

  it('fills raft engine defaults', () => {
    expect(ok(`${HEAD}engine: { type: raft }\n`).engine).toEqual({
      type: 'raft',
      ranges: 16,
      replication_factor: 3,
      placement: { kind: 'spread' },
      reads: 'lease',
      election_timeout_us: SEC,
      heartbeat_us: 100 * MS,
      lease_us: 2 * SEC,
      prevote: true,
      check_quorum: true,
      quiesce: true, // the default since issue 19: idle ranges cost nothing per tick
    });
  });

  it('fills workload defaults', () => {
    expect(s.workload).toEqual({
      model: 'register',
      keys: 100,
      key_distribution: 'uniform',
      zipf_s: 1.1,
      hot_fraction: 0.1,
      clients: {},
      mix: { read: 0.5, write: 0.5 },
      read_from: 'local',
      sessions: 'none',
      timeout_us: 2 * SEC,
      script: [],
    });
  });

  it.each([
    ['register', { read: 0.5, write: 0.5 }],
    ['counter', { read: 0.5, add: 0.5 }],
    ['set', { read: 0.5, add: 0.5 }],
    ['inventory', { read: 0.4, reserve: 0.5, restock: 0.1 }],
  ])('default mix of the %s model', (model, mix) => {
    expect(ok(`${HEAD}engine: { type: async }\nworkload: { model: ${model} }\n`).workload.mix).toEqual(mix);
  });

  it('keeps a given mix as written', () => {
    expect(ok(`${HEAD}engine: { type: async }\nworkload: { mix: { read: 9, cas: 1 } }\n`).workload.mix).toEqual({ read: 9, cas: 1 });
  });
});

describe('units', () => {
  it.each([
    ['250us', 250],
    ['15ms', 15_000],
    ['2s', 2_000_000],
    ['5m', 300_000_000],
    ['2h', 7_200_000_000],
    ['1m30s', 90_000_000],
    ['1.5s', 1_500_000],
  ])('duration %s is %i us', (text, us) => {
    expect(ok(`${HEAD}settle: ${text}\nengine: { type: async }\n`).settle_us).toBe(us);
  });

  it.each([
    ['50/s', 50],
    ['3000/m', 50],
    ['0/s', 0],
    ['360/h', 0.1],
    ['2.5/s', 2.5],
  ])('rate %s is %d per second', (text, perS) => {
    const s = ok(`${HEAD}engine: { type: async }\nworkload: { clients: { us-east: { count: 2, rate: ${text} } } }\n`);
    expect(s.workload.clients['us-east']?.rate_per_s).toBeCloseTo(perS, 12);
    expect(s.workload.clients['us-east']?.count).toBe(2);
  });

  it('accepts negative clock offsets and keeps drift', () => {
    const s = ok(`name: t\nduration: 1s\nregions: { a: { nodes: 1, clock: { offset: -5s, drift_ppm: -20 } } }\nclocks: { "a/0": { offset: 300ms } }\nengine: { type: async }\n`);
    expect(s.regions.a?.clock).toEqual({ offset_us: -5 * SEC, drift_ppm: -20 });
    expect(s.clocks).toEqual({ 'a/0': { offset_us: 300 * MS, drift_ppm: 0 } });
  });

  it('link overrides carry only the fields given', () => {
    const s = ok(`${HEAD}network:\n  links:\n    - { between: [us-east, eu-west], jitter: 1ms, reorder: true, one_way: true }\nengine: { type: async }\n`);
    expect(s.network.links).toEqual([{ between: ['us-east', 'eu-west'], one_way: true, jitter_us: 1000, reorder: true }]);
  });
});

describe('engines', () => {
  it('raft placement forms', () => {
    const p = (v: string) => {
      const e = ok(`${HEAD}engine: { type: raft, placement: ${v} }\n`).engine;
      return e.type === 'raft' ? e.placement : undefined;
    };
    expect(p('spread')).toEqual({ kind: 'spread' });
    expect(p('{ home: us-east }')).toEqual({ kind: 'home', region: 'us-east' });
    expect(p('{ leaders: eu-west }')).toEqual({ kind: 'leaders', region: 'eu-west' });
  });

  it('sync witness and remove_after', () => {
    expect(ok(`${HEAD}engine: { type: sync, on_failure: witness, witness: eu-west, remove_after: 30s }\n`).engine).toMatchObject({
      on_failure: 'witness',
      witness: 'eu-west',
      remove_after_us: 30 * SEC,
    });
  });

  it('async home ownership', () => {
    const e = ok(`${HEAD}engine: { type: async, ownership: home, homes: { "user:": eu-west } }\n`).engine;
    expect(e).toMatchObject({ ownership: 'home', homes: { 'user:': 'eu-west' } });
  });
});

describe('faults', () => {
  it('normalises every action kind to { at_us, for_us?, action }', () => {
    const s = ok(`${HEAD}engine: { type: async }
faults:
  - { at: 1s, partition: [[us-east], [eu-west/0, eu-west/1]], for: 2s }
  - { at: 1s, isolate: us-east/2 }
  - { at: 1s, one_way: { from: us-east, to: eu-west } }
  - { at: 2s, heal: true }
  - { at: 2s, crash: us-east/*, lose_volatile: true }
  - { at: 3s, crash: eu-west/1 }
  - { at: 4s, restart: us-east/* }
  - { at: 1s, clock: { node: eu-west/*, drift_ppm: 50 } }
  - { at: 1s, slow: { between: [us-east, eu-west], latency: 500ms }, for: 10s }
  - { at: 1s, remove: eu-west }
  - { at: 9s, rejoin: eu-west }
  - { at: 0s, chaos: { rate: 6/m, kinds: [crash, partition] }, for: 20s }
  - { at: 0s, chaos: { rate: 1/s } }
`);
    expect(s.faults).toEqual([
      { at_us: SEC, for_us: 2 * SEC, action: { kind: 'partition', groups: [['us-east'], ['eu-west/0', 'eu-west/1']] } },
      { at_us: SEC, action: { kind: 'isolate', target: 'us-east/2' } },
      { at_us: SEC, action: { kind: 'one_way', from: 'us-east', to: 'eu-west' } },
      { at_us: 2 * SEC, action: { kind: 'heal' } },
      { at_us: 2 * SEC, action: { kind: 'crash', target: 'us-east/*', lose_volatile: true } },
      { at_us: 3 * SEC, action: { kind: 'crash', target: 'eu-west/1', lose_volatile: false } },
      { at_us: 4 * SEC, action: { kind: 'restart', target: 'us-east/*' } },
      { at_us: SEC, action: { kind: 'clock', node: 'eu-west/*', drift_ppm: 50 } },
      { at_us: SEC, for_us: 10 * SEC, action: { kind: 'slow', between: ['us-east', 'eu-west'], latency_us: 500 * MS } },
      { at_us: SEC, action: { kind: 'remove', target: 'eu-west' } },
      { at_us: 9 * SEC, action: { kind: 'rejoin', target: 'eu-west' } },
      { at_us: 0, for_us: 20 * SEC, action: { kind: 'chaos', seed_stream: 'faults', rate_per_s: 0.1, kinds: ['crash', 'partition'] } },
      {
        at_us: 0,
        action: {
          kind: 'chaos',
          seed_stream: 'faults',
          rate_per_s: 1,
          kinds: ['partition', 'isolate', 'one_way', 'crash', 'clock', 'slow'],
        },
      },
    ]);
  });
});

describe('script and expect', () => {
  it('normalises script values per model', () => {
    const s = ok(`${HEAD}engine: { type: async }
workload:
  model: inventory
  script:
    - { at: 1s, client: us-east/0, op: reserve, key: sku-1, value: 2 }
    - { at: 2s, client: eu-west/7, op: reserve, key: 7, value: { qty: 1, order: o-9 } }
    - { at: 3s, client: us-east/0, op: restock, key: sku-1, value: 10 }
    - { at: 4s, client: us-east/0, op: read, key: sku-1 }
`);
    expect(s.workload.script).toEqual([
      { at_us: SEC, client: 'us-east/0', op: 'reserve', key: 'sku-1', value: { qty: 2 } },
      { at_us: 2 * SEC, client: 'eu-west/7', op: 'reserve', key: '7', value: { qty: 1, order: 'o-9' } },
      { at_us: 3 * SEC, client: 'us-east/0', op: 'restock', key: 'sku-1', value: 10 },
      { at_us: 4 * SEC, client: 'us-east/0', op: 'read', key: 'sku-1' },
    ]);
  });

  it('accepts cas [old, new] on registers and add/remove on sets', () => {
    expect(ok(`${HEAD}engine: { type: async }\nworkload: { script: [{ at: 1s, client: us-east/0, op: cas, key: k, value: [1, 2] }] }\n`).workload.script[0]?.value).toEqual([1, 2]);
    expect(ok(`${HEAD}engine: { type: async }\nworkload: { model: set, script: [{ at: 1s, client: us-east/0, op: remove, key: k, value: x }] }\n`).workload.script[0]?.value).toBe('x');
  });

  it('turns expect into a list of comparisons in file order', () => {
    const s = ok(`${HEAD}engine: { type: async }
expect:
  lost_update: ">= 1"
  stale_read: 0
  availability: ">=0.99"
  latency_ms.write.p99: "< 250"
  availability_by_region.eu-west: "> 0.5"
  engine.max_queue_depth: "<= 10"
`);
    expect(s.expect).toEqual([
      { name: 'lost_update', op: '>=', value: 1, want: '>= 1' },
      { name: 'stale_read', op: '==', value: 0, want: '0' },
      { name: 'availability', op: '>=', value: 0.99, want: '>=0.99' },
      { name: 'latency_ms.write.p99', op: '<', value: 250, want: '< 250' },
      { name: 'availability_by_region.eu-west', op: '>', value: 0.5, want: '> 0.5' },
      { name: 'engine.max_queue_depth', op: '<=', value: 10, want: '<= 10' },
    ]);
  });
});

describe('schema as data', () => {
  it('output type is the resolved Scenario', () => {
    expectTypeOf<z.output<typeof scenarioSchema>>().toEqualTypeOf<Scenario>();
  });

  it('z.toJSONSchema works on the input side, strict and described everywhere', () => {
    const js = z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>;
    expect(js.additionalProperties).toBe(false);
    expect(js.required).toEqual(['name', 'duration', 'regions', 'engine']);
    const missing: string[] = [];
    let objects = 0;
    const walk = (s: unknown, path: string): void => {
      if (!s || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      if (o.type === 'object' && o.properties) {
        objects++;
        if (o.additionalProperties !== false) missing.push(`${path} (not strict)`);
      }
      for (const [k, v] of Object.entries((o.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!v.description) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      if (o.items) walk(o.items, `${path}[]`);
      if (Array.isArray(o.prefixItems)) o.prefixItems.forEach((x, i) => walk(x, `${path}[${i}]`));
      if (o.additionalProperties && typeof o.additionalProperties === 'object') walk(o.additionalProperties, `${path}.*`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach((x, i) => walk(x, `${path}<${k}${i}>`));
    };
    walk(js, '');
    expect(missing).toEqual([]);
    expect(objects).toBeGreaterThan(15);
    // Defaults are shown in input units.
    const props = js.properties as Record<string, { default?: unknown }>;
    expect(props.settle?.default).toBe('10s');
    expect(JSON.stringify(js)).toContain('"default":"50ms"');
  });

  it('safeParse directly gives the same wording as the loader', () => {
    const r = scenarioSchema.safeParse({ name: 't', duration: 5, regions: { a: { nodes: 1 } }, engine: { type: 'async' } }, SCENARIO_PARSE_OPTIONS);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/needs a unit/);
  });
});

describe('sections written empty', () => {
  it('a faults: or expect: section with every entry commented out means none', async () => {
    const { parseScenario } = await import('../../src/scenario/load.js');
    const r = parseScenario(
      'name: x\nduration: 1s\nregions:\n  a: { nodes: 1 }\nengine: { type: async }\nfaults:\n  # - { at: 1s, isolate: a }\nexpect:\n',
      'empty.yaml',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.faults).toEqual([]);
      expect(r.scenario.expect).toEqual([]);
    }
  });
});
