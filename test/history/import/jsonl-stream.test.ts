import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../src/history/import/jsonl.js';
import { streamJsonl } from '../../../src/history/import/jsonl-stream.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-stream-'));
let n = 0;
function file(content: string | Uint8Array): string {
  const p = join(dir, `h${n++}.jsonl`);
  writeFileSync(p, content);
  return p;
}

const LINES = [
  '{"t":1,"type":"invoke","op":1,"client":"us-east/0","f":"write","key":"naïve-ключ","value":"€1"}',
  '',
  '  {"t":2,"type":"ok","op":1,"value":"€1"}  ',
  '{"t":3,"type":"apply","node":"eu-west/0","key":"naïve-ключ","value":"€1","op":1}',
  '{"t":4,"type":"invoke","op":2,"client":"eu-west/0","node":"eu-west/0","f":"read","key":"naïve-ключ"}',
  '{"t":5,"type":"ok","op":2,"value":"€1"}',
];

function collect(path: string, chunkBytes?: number): { recs: HistoryRecord[]; r: ReturnType<typeof streamJsonl> } {
  const recs: HistoryRecord[] = [];
  const r = streamJsonl(path, 'h.jsonl', (x) => recs.push(x), chunkBytes ? { chunkBytes } : {});
  return { recs, r };
}

describe('streamJsonl (check reads jsonl files as a stream)', () => {
  it('gives the records readJsonl gives, whatever the chunk size (chunks cut lines and characters)', () => {
    const text = LINES.join('\n');
    const whole = readJsonl(text, 'h.jsonl');
    if (!whole.ok) throw new Error('fixture does not parse');
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      for (const t of [text, `${text}\n`, `${text}\r\n`]) {
        const { recs, r } = collect(file(t), chunk);
        expect(r, `chunk ${chunk}`).toEqual({ ok: true, records: 5, invokes: 2 });
        expect(recs, `chunk ${chunk}`).toEqual(whole.records);
      }
    }
  });

  it('a bad line in the middle is refused with its line, and nothing after it is pushed', () => {
    const bad = [...LINES.slice(0, 4), '{"t":4,"type":"invoke","op":2', ...LINES.slice(5)].join('\n');
    const { recs, r } = collect(file(bad), 16);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(5);
      expect(r.error.message).toMatch(/not valid JSON/);
    }
    expect(recs).toHaveLength(3);
    const missing = collect(file('{"t":1,"type":"invoke","op":1,"client":"c/0","f":"write"}\n')).r;
    expect(missing.ok ? '' : `${missing.error.line}: ${missing.error.message}`).toMatch(/^1: invoke record needs "key"/);
  });

  it('invalid UTF-8 is refused at its line (a lenient decoder would merge keys k\\xff and k\\xfe)', () => {
    const head = new TextEncoder().encode(`${LINES[0]}\n${LINES[2]}\n{"t":3,"type":"invoke","op":2,"client":"c/0","f":"read","key":"k`);
    const bytes = new Uint8Array([...head, 0xff, ...new TextEncoder().encode('"}\n')]);
    for (const chunk of [5, 1 << 20]) {
      const { r } = collect(file(bytes), chunk);
      expect(r.ok ? 0 : r.error.line, `chunk ${chunk}`).toBe(3);
      expect(r.ok ? '' : r.error.message).toMatch(/invalid UTF-8/);
    }
  });

  it('a file with no invoke is refused, never an empty valid history', () => {
    for (const t of ['', '\n\n', '{"t":1,"type":"fault","fault":"heal"}\n']) {
      const { r } = collect(file(t));
      expect(r.ok, JSON.stringify(t)).toBe(false);
    }
  });

  it('rules across records plug in through `check`', () => {
    const seen = new Set<number>();
    const check = (rec: HistoryRecord): string | undefined => {
      if (rec.type !== 'invoke') return undefined;
      if (seen.has(rec.op)) return `op ${rec.op} is invoked twice`;
      seen.add(rec.op);
      return undefined;
    };
    const text = [LINES[0], LINES[2], LINES[0]].join('\n');
    const r = streamJsonl(file(text), 'h.jsonl', () => undefined, { check });
    expect(r).toEqual({ ok: false, error: { file: 'h.jsonl', line: 3, message: 'op 1 is invoked twice' } });
  });
});
