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
    const broken = file('broken.jsonl', '{"t":1,"type":"ok","op":1}\n{"t":2,\n');
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

const c50 = fileURLToPath(new URL('../../../shared/oracles/porcupine-kv/c50-ok.txt', import.meta.url));
it.skipIf(!existsSync(c50))('exits 3 with the reason when the time budget runs out', async () => {
  const res = await run([c50, '--format', 'jepsen-edn', '--model', 'kv', '--budget-ms', '1']);
  expect(res.code).toBe(3);
  expect(res.out).toMatch(/c50-ok\.txt: unknown: no verdict for \d+ of 10 partitions \(key \d+: time budget of 1 ms ran out/);
});
