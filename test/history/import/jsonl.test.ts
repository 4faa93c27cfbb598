import { describe, expect, it } from 'vitest';
import { formatImportError, readJsonl } from '../../../src/history/import/index.js';

describe('readJsonl', () => {
  it('reads the simulator format, skipping blank lines', () => {
    const text = [
      '{"t":1000000,"type":"invoke","op":7,"client":"us-east/0","node":"us-east/0","f":"write","key":"balance","value":300}',
      '',
      '{"t":1000950,"type":"ok","op":7,"value":300}',
      '{"t":9000000,"type":"fault","fault":"partition","groups":[["us-east"],["eu-west"]]}',
      '{"t":40000000,"type":"final","node":"eu-west/1","key":"balance","value":300}',
      '{"t":40000001,"type":"invoke","op":8,"client":"c","f":"read","key":"balance"}',
    ].join('\n');
    const r = readJsonl(text, 'h.jsonl');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toHaveLength(5);
    expect(r.records[1]).toEqual({ t: 1000950, type: 'ok', op: 7, value: 300 });
    expect(r.records[4]).toMatchObject({ node: 'c' });
  });
  it('names the line of invalid JSON and of a record missing a field', () => {
    const bad = readJsonl('{"t":1,"type":"invoke","op":1,"client":"c","f":"read","key":"k"}\n{"t":2,"type":"ok",\n', 'a.jsonl');
    expect(bad).toMatchObject({ ok: false, error: { file: 'a.jsonl', line: 2 } });
    if (!bad.ok) expect(formatImportError(bad.error)).toMatch(/^a\.jsonl:2(:\d+)?: not valid JSON/);
    const missing = readJsonl('{"t":1,"type":"invoke","op":1,"client":"c","f":"write"}', 'b.jsonl');
    expect(missing).toEqual({ ok: false, error: { file: 'b.jsonl', line: 1, message: 'invoke record needs "key": a string' } });
    const kind = readJsonl('{"t":1,"type":"begin"}', 'c.jsonl');
    if (!kind.ok) expect(kind.error.message).toContain('unknown "type" "begin"');
    expect(kind.ok).toBe(false);
  });
});
