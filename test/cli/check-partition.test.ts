/**
 * `replsim check --memory-mb`: a file bigger than the budget allows is spilled by key and
 * judged bucket by bucket (src/checker/partition). Bad input found across buckets (an op id
 * reused under a key of another bucket, a completion with no invoke) is still exit 2 with
 * `file:line: message`, the temporary directory is gone afterwards, and histories the
 * partition cannot judge exactly are checked in one pass with the reason on stderr.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { keyBucket } from '../../src/checker/partition/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-check-partition-'));
function file(name: string, lines: object[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return p;
}
async function check(args: string[]) {
  const io = memoryIo();
  const code = await main(['check', ...args], io);
  return { code, out: io.stdout.replace(/"check_ms":[\d.]+/g, '"check_ms":0').replace(/\[[\d.]+ ms\]/g, '[ms]'), err: io.stderr };
}
/** A budget that spills file `f` into 7 buckets (bucketsFor: ceil(4 × size / budget)). */
const tiny = (f: string): string[] => ['--memory-mb', String((4 * statSync(f).size) / 6.5 / 2 ** 20)];

const inv = (t: number, op: number, key: string, f = 'write', value: unknown = op) => ({ t, type: 'invoke', op, client: 'c1', node: 'n1', f, key, ...(f === 'read' ? {} : { value }) });
const ok = (t: number, op: number, value?: unknown) => ({ t, type: 'ok', op, ...(value !== undefined ? { value } : {}) });

// two keys in different buckets of the 7 that `tiny` makes
const K1 = 'k1';
const K2 = ['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'].find((k) => keyBucket(k, 7) !== keyBucket(K1, 7))!;

let tmp: string;
let savedTmp: string | undefined;
beforeEach(() => {
  // os.tmpdir() reads TMPDIR: the spill directory goes here, so the test can see it removed
  savedTmp = process.env.TMPDIR;
  tmp = mkdtempSync(join(dir, 'tmp-'));
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe('check --memory-mb (partitioned)', () => {
  it('judges a file spilled into buckets as the one-pass check does, and removes its spill', async () => {
    const f = file('ok.jsonl', [inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2), inv(5, 3, K1, 'read'), ok(6, 3, 1), inv(7, 4, K2, 'read'), ok(8, 4, 99)]);
    const one = await check([f, '--json']);
    const parts = await check([f, '--json', ...tiny(f)]);
    expect(parts).toEqual(one);
    expect(one.code).toBe(1); // the read of 99 nobody wrote
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses an op id reused under a key of another bucket: exit 2, file:line, spill removed', async () => {
    const f = file('dup.jsonl', [inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2), inv(5, 1, K2), ok(6, 1)]);
    for (const extra of [[], tiny(f)]) {
      const r = await check([f, ...extra]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`replsim: ${f}:5: op 1 is invoked twice (first on line 1): op ids must be unique\n`);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses a completion with no invoke, one before its invoke, and a second completion, as the one-pass check words them', async () => {
    const orphan = file('orphan.jsonl', [inv(1, 1, K1), ok(2, 1), ok(3, 7, 5), inv(4, 2, K2), ok(5, 2)]);
    const early = file('early.jsonl', [inv(1, 1, K1), ok(2, 2), ok(3, 1), inv(4, 2, K2), ok(5, 3)]);
    const twice = file('twice.jsonl', [inv(1, 1, K1), inv(2, 2, K2), ok(3, 1), ok(4, 2), { t: 5, type: 'info', op: 1 }]);
    const want = [
      [orphan, `replsim: ${orphan}:3: ok for op 7 with no invoke before it (an invoke must come first)\n`],
      [early, `replsim: ${early}:2: ok for op 2 comes before its invoke (line 4): an invoke must come first\n`],
      [twice, `replsim: ${twice}:5: op 1 completes twice (ok on line 3, then info): each invoke has exactly one ok, fail or info\n`],
    ] as const;
    for (const [f, message] of want) {
      for (const extra of [[], tiny(f)]) {
        const r = await check([f, ...extra]);
        expect(r.code, f).toBe(2);
        expect(r.err).toBe(message);
      }
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('names the earliest bad line when a reused id comes before a later error', async () => {
    const f = file('both.jsonl', [inv(10, 1, K1), ok(20, 1), inv(30, 1, K2), ok(40, 1), inv(5, 3, K1)]);
    for (const extra of [[], tiny(f)]) {
      const r = await check([f, ...extra]);
      expect(r.err).toBe(`replsim: ${f}:3: op 1 is invoked twice (first on line 1): op ids must be unique\n`);
    }
  });

  it('partitions white-box histories (no stderr), and falls back to one pass when an apply names another key\'s op or an invariant fault is judged whole', async () => {
    const white = file('white.jsonl', [
      { t: 0, type: 'replicas', key: '*', nodes: ['n1', 'n2'] },
      inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2),
      { t: 5, type: 'apply', node: 'n2', key: K1, value: 1, op: 1 },
      { t: 9, type: 'final', node: 'n1', key: K1, value: 1 },
      { t: 9, type: 'final', node: 'n2', key: K2, value: 2 },
    ]);
    const one = await check([white, '--json']);
    const big = await check([white, '--json', ...tiny(white)]);
    expect(big.out).toBe(one.out);
    expect(big.err).toBe('');
    const foreign = file('foreign.jsonl', [inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2), { t: 5, type: 'apply', node: 'n2', key: K2, value: 1, op: 1 }]);
    const f1 = await check([foreign, '--json']);
    const f2 = await check([foreign, '--json', ...tiny(foreign)]);
    expect(f2.out).toBe(f1.out);
    expect(f2.err).toMatch(/foreign\.jsonl: checked in one pass \(an `apply` of key ".*" names op 1 of another key \(line 5\)\)/);
    const inv1 = file('invfault.jsonl', [inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2), { t: 5, type: 'fault', fault: 'invariant', what: 'x' }]);
    const i2 = await check([inv1, '--json', ...tiny(inv1)]);
    expect(i2.err).toMatch(/checked in one pass \(the history has a `invariant` fault, judged over all keys at once \(line 5\)\)/);
    const txn = file('txn.jsonl', [
      { t: 1, type: 'invoke', op: 1, client: 'c', node: 'c', f: 'txn', key: 'x', value: [['w', 'x', 1]] },
      { t: 2, type: 'ok', op: 1, value: [['w', 'x', 1]] },
    ]);
    const multi = await check([txn, '--model', 'multi-register', ...tiny(txn)]);
    expect(multi.err).toMatch(/checked in one pass \(the multi-register model judges all keys together\)/);
    expect(multi.code).toBe(0);
  });

  it('says in one line when the temporary directory cannot hold the spill (exit 2, no stack trace)', async () => {
    const f = file('tmpgone.jsonl', [inv(1, 1, K1), ok(2, 1), inv(3, 2, K2), ok(4, 2)]);
    process.env.TMPDIR = join(tmp, 'missing');
    const r = await check([f, ...tiny(f)]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`replsim: cannot read ${f} or spill it to the temporary directory (ENOENT)\n`);
  });

  it('--budget-ms bounds the whole file: a hard key stops on time, unknown and exit 3, naming the budget given', async () => {
    // 14 concurrent writes and a read of a value none wrote (as in check.test.ts), plus easy keys
    const recs: object[] = [];
    for (let i = 0; i < 14; i++) recs.push({ t: 1000 + i, type: 'invoke', op: i + 1, client: `c${i}`, node: 'n1', f: 'write', key: K1, value: i + 1 });
    recs.push({ t: 2000, type: 'invoke', op: 99, client: 'r', node: 'n1', f: 'read', key: K1 });
    for (let i = 0; i < 14; i++) recs.push(ok(3000 + i, i + 1));
    recs.push(ok(4000, 99, 1000), inv(5000, 100, K2), ok(5001, 100));
    const f = file('hard.jsonl', recs);
    const r = await check([f, '--budget-ms', '1', ...tiny(f)]);
    expect(r.code).toBe(3);
    // a wall-clock budget: on a busy machine the 1 ms may be gone before the easy key starts too
    expect(r.out).toMatch(/hard\.jsonl: unknown: no verdict for [12] of 2 partitions \(.*key k1: time budget of 1 ms ran out/);
  });

  it('refuses a --memory-mb that is not a positive number', async () => {
    const f = file('m.jsonl', [inv(1, 1, K1), ok(2, 1)]);
    for (const bad of ['0', '-1', 'x']) {
      const r = await check([f, '--memory-mb', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--memory-mb must be a positive number of megabytes|memory-mb/);
    }
  });
});
