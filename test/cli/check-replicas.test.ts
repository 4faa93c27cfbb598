import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-check-replicas-'));
function file(name: string, lines: object[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return p;
}

async function check(path: string) {
  const io = memoryIo();
  const code = await main(['check', path, '--json'], io);
  return { code, out: JSON.parse(io.stdout.trim()) as { valid: unknown; anomalies: Record<string, { count: number | null; witnesses: Array<{ explanation: string; ops: number[] }> }> }, err: io.stderr };
}

const write = [
  { t: 1000, type: 'invoke', op: 1, client: 'a/0', node: 'a/0', f: 'write', key: 'balance', value: 300 },
  { t: 1500, type: 'apply', node: 'a/0', key: 'balance', value: 300, op: 1 },
  { t: 2000, type: 'ok', op: 1, value: 300 },
  { t: 2500, type: 'apply', node: 'b/0', key: 'balance', value: 300, op: 1 },
];

describe('replsim check with replicas and live records', () => {
  it('a live replica with no final for a key another holds: divergence >= 1, exit 1', async () => {
    const p = file('absent.jsonl', [
      { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0', 'c/0'] },
      ...write,
      { t: 9000, type: 'live', nodes: ['a/0', 'b/0', 'c/0'] },
      { t: 9000, type: 'final', node: 'a/0', key: 'balance', value: 300 },
      { t: 9000, type: 'final', node: 'b/0', key: 'balance', value: 300 },
    ]);
    const res = await check(p);
    expect(res.code).toBe(1);
    expect(res.out.valid).toBe(false);
    expect(res.out.anomalies['divergence']?.count).toBeGreaterThanOrEqual(1);
    expect(res.out.anomalies['divergence']?.witnesses[0]?.explanation).toContain('absent (no final record) at c/0');
  });

  it('the same history without the replicas and live records: no divergence (as before)', async () => {
    const p = file('no-placement.jsonl', [
      ...write,
      { t: 9000, type: 'final', node: 'a/0', key: 'balance', value: 300 },
      { t: 9000, type: 'final', node: 'b/0', key: 'balance', value: 300 },
    ]);
    const res = await check(p);
    expect(res.out.anomalies['divergence']?.count).toBe(0);
  });

  it('an extra_reply record is an invariant naming the op', async () => {
    const p = file('extra.jsonl', [
      ...write,
      { t: 3000, type: 'extra_reply', op: 1, node: 'a/0', reply: 'fail', error: 'aborted', first: 'ok' },
      { t: 9000, type: 'final', node: 'a/0', key: 'balance', value: 300 },
      { t: 9000, type: 'final', node: 'b/0', key: 'balance', value: 300 },
    ]);
    const res = await check(p);
    expect(res.code).toBe(1);
    expect(res.out.anomalies['invariant']?.count).toBe(1);
    expect(res.out.anomalies['invariant']?.witnesses[0]?.ops).toEqual([1]);
  });

  it('a malformed replicas record is bad input naming the line', async () => {
    const p = file('bad-replicas.jsonl', [...write, { t: 9000, type: 'live', nodes: 'a/0' }]);
    const io = memoryIo();
    const code = await main(['check', p], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain(`${p}:5`);
    expect(io.stderr).toContain('"nodes"');
  });
});
