/**
 * The partitioned check on real white-box histories: built-in scenarios of each engine
 * (async, sync, quorum, raft), with anomalies, written by `replsim run --history`, checked
 * with `check --json` in one pass and spilled into tiny forced buckets: byte-identical output,
 * the same exit code, and no fallback (nothing on stderr).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { bucketsFor } from '../../../src/checker/partition/index.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-partition-scen-'));

/** scenario → the model its history is checked with; each has anomalies (exit 1). */
const SCENARIOS: ReadonlyArray<[string, string]> = [
  ['async-read-local-partition', 'register'],
  ['async-counter-lww', 'counter'],
  ['async-crash-volatile-restart', 'set'],
  ['sync-partition-split-brain', 'register'],
  ['quorum-local-one-stale', 'register'],
  ['raft-lease-clock-skew', 'register'],
];

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.stdout.replace(/"check_ms":[\d.]+/g, '"check_ms":0'), err: io.stderr };
}

describe('partitioned check on `replsim run` histories', () => {
  for (const [name, model] of SCENARIOS) {
    it(`${name}: check --json is byte-identical in one pass and in 3 or 7 buckets`, async () => {
      const history = join(dir, `${name}.jsonl`);
      const run = await cli(['run', `scenarios/${name}.yaml`, '--history', history]);
      expect(run.code, run.err).not.toBe(2);
      const size = statSync(history).size;
      const flags = [history, '--model', model, '--json'];
      const one = await cli(['check', ...flags]);
      expect(one.code, one.err).toBe(1); // anomalies found: the merge has witnesses to order
      // white-box: divergence is applicable only with applies or finals
      expect(one.out).toMatch(/"divergence":\{"applicable":true/);
      for (const buckets of [3, 7]) {
        const mb = (4 * size) / (buckets - 0.5) / 2 ** 20;
        expect(bucketsFor(size, mb * 2 ** 20)).toBe(buckets);
        const parts = await cli(['check', ...flags, '--memory-mb', String(mb)]);
        expect(parts.err).toBe(''); // partitioned, not the one-pass fallback
        expect(parts.code).toBe(one.code);
        expect(parts.out).toBe(one.out);
      }
    }, 120_000);
  }
});
