/**
 * A table of bad scenario files: each must give one-line errors naming file:line:col, the
 * field path and what was expected, and make `replsim validate` exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { formatError, loadScenario, MAX_FILE_BYTES } from '../../src/scenario/load.js';

const HEAD = `name: t
duration: 30s
regions:
  us-east: { nodes: 3 }
  eu-west: { nodes: 3 }
`;
const ASYNC = `${HEAD}engine:\n  type: async\n`; // lines 1-7

interface Case {
  name: string;
  text?: string | Buffer;
  /** no file at all */
  missing?: boolean;
  line: number;
  col: number;
  path: string;
  msg: RegExp;
  /** errors expected (default 1) */
  count?: number;
}

const BOMB = `${ASYNC}a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
`;

const CASES: Case[] = [
  {
    name: 'enum typo with suggestion',
    text: `${HEAD}engine:\n  type: raft\n  reads: leese\n`,
    line: 8,
    col: 10,
    path: 'engine.reads',
    msg: /^expected one of lease \| read-index \| follower, got "leese" \(did you mean "lease"\?\)$/,
  },
  {
    name: 'engine type typo',
    text: `${HEAD}engine: { type: rafft }\n`,
    line: 6,
    col: 17,
    path: 'engine.type',
    msg: /expected one of async \| sync \| raft \| quorum \| module, got "rafft" \(did you mean "raft"\?\)/,
  },
  {
    name: 'unknown nested field with did-you-mean',
    text: `${ASYNC}network:\n  inter_region: { lantecy: 5ms }\n`,
    line: 9,
    col: 19,
    path: 'network.inter_region.lantecy',
    msg: /unknown field "lantecy" \(did you mean "latency"\?\)/,
  },
  {
    name: 'unknown top-level field with did-you-mean',
    text: `${ASYNC}setle: 5s\n`,
    line: 8,
    col: 1,
    path: 'setle',
    msg: /unknown field "setle" \(did you mean "settle"\?\)/,
  },
  {
    name: 'setting of another engine',
    text: `${HEAD}engine:\n  type: raft\n  conflict: lww\n`,
    line: 8,
    col: 3,
    path: 'engine.conflict',
    msg: /unknown field "conflict"; expected one of type, ranges/,
  },
  {
    name: 'bare number for a duration',
    text: ASYNC.replace('duration: 30s', 'duration: 30'),
    line: 2,
    col: 11,
    path: 'duration',
    msg: /a duration needs a unit .*"30ms"/,
  },
  {
    name: 'duration without a known unit',
    text: `${ASYNC}settle: 5x\n`,
    line: 8,
    col: 9,
    path: 'settle',
    msg: /expected a duration such as 250us/,
  },
  {
    name: 'negative latency',
    text: `${ASYNC}network: { intra_region: { latency: -1ms } }\n`,
    line: 8,
    col: 37,
    path: 'network.intra_region.latency',
    msg: /must not be negative, got "-1ms"/,
  },
  {
    name: 'probability above 1',
    text: `${ASYNC}network:\n  inter_region:\n    loss: 1.5\n`,
    line: 10,
    col: 11,
    path: 'network.inter_region.loss',
    msg: /expected a number <= 1, got 1.5/,
  },
  {
    name: 'unknown region in a link',
    text: `${ASYNC}network:\n  links:\n    - { between: [us-east, eu-wst] }\n`,
    line: 10,
    col: 28,
    path: 'network.links[0].between[1]',
    msg: /unknown region "eu-wst" \(did you mean "eu-west"\?\); regions are us-east, eu-west/,
  },
  {
    name: 'unknown region in a fault',
    text: `${ASYNC}faults:\n  - { at: 1s, isolate: ap-south }\n`,
    line: 9,
    col: 24,
    path: 'faults[0].isolate',
    msg: /unknown region "ap-south"/,
  },
  {
    name: 'unknown region in clients',
    text: `${ASYNC}workload:\n  clients:\n    ap-south: { rate: 1/s }\n`,
    line: 10,
    col: 5,
    path: 'workload.clients.ap-south',
    msg: /unknown region "ap-south"/,
  },
  {
    name: 'node index out of range',
    text: `${ASYNC}faults:\n  - { at: 1s, crash: us-east/3 }\n`,
    line: 9,
    col: 22,
    path: 'faults[0].crash',
    msg: /node index 3 is out of range: us-east has 3 nodes \(us-east\/0\.\.us-east\/2\)/,
  },
  {
    name: 'clock override for a node that does not exist',
    text: `${ASYNC}clocks:\n  "eu-west/5": { offset: 1ms }\n`,
    line: 9,
    col: 3,
    path: 'clocks.eu-west/5',
    msg: /out of range/,
  },
  {
    name: 'duplicate keys',
    text: `${ASYNC}name: u\n`,
    line: 8,
    col: 1,
    path: 'name',
    msg: /duplicate key "name"/,
  },
  {
    name: 'alias bomb',
    text: BOMB,
    line: 9,
    col: 8,
    path: 'b[0]',
    msg: /aliases expand the document beyond \d+ extra nodes; refusing a possible alias bomb/,
  },
  {
    name: '__proto__ key',
    text: `${ASYNC}  __proto__: { polluted: true }\n`,
    line: 8,
    col: 3,
    path: 'engine.__proto__',
    msg: /the key "__proto__" is not allowed/,
  },
  {
    name: 'constructor key',
    text: `${ASYNC}workload:\n  mix: { constructor: 1 }\n`,
    line: 9,
    col: 10,
    path: 'workload.mix.constructor',
    msg: /the key "constructor" is not allowed/,
  },
  { name: 'missing file', missing: true, line: 1, col: 1, path: '', msg: /^no such file: .*absent\.yaml$/ },
  {
    name: 'binary file (NUL bytes)',
    text: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0x01, 0x02]),
    line: 1,
    col: 1,
    path: '',
    msg: /binary file \(contains NUL bytes\)/,
  },
  {
    name: 'binary file (invalid UTF-8)',
    text: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xc3, 0x28, 0xff, 0x0a]),
    line: 1,
    col: 1,
    path: '',
    msg: /not valid UTF-8/,
  },
  { name: 'empty file', text: '', line: 1, col: 1, path: '', msg: /^empty file/ },
  { name: 'comments only', text: '# nothing here\n\n', line: 1, col: 1, path: '', msg: /^empty file/ },
  {
    name: 'file over 1 MiB',
    text: `${ASYNC}description: "${'x'.repeat(MAX_FILE_BYTES)}"\n`,
    line: 1,
    col: 1,
    path: '',
    msg: /too large .*limit is 1048576/,
  },
  {
    name: 'top-level list',
    text: '- name: t\n- duration: 30s\n',
    line: 1,
    col: 1,
    path: '',
    msg: /expected a mapping of sections .* at the top level, got a list/,
  },
  {
    name: 'YAML syntax error',
    text: `${ASYNC}faults: [ { at: 1s, heal: true }\n`,
    line: 9,
    col: 1,
    path: '',
    msg: /.+/,
    count: -1,
  },
  {
    name: 'bad expect name',
    text: `${ASYNC}expect:\n  lost_updates: 0\n`,
    line: 9,
    col: 3,
    path: 'expect.lost_updates',
    msg: /unknown expect name "lost_updates" \(did you mean "lost_update"\?\)/,
  },
  {
    name: 'bad expect operator',
    text: `${ASYNC}expect:\n  stale_read: "=> 1"\n`,
    line: 9,
    col: 15,
    path: 'expect.stale_read',
    msg: /expected a number or a comparison such as ">= 1".*got "=> 1"/,
  },
  {
    name: 'expect per-region availability of an unknown region',
    text: `${ASYNC}expect:\n  availability_by_region.eu-wset: ">= 0.5"\n`,
    line: 9,
    col: 3,
    path: 'expect.availability_by_region.eu-wset',
    msg: /unknown region "eu-wset" .*did you mean "eu-west"/,
  },
  {
    name: 'expect per-region RTO of an unknown region',
    text: `${ASYNC}expect:\n  rto_ms_by_region.eu-wset: "<= 1000"\n`,
    line: 9,
    col: 3,
    path: 'expect.rto_ms_by_region.eu-wset',
    msg: /unknown region "eu-wset" .*did you mean "eu-west"/,
  },
  {
    name: 'op in mix not of the model',
    text: `${ASYNC}workload:\n  model: counter\n  mix: { read: 1, write: 1 }\n`,
    line: 10,
    col: 19,
    path: 'workload.mix.write',
    msg: /"write" is not an operation of the counter model; expected read \| add/,
  },
  {
    name: 'script op not of the model',
    text: `${ASYNC}workload:\n  script:\n    - { at: 1s, client: us-east/0, op: ad, key: k, value: 1 }\n`,
    line: 10,
    col: 40,
    path: 'workload.script[0].op',
    msg: /"ad" is not an operation of the register model \(did you mean "read"\?\)|"ad" is not an operation of the register model/,
  },
  {
    name: 'script client that is not REGION/INDEX',
    text: `${ASYNC}workload:\n  script:\n    - { at: 1s, client: us-east, op: read, key: k }\n`,
    line: 10,
    col: 25,
    path: 'workload.script[0].client',
    msg: /expected a client id REGION\/INDEX, e\.g\. us-east\/0, got "us-east"/,
  },
  {
    name: 'cas without [old, new]',
    text: `${ASYNC}workload:\n  script:\n    - { at: 1s, client: us-east/0, op: cas, key: k, value: 5 }\n`,
    line: 10,
    col: 60,
    path: 'workload.script[0].value',
    msg: /cas takes \[old, new\]/,
  },
  {
    name: 'missing required field',
    text: ASYNC.replace('duration: 30s\n', ''),
    line: 1,
    col: 1,
    path: 'duration',
    msg: /required field is missing; expected a duration/,
  },
  {
    name: 'witness missing',
    text: `${HEAD}engine:\n  type: sync\n  on_failure: witness\n`,
    line: 8,
    col: 15,
    path: 'engine.on_failure',
    msg: /on_failure: witness needs a `witness` region/,
  },
  {
    name: 'replication factor not 3 or 5',
    text: `${HEAD}engine: { type: raft, replication_factor: 4 }\n`,
    line: 6,
    col: 43,
    path: 'engine.replication_factor',
    msg: /expected one of 3 \| 5, got 4/,
  },
  {
    name: 'bad scenario name',
    text: ASYNC.replace('name: t', 'name: Lost_Update'),
    line: 1,
    col: 7,
    path: 'name',
    msg: /lowercase letters, digits and "-", got "Lost_Update"/,
  },
  {
    name: 'rate without unit',
    text: `${ASYNC}workload:\n  clients:\n    us-east: { count: 2, rate: 50 }\n`,
    line: 10,
    col: 32,
    path: 'workload.clients.us-east.rate',
    msg: /a rate needs a unit, e\.g\. "50\/s"/,
  },
  {
    name: 'zero nodes',
    text: ASYNC.replace('us-east: { nodes: 3 }', 'us-east: { nodes: 0 }'),
    line: 4,
    col: 21,
    path: 'regions.us-east.nodes',
    msg: /expected a number >= 1, got 0/,
  },
  {
    name: 'two actions in one fault',
    text: `${ASYNC}faults:\n  - { at: 1s, crash: us-east/1, restart: us-east/1 }\n`,
    line: 9,
    col: 33,
    path: 'faults[0].restart',
    msg: /a fault has one action, got crash and restart/,
  },
  {
    name: 'nesting too deep',
    text: `${ASYNC}description: ${'['.repeat(100)}${']'.repeat(100)}\n`,
    line: 8,
    col: 78,
    path: `description${'[0]'.repeat(64)}`,
    msg: /nested more than 64 levels deep/,
  },
];

const dir = mkdtempSync(join(tmpdir(), 'replsim-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileFor(c: Case, i: number): string {
  const f = join(dir, c.missing ? 'absent.yaml' : `case-${i}.yaml`);
  if (!c.missing && c.text !== undefined) writeFileSync(f, c.text);
  return f;
}

describe('bad scenario inputs', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const file = fileFor(c, i);
    const r = loadScenario(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    if (c.count !== -1) expect(r.errors.map(formatError)).toHaveLength(c.count ?? 1);
    const e = r.errors[0];
    expect(e).toBeDefined();
    if (!e) return;
    expect(e.file).toBe(file);
    expect({ line: e.line, col: e.column, path: e.path }).toEqual({ line: c.line, col: c.col, path: c.path });
    expect(e.message).toMatch(c.msg);

    const line = formatError(e);
    expect(line).not.toContain('\n');
    expect(line.startsWith(`${file}:${c.line}:${c.col} ${c.path ? `${c.path}: ` : ''}`)).toBe(true);

    const io = memoryIo();
    const code = await main(['validate', file], io);
    expect(code).toBe(2);
    expect(io.stdout).toBe('');
    const lines = io.stderr.trimEnd().split('\n');
    expect(lines).toEqual(r.errors.map(formatError));
    for (const l of lines) expect(l).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
  });

  it('the example of SCENARIO-FORMAT.md "Errors" reads as documented', () => {
    const f = join(dir, 'x.yaml');
    writeFileSync(f, `${HEAD}engine:\n  type: raft\n  reads: leese\n`);
    const r = loadScenario(f);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatError(r.errors[0] ?? { file: '', line: 0, column: 0, path: '', message: '' })).toBe(
      `${f}:8:10 engine.reads: expected one of lease | read-index | follower, got "leese" (did you mean "lease"?)`,
    );
  });

  it('reports every error of a file, in file order, each on its own line', async () => {
    const f = join(dir, 'many.yaml');
    writeFileSync(f, `name: t\nduration: 30\nregions:\n  us-east: { nodes: 3, clok: {} }\nengine: { type: async, confict: lww }\n`);
    const io = memoryIo();
    expect(await main(['validate', f], io)).toBe(2);
    expect(io.stderr.trimEnd().split('\n')).toEqual([
      `${f}:2:11 duration: a duration needs a unit (us, ms, s, m, h), e.g. "30ms"; got the bare number 30`,
      `${f}:4:24 regions.us-east.clok: unknown field "clok" (did you mean "clock"?)`,
      `${f}:5:24 engine.confict: unknown field "confict" (did you mean "conflict"?)`,
    ]);
  });

  it('two unknown keys in one mapping point at each key', () => {
    const r = loadScenario(fileFor({ name: '', text: `${ASYNC}network: { intra_region: { lat: 1ms, jiter: 1ms } }\n`, line: 0, col: 0, path: '', msg: /x/ }, 900));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [8, 28, 'network.intra_region.lat'],
      [8, 38, 'network.intra_region.jiter'],
    ]);
    expect(r.errors[1]?.message).toBe('unknown field "jiter" (did you mean "jitter"?)');
  });

  it('a --seed override that is not an integer is an error, a valid one replaces the seed', () => {
    const f = join(dir, 'seed.yaml');
    writeFileSync(f, ASYNC);
    const bad = loadScenario(f, { seed: 1.5 });
    expect(bad.ok).toBe(false);
    const good = loadScenario(f, { seed: 77 });
    expect(good.ok && good.scenario.seed).toBe(77);
  });
});
