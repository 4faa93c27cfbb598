// Acceptance of issue 13.4: `replsim check` on a history where a failed write's value is read
// reports `aborted_read`, for the simulator's jsonl and for imported Jepsen histories.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-aborted-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const jsonl = (lines: object[]): string => lines.map((l) => JSON.stringify(l)).join('\n');

async function check(args: string[]) {
  const io = memoryIo();
  const code = await main(['check', ...args, '--json'], io);
  const objs = io.stdout.trim().split('\n').map((l) => JSON.parse(l) as { anomalies: Record<string, { count: number | null; witnesses: Array<{ ops: number[] }> }> });
  return { code, report: objs[0]! };
}

describe('replsim check: aborted reads', () => {
  it('jsonl: the read of a failed write is reported with both ops, exit 1', async () => {
    const f = file('g1a.jsonl', jsonl([
      { t: 1000, type: 'invoke', op: 1, client: 'c1', node: 'n1', f: 'write', key: 'x', value: 7 },
      { t: 2000, type: 'fail', op: 1, error: 'refused' },
      { t: 3000, type: 'invoke', op: 2, client: 'c2', node: 'n2', f: 'read', key: 'x' },
      { t: 4000, type: 'ok', op: 2, value: 7 },
    ]));
    const { code, report } = await check([f]);
    expect(code).toBe(1);
    expect(report.anomalies['aborted_read']).toMatchObject({ count: 1 });
    expect(report.anomalies['aborted_read']!.witnesses[0]!.ops).toEqual([1, 2]);
  });

  it('jsonl: the same history with the write acknowledged has no aborted read', async () => {
    const f = file('ok.jsonl', jsonl([
      { t: 1000, type: 'invoke', op: 1, client: 'c1', node: 'n1', f: 'write', key: 'x', value: 7 },
      { t: 2000, type: 'ok', op: 1 },
      { t: 3000, type: 'invoke', op: 2, client: 'c2', node: 'n2', f: 'read', key: 'x' },
      { t: 4000, type: 'ok', op: 2, value: 7 },
    ]));
    const { code, report } = await check([f]);
    expect(code).toBe(0);
    expect(report.anomalies['aborted_read']).toMatchObject({ count: 0 });
  });

  it('jepsen-edn register and jepsen-log set histories', async () => {
    const edn = file('g1a.edn', '[{:process 0 :type :invoke :f :write :value 3}\n{:process 0 :type :fail :f :write :value 3}\n{:process 1 :type :invoke :f :read :value nil}\n{:process 1 :type :ok :f :read :value 3}]\n');
    expect((await check([edn, '--model', 'register'])).report.anomalies['aborted_read']).toMatchObject({ count: 1 });
    const log = file('set.log', 'INFO  jepsen.util - 0\t:invoke\t:add\t4\nINFO  jepsen.util - 0\t:fail\t:add\t4\nINFO  jepsen.util - 1 :invoke :read nil\nINFO  jepsen.util - 1 :ok :read #{4}\n');
    expect((await check([log, '--model', 'set'])).report.anomalies['aborted_read']).toMatchObject({ count: 1 });
  });
});
