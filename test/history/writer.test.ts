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
  it('threaded hashing gives the same file and digest as inline, also when it falls behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-h-'));
    // ~12 MB of text: three times what the thread may lag behind, so the writer has to wait.
    const many: HistoryRecord[] = [];
    for (let i = 0; i < 120_000; i++) {
      many.push({ t: i * 10, type: 'invoke', op: i, client: `c${i % 7}`, node: 'us-east/0', f: 'write', key: `k${i % 1000}`, value: i });
    }
    const digests = [false, true].map((threaded) => {
      const w = new HistoryWriter(join(dir, `${threaded}.jsonl`), false, undefined, threaded);
      for (const r of many) w.push(r);
      return w.finish();
    });
    expect(digests[1]).toBe(digests[0]);
    const text = readFileSync(join(dir, 'true.jsonl'), 'utf8');
    expect(text).toBe(readFileSync(join(dir, 'false.jsonl'), 'utf8'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(digests[1]);
    expect(text.split('\n')).toHaveLength(many.length + 1);
  });
  it('threaded abort leaves no file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-h-'));
    const w = new HistoryWriter(join(dir, 'h.jsonl'), false, undefined, true);
    w.push(recs[0]!);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
  it('abort leaves no file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-h-'));
    const w = new HistoryWriter(join(dir, 'h.jsonl'));
    w.push(recs[0]!);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});
