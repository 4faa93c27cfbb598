import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../src/history/writer.js';
import type { HistoryRecord } from '../../src/history/types.js';

const recs: HistoryRecord[] = [
  { t: 1000000, type: 'invoke', op: 7, client: 'us-east/0', node: 'us-east/0', f: 'write', key: 'balance', value: 300 },
  { t: 1000950, type: 'ok', op: 7, value: 300 },
];

describe('history writer', () => {
  it('writes JSONL under a temp name and renames it when finished; the hash is the file hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-h-'));
    const path = join(dir, 'h.jsonl');
    const w = new HistoryWriter(path);
    for (const r of recs) w.push(r);
    expect(existsSync(path)).toBe(false); // nothing half-written under the final name
    const sha = w.finish();
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(
      '{"t":1000000,"type":"invoke","op":7,"client":"us-east/0","node":"us-east/0","f":"write","key":"balance","value":300}\n' +
        '{"t":1000950,"type":"ok","op":7,"value":300}\n',
    );
    expect(sha).toBe(createHash('sha256').update(text).digest('hex'));
    expect(readdirSync(dir)).toEqual(['h.jsonl']);
  });
  it('abort leaves no file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-h-'));
    const w = new HistoryWriter(join(dir, 'h.jsonl'));
    w.push(recs[0]!);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});
