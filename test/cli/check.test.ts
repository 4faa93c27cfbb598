import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-check-'));
function file(name: string, lines: object[] | string): string {
  const p = join(dir, name);
  writeFileSync(p, typeof lines === 'string' ? lines : lines.map((l) => JSON.stringify(l)).join('\n'));
  return p;
}

const w = (t: number, op: number, value: number) => ({ t, type: 'invoke', op, client: 'c1', node: 'n1', f: 'write', key: 'balance', value });
const r = (t: number, op: number) => ({ t, type: 'invoke', op, client: 'c2', node: 'n2', f: 'read', key: 'balance' });
const ok = (t: number, op: number, value?: number) => ({ t, type: 'ok', op, ...(value !== undefined ? { value } : {}) });

const good = file('good.jsonl', [w(1000, 1, 100), ok(2000, 1), r(3000, 2), ok(4000, 2, 100)]);
const bad = file('bad.jsonl', [w(1000, 1, 100), ok(2000, 1), w(3000, 2, 200), ok(4000, 2), r(5000, 3), ok(6000, 3, 100)]);

async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(['check', ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('replsim check', () => {
  it('says valid and exits 0', async () => {
    const res = await run([good]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/good\.jsonl: valid .*\[\d+(\.\d)? ms\]\n$/);
  });
  it('explains a violation and exits 1', async () => {
    const res = await run([good, bad, '--model', 'register']);
    expect(res.code).toBe(1);
    const lines = res.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('bad.jsonl: not linearizable (1 key): on key balance, no order of ops');
    expect(lines[1]).toContain('read op 3 returning 100');
  });
  it('prints one JSON object per file with --json', async () => {
    const res = await run([good, bad, '--json']);
    const objs = res.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => o.valid)).toEqual([true, false]);
    expect(objs[1]).toMatchObject({ file: bad, anomalies: { non_linearizable: { count: 1 } } });
    expect(typeof objs[0]!.check_ms).toBe('number');
  });
  it('session families of an imported history are n/a (count null, would_violate beside) unless --sessions sticky', async () => {
    // client c1 writes 100, then reads the initial (empty) value: a read-your-writes violation
    const own = file('own.jsonl', [
      { t: 1000, type: 'invoke', op: 1, client: 'c1', node: 'n1', f: 'write', key: 'k', value: 100 },
      ok(2000, 1),
      { t: 3000, type: 'invoke', op: 2, client: 'c1', node: 'n2', f: 'read', key: 'k' },
      { t: 4000, type: 'ok', op: 2, value: null },
    ]);
    type Out = { anomalies: Record<string, { applicable: boolean; count: number | null; would_violate?: number }> };
    const none = JSON.parse((await run([own, '--json'])).out) as Out;
    expect(none.anomalies.read_your_writes).toMatchObject({ applicable: false, count: null, would_violate: 1 });
    const sticky = JSON.parse((await run([own, '--json', '--sessions', 'sticky'])).out) as Out;
    expect(sticky.anomalies.read_your_writes).toMatchObject({ applicable: true, count: 1 });
  });
  it('reads Jepsen formats with --initial and --nil-read', async () => {
    const edn = file(
      'h.edn',
      '[{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read :value nil}\n{:process 1 :type :invoke :f :cas :value [0 1]}\n{:process 1 :type :ok :f :cas :value [0 1]}]',
    );
    expect((await run([edn, '--model', 'cas-register', '--initial', '0', '--nil-read', 'any'])).code).toBe(0);
    expect((await run([edn, '--model', 'cas-register', '--initial', '0', '--nil-read', 'empty'])).code).toBe(1);
    const log = file(
      'h.log',
      'INFO  jepsen.util - 0\t:invoke\t:write\t4\nINFO  jepsen.util - 0\t:ok\t:write\t4\nINFO  jepsen.util - 1 :invoke :read nil\nINFO  jepsen.util - 1 :ok :read 4\n',
    );
    expect((await run([log, '--model', 'cas-register'])).code).toBe(0);
  });
  it('exits 2 with one line naming file:line for bad input', async () => {
    const broken = file('broken.jsonl', `${JSON.stringify(r(1, 1))}\n{"t":2,\n`);
    const res = await run([good, broken]);
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    expect(res.err.startsWith(`replsim: ${broken}:2`)).toBe(true);
    expect(res.err).toMatch(/not valid JSON[^\n]*\n$/);
    const missing = await run([join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^replsim: cannot read .*nope\.jsonl \(ENOENT\)\n$/);
    expect((await run([good, '--model', 'queue'])).code).toBe(2);
    expect((await run([good, '--initial', '{oops'])).err).toContain('--initial must be JSON');
    expect((await run([good, '--budget-ms', '-5'])).code).toBe(2);
    expect((await run([file('h.txt', '')])).err).toContain('pass --format');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err.split('\n')).toHaveLength(2);
  });

  it('streams jsonl files: the verdict as before, and a file with no operation is bad input', async () => {
    const res = await run([good, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out).valid).toBe(true);
    for (const [name, text] of [['empty.jsonl', ''], ['blank.jsonl', '\n\n'], ['faults.jsonl', '{"t":1,"type":"fault","fault":"heal"}\n']] as const) {
      const r = await run([file(name, text)]);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(new RegExp(`^replsim: .*${name}:1: .*no operation to check[^\n]*\n$`));
    }
  });
});

it('--budget-ms stops a hard search on time without ../shared: unknown (count null), exit 3, JSON valid "unknown"', async () => {
  // 14 concurrent writes and a read of a value none wrote: only an exhaustive search (about
  // 2^14 subsets of writes) can say no, far more than 1 ms of work on any machine
  const recs: object[] = [];
  for (let i = 0; i < 14; i++) recs.push({ t: 1000 + i, type: 'invoke', op: i + 1, client: `c${i}`, node: 'n1', f: 'write', key: 'k', value: i + 1 });
  recs.push({ t: 2000, type: 'invoke', op: 99, client: 'r', node: 'n1', f: 'read', key: 'k' });
  for (let i = 0; i < 14; i++) recs.push(ok(3000 + i, i + 1));
  recs.push(ok(4000, 99, 1000));
  const hard = file('hard.jsonl', recs);
  const res = await run([hard, '--budget-ms', '1', '--json']);
  expect(res.code).toBe(3);
  const o = JSON.parse(res.out) as { valid: unknown; anomalies: { non_linearizable: { count: unknown; unknown: unknown; note: string } } };
  expect(o.valid).toBe('unknown');
  expect(o.anomalies.non_linearizable).toMatchObject({ count: null, unknown: true });
  expect(o.anomalies.non_linearizable.note).toMatch(/time budget of 1 ms ran out/);
  const text = await run([hard, '--budget-ms', '1']);
  expect(text.code).toBe(3);
  expect(text.out).toMatch(/hard\.jsonl: unknown: no verdict for 1 of 1 partitions \(key k: time budget of 1 ms ran out/);
});

const c50 = fileURLToPath(new URL('../../../shared/oracles/porcupine-kv/c50-ok.txt', import.meta.url));
const c50Present = existsSync(c50);
const c50Skip = c50Present ? '' : ` (SKIPPED: ../shared/oracles is absent, no ${c50})`;
it.skipIf(!c50Present)(`--budget-ms may stop on time: unknown, exit 3, JSON valid "unknown" with the reason${c50Skip}`, async () => {
  const res = await run([c50, '--format', 'jepsen-edn', '--model', 'kv', '--budget-ms', '1']);
  expect(res.code).toBe(3);
  expect(res.out).toMatch(/c50-ok\.txt: unknown: no verdict for \d+ of 10 partitions \(key \d+: time budget of 1 ms ran out/);
  const json = await run([c50, '--format', 'jepsen-edn', '--model', 'kv', '--budget-ms', '1', '--json']);
  expect(json.code).toBe(3);
  const o = JSON.parse(json.out) as { valid: unknown; anomalies: { non_linearizable: { count: unknown; unknown: unknown; note: string } } };
  expect(o.valid).toBe('unknown');
  // unknown is never zero: the count is null beside the reason
  expect(o.anomalies.non_linearizable.count).toBeNull();
  expect(o.anomalies.non_linearizable.unknown).toBe(true);
  expect(o.anomalies.non_linearizable.note).toMatch(/time budget of 1 ms ran out/);
});

describe('replsim check refuses bad histories (exit 2, one line file:line, never "valid")', () => {
  const simulator = [w(1000, 1, 100), ok(2000, 1), r(3000, 2), ok(4000, 2, 100)];
  const text = (rs: object[]) => rs.map((l) => JSON.stringify(l)).join('\n');
  const cases: [string, string, string | Buffer, string[], RegExp][] = [
    ['an empty file', 'empty.jsonl', '', [], /:1: the file is empty/],
    ['a file of only blank lines', 'blank.jsonl', '\n\n \n', [], /:1: the file has only blank lines/],
    ['a file of only fault records', 'faults.jsonl', '{"t":1,"type":"fault","fault":"heal"}\n', [], /:1: no operation to check/],
    ['a simulator .jsonl passed as --format jepsen-log', 'sim.jsonl', text(simulator), ['--format', 'jepsen-log'], /:1: no operation .*--format jsonl$/],
    ['a simulator .jsonl passed as --format jepsen-edn', 'sim2.jsonl', text(simulator), ['--format', 'jepsen-edn'], /:1:\d+: .*--format jsonl$/],
    ['an EDN file read as jsonl', 'h.edn', '[{:process 0 :type :invoke :f :read :value nil}]', ['--format', 'jsonl'], /:1:\d+: not valid JSON/],
    ['text with no recognised line', 'junk.log', 'hello\nworld\n', [], /:1: no operation to check/],
    ['a malformed line in the middle', 'mid.jsonl', `${text(simulator.slice(0, 2))}\n{"t":\n${text(simulator.slice(2))}`, [], /:3(:\d+)?: not valid JSON/],
    ['an ok with no invoke', 'orphan.jsonl', text([...simulator, ok(5000, 9, 777)]), [], /:5: ok for op 9 with no invoke/],
    ['time going backwards', 'back.jsonl', text([w(1000, 1, 100), ok(900, 1)]), [], /:2: time goes backwards/],
    ['a duplicated op id', 'dup.jsonl', text([...simulator, w(5000, 2, 5)]), [], /:5: op 2 is invoked twice/],
    ['a second completion', 'twice.jsonl', text([...simulator, ok(5000, 2, 100)]), [], /:5: op 2 completes twice/],
    ['a negative time', 'neg.jsonl', text([w(-1, 1, 100)]), [], /:1: record needs "t": a non-negative integer/],
    [
      'invalid UTF-8',
      'utf8.jsonl',
      Buffer.concat([Buffer.from('{"t":1,"type":"invoke","op":1,"client":"c","f":"write","key":"k'), Buffer.from([0xff]), Buffer.from('","value":1}\n')]),
      [],
      /:1:64: invalid UTF-8/,
    ],
    ['a history of another model\'s ops (--model set on register writes)', 'model.jsonl', text(simulator), ['--model', 'set'], /:1: op 1 cannot be judged with --model set: the set model has no "write"/],
    ['a value of 1e999', 'inf.jsonl', `${JSON.stringify(w(1, 1, 1)).replace('"value":1', '"value":1e999')}\n`, [], /:1: a number overflows a double/],
  ];
  for (const [name, base, content, flags, want] of cases) {
    it(name, async () => {
      const p = join(dir, base);
      writeFileSync(p, content);
      const res = await run([p, ...flags]);
      expect(res.code).toBe(2);
      expect(res.out).toBe('');
      expect(res.err.startsWith(`replsim: ${p}:`)).toBe(true);
      expect(res.err.split('\n')).toHaveLength(2);
      expect(res.err.trimEnd()).toMatch(want);
    });
  }
});

describe('histories written by run are accepted by check (the structural rules hold for the simulator)', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const name of ['async-lww-tie', 'async-vv-siblings', 'sync-coordinator-crash']) {
    it(name, async () => {
      const out = join(dir, `${name}.jsonl`);
      const ran = memoryIo();
      await main(['run', join(root, 'scenarios', `${name}.yaml`), '--history', out], ran);
      expect(existsSync(out)).toBe(true);
      const res = await run([out, '--model', 'register']);
      expect(res.err).toBe('');
      expect([0, 1]).toContain(res.code);
    });
  }
});
