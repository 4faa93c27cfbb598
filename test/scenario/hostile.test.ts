/**
 * Named reproducers of issue 20 (points 1 and 2) and issue 13 point 13: hostile but small
 * enough scenario texts. Times are measured in bench/validate.mjs, never here; these check
 * the answers (capped, located, one line).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { formatError, MAX_ERRORS, parseScenario } from '../../src/scenario/load.js';
import { scanTree, toPlain, TOO_DEEP } from '../../src/scenario/tree.js';

const HEAD = `name: t\nduration: 30s\nregions:\n  us-east: { nodes: 3 }\n  eu-west: { nodes: 3 }\nengine: { type: async }\n`; // 6 lines

function errors(text: string): string[] {
  const r = parseScenario(text, 'f.yaml');
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(formatError);
}

function oneLineEach(lines: string[]): void {
  for (const l of lines) expect(l.split(/[\r\n\u2028\u2029\u0085]/), l).toHaveLength(1);
}

describe('big files (issue 20.1)', () => {
  it('20,000 unknown top-level keys: the first 50, in file order', () => {
    const text = HEAD + Array.from({ length: 20_000 }, (_, i) => `k${i}: 1\n`).join('');
    const e = errors(text);
    expect(e).toHaveLength(MAX_ERRORS);
    expect(e[0]).toBe('f.yaml:7:1 k0: unknown field "k0"; expected one of version, name, description, seed, duration, settle, regions, clocks, network, engine, workload, faults, backup, runbook, expect, limits, swarm, capacity, routing, client, alerts');
    expect(e[49]).toMatch(/^f\.yaml:56:1 k49: unknown field "k49"/);
  });

  it('20,000 unknown keys under expect', () => {
    const e = errors(`${HEAD}expect:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1\n`).join('')}`);
    expect(e).toHaveLength(MAX_ERRORS);
    expect(e[0]).toMatch(/^f\.yaml:8:3 expect\.k0: unknown expect name "k0"/);
  });

  it('101,000 top-level keys and 84,000 keys under expect (under 1 MiB with base-36 names): answered, capped at 50', () => {
    const top = errors(HEAD + Array.from({ length: 101_000 }, (_, i) => `k${i.toString(36)}: 1\n`).join(''));
    expect(top).toHaveLength(MAX_ERRORS);
    expect(top[49]).toMatch(/^f\.yaml:56:1 k1d: unknown field "k1d"/);
    const ex = errors(`${HEAD}expect:\n${Array.from({ length: 84_000 }, (_, i) => `  k${i.toString(36)}: 1\n`).join('')}`);
    expect(ex).toHaveLength(MAX_ERRORS);
    expect(ex[0]).toMatch(/^f\.yaml:8:3 expect\.k0: unknown expect name "k0"/);
  });

  it('a 20,000-item list defined with an anchor and used through an alias', () => {
    const e = errors(`${HEAD}description: &D [${Array(20_000).fill('1').join(', ')}]\nworkload:\n  script: *D\n`);
    expect(e).toHaveLength(MAX_ERRORS);
    expect(e[0]).toMatch(/^f\.yaml:7:17 description: expected a string, got a list/);
    // script items are located through the alias, at the anchored list's items
    expect(e[1]).toMatch(/^f\.yaml:7:\d+ workload\.script\[\d+\]: expected a mapping, got 1/);
  });

  it('an alias that would multiply the document is refused; one that copies it is not', () => {
    const copy = `${HEAD}workload:\n  mix: &m { read: 1, write: 1 }\nfaults: []\nexpect: {}\nclocks: {}\nnetwork:\n  intra_region: &l { latency: 1ms }\n  inter_region: *l\n`;
    expect(parseScenario(copy, 'f.yaml').ok).toBe(true);
    const rows = Array.from({ length: 12 }, (_, i) => `l${i}: &l${i} [${Array(4).fill(i === 0 ? '1' : `*l${i - 1}`).join(', ')}]`).join('\n');
    expect(errors(`${HEAD}${rows}\n`)[0]).toMatch(/refusing a possible alias bomb/);
  });
});

describe('one line per error (issue 20.2)', () => {
  it('a block-scalar key spanning lines is quoted and escaped', () => {
    const e = errors(`${HEAD}? |\n  a\n  b\n: 1\n`);
    expect(e[0]).toMatch(/^f\.yaml:7:3 "a\\nb\\n": unknown field "a\\nb\\n"/);
    oneLineEach(e);
  });

  it('CR-only line endings are line breaks (as YAML says), and no raw CR is printed', () => {
    const e = errors(`${HEAD}regionz: 1\n`.replace(/\n/g, '\r'));
    expect(e).toEqual(['f.yaml:7:1 regionz: unknown field "regionz" (did you mean "regions"?)']);
  });

  it('C1 controls and line separators in keys are escaped', () => {
    const e = errors(`${HEAD}"\\u0085x\\u2028y\\r": 1\n`);
    expect(e[0]).toContain('"\\u0085x\\u2028y\\r"');
    oneLineEach(e);
  });

  it('10,000-deep block and flow nesting get the same message', () => {
    const block = errors(`${HEAD}description:\n  ${'- '.repeat(10_000)}1\n`);
    const flow = errors(`${HEAD}description: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const shallow = errors(`${HEAD}description: ${'['.repeat(100)}${']'.repeat(100)}\n`);
    for (const e of [block, flow, shallow]) {
      expect(e).toHaveLength(1);
      expect(e[0]).toContain(TOO_DEEP);
      oneLineEach(e);
    }
  });

  it('nesting deeper than the limit through aliases is refused too', () => {
    const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
    const e = errors(`${HEAD}a: &a ${deep}\nb: &b ${'['.repeat(30)}*a${']'.repeat(30)}\n`);
    expect(e[0]).toContain(`${TOO_DEEP} once aliases are expanded`);
  });
});

describe('duplicate keys, found in linear time', () => {
  it('a duplicate through an aliased key', () => {
    expect(errors(`${HEAD}x: &k name\n*k : u\n`)).toEqual(['f.yaml:8:1 name: duplicate key "name"']);
  });
  it('the same key in two mappings is no duplicate', () => {
    expect(parseScenario(`${HEAD}network:\n  intra_region: { latency: 1ms }\n  inter_region: { latency: 1ms }\n`, 'f.yaml').ok).toBe(true);
  });
});

describe('expect names (issue 13.13)', () => {
  it('an engine metric misspelt gets a did-you-mean from that engine', () => {
    expect(errors(`${HEAD}expect:\n  engine.max_queu_depth: 1\n`)).toEqual([
      'f.yaml:8:3 expect.engine.max_queu_depth: unknown metric engine.max_queu_depth for the async engine (did you mean "engine.max_queue_depth"?)',
    ]);
  });
  it('metrics.* is no namespace: did you mean the metric itself', () => {
    expect(errors(`${HEAD}expect:\n  metrics.replication_lag_ms.max: 1\n`)).toEqual([
      'f.yaml:8:3 expect.metrics.replication_lag_ms.max: unknown expect name "metrics.replication_lag_ms.max" (did you mean "replication_lag_ms.max"?)',
    ]);
  });
  it("another engine's metric, or one the setting does not report", () => {
    expect(errors(`${HEAD}expect:\n  engine.raft_campaigns: 1\n`)[0]).toMatch(/is a metric of the raft engine; this scenario's engine is async/);
    expect(errors(`${HEAD}expect:\n  engine.changes_coalesced: 1\n`)[0]).toMatch(/reported by the async engine only with coalesce: true/);
    expect(errors(`${HEAD}expect:\n  engine.max_queue_depth_to_ap-south: 1\n`)[0]).toMatch(/unknown metric/);
  });
  it('accepts what the engine reports', () => {
    const ok = `${HEAD}workload: { read_from: quorum }\nexpect:\n  engine.max_queue_depth_to_eu-west: 1\n  engine.quorum_reads: ">= 1"\n`;
    expect(parseScenario(ok, 'f.yaml').ok).toBe(true);
    const raft = HEAD.replace('{ type: async }', '{ type: raft }');
    expect(parseScenario(`${raft}expect:\n  engine.raft_writes_ok_us-east: ">= 1"\n`, 'f.yaml').ok).toBe(true);
  });
  it('schema errors and reference errors in one pass', () => {
    const e = errors(`${HEAD}workload: { keys: -1 }\nfaults:\n  - { at: 1s, crash: eu-wets/1 }\nexpect:\n  engine.max_queu_depth: 1\n  lost_updates: 1\n`);
    expect(e.map((l) => l.split(':').slice(0, 3).join(':'))).toEqual(['f.yaml:7:19 workload.keys', 'f.yaml:9:22 faults[0].crash', 'f.yaml:11:3 expect.engine.max_queu_depth', 'f.yaml:12:3 expect.lost_updates']);
  });
});

describe('own YAML conversion', () => {
  it('gives what the yaml package gives, on every built-in scenario', () => {
    const dir = join(import.meta.dirname, '../../scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const doc = parseDocument(readFileSync(join(dir, f), 'utf8'), { version: '1.2', merge: false });
      const { index, errors: errs } = scanTree(doc, 50);
      expect(errs).toEqual([]);
      const plain = toPlain(doc, index);
      expect(plain.ok && plain.value, f).toEqual(doc.toJS());
    }
  });
});
