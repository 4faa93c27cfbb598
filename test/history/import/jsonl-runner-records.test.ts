// The records only the runner writes (replicas, live, extra_reply) read back from JSONL as
// written, and a malformed one is bad input naming its line and field.
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../src/history/import/index.js';
import { serializeRecord } from '../../../src/history/serialize.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const records: HistoryRecord[] = [
  { t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'b/0'] },
  { t: 5, type: 'replicas', key: 'k1', nodes: ['a/0'] },
  { t: 10, type: 'invoke', op: 1, client: 'a/0', node: 'a/0', f: 'write', key: 'k1', value: 3 },
  { t: 20, type: 'ok', op: 1, value: 3 },
  { t: 21, type: 'extra_reply', op: 1, node: 'a/0', reply: 'fail', error: 'again', first: 'ok' },
  { t: 22, type: 'extra_reply', op: 7, node: 'a/0', reply: 'ok', value: 1 },
  { t: 90, type: 'live', nodes: ['a/0'] },
  { t: 90, type: 'final', node: 'a/0', key: 'k1', value: 3 },
];

describe('runner records in JSONL', () => {
  it('round-trip through the serializer and the importer unchanged', () => {
    const text = records.map((r) => serializeRecord(r)).join('\n');
    for (const r of records) expect(serializeRecord(r)).toBe(JSON.stringify(r));
    const back = readJsonl(text, 'h.jsonl');
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.records).toEqual(records);
  });

  it.each([
    ['{"t":0,"type":"replicas","nodes":["a/0"]}', 'replicas record needs "key"'],
    ['{"t":0,"type":"replicas","key":"*","nodes":"a/0"}', 'replicas record needs "nodes"'],
    ['{"t":0,"type":"live","nodes":[1]}', 'live record needs "nodes"'],
    ['{"t":0,"type":"extra_reply","op":1,"node":"a/0","reply":"info"}', '"reply": "ok" or "fail"'],
    ['{"t":0,"type":"extra_reply","op":1,"reply":"ok"}', 'extra_reply record needs "node"'],
    ['{"t":0,"type":"extra_reply","op":1,"node":"a/0","reply":"ok","first":"maybe"}', '"first" must be'],
  ])('%s is bad input', (line, message) => {
    const r = readJsonl(`{"t":0,"type":"fault","fault":"heal"}\n${line}\n`, 'bad.jsonl');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.line).toBe(2);
    expect(r.error.message).toContain(message);
  });
});
