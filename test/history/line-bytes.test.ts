import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineBytes } from '../../src/history/line-bytes.js';
import { serializeRecord } from '../../src/history/serialize.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';

// Same shapes as serialize.test.ts, plus what only the byte writer treats apart: non-ASCII
// and escaped text (names, versions, values), negative and unsafe integers, long values.
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('é', 'キー', '😀', 'a"b', 'n\\1', 'k\n', '\u2028'));
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -(2 ** 60), max: 2 ** 60 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 2 ** 53, 1e21, 1.5e-7),
  text,
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.array(fc.string(), { minLength: 2000, maxLength: 2001 }),
  fc.record({ qty: fc.integer(), order: text }),
);
const name = fc.oneof(fc.constantFrom('us-east/0', 'eu-west/1', 'k1', 'balance'), text);
const t = fc.oneof(fc.integer({ min: 0, max: 9_000_000_000 }), fc.constantFrom(-1, 0.5, 2 ** 53 + 2));
const op = fc.integer({ min: 1, max: 1e7 });
const version = fc.oneof(fc.constantFrom('1000000.0@2#7', '9000000000.3@0#12'), text);

const record: fc.Arbitrary<HistoryRecord> = fc.oneof(
  fc.record(
    { t, type: fc.constant('invoke' as const), op, client: name, node: name, f: fc.constantFrom('read' as const, 'write' as const, 'cas' as const), key: name, value, class: fc.string(), clock_us: t },
    { requiredKeys: ['t', 'type', 'op', 'client', 'node', 'f', 'key'] },
  ),
  fc.record({ t, type: fc.constant('ok' as const), op, value }, { requiredKeys: ['t', 'type', 'op'] }),
  fc.record({ t, type: fc.constant('apply' as const), node: name, key: name, value, op, version, clock_us: t }, { requiredKeys: ['t', 'type', 'node', 'key', 'value'] }),
  fc.record({ t, type: fc.constant('info' as const), op, error: text }),
  fc.record({ t, type: fc.constant('final' as const), node: name, key: name, value }),
);

function linesOf(records: readonly HistoryRecord[], size?: number): { bytes: Buffer; chars: number[] } {
  const out = new LineBytes(size);
  const chars = records.map((r) => out.line(r));
  return { bytes: Buffer.from(out.bytes()), chars };
}

describe('history lines as bytes', () => {
  it('are the UTF-8 of serializeRecord plus a newline, and count its UTF-16 length', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), (records) => {
        const { bytes, chars } = linesOf(records, 64); // tiny buffer: every record grows it
        expect(bytes.toString('utf8')).toBe(records.map((r) => `${serializeRecord(r)}\n`).join(''));
        expect(bytes.equals(Buffer.from(records.map((r) => `${serializeRecord(r)}\n`).join(''), 'utf8'))).toBe(true);
        expect(chars).toEqual(records.map((r) => serializeRecord(r).length + 1));
      }),
      { numRuns: 2000 },
    );
  });
  it('reuse their templates and time prefixes only where the text is the same', () => {
    // Few names and times in a narrow range, so the invoke/apply templates and the leading
    // digits of times are reused, refilled and collide: a client moving between nodes, op
    // names of equal length, times crossing a multiple of 1e9, one non-ASCII client.
    const few = fc.constantFrom('us-east/0', 'eu-west/0', 'eu-west/1', 'k1', 'k10', 'tōkyō/0');
    const near = fc.oneof(fc.integer({ min: 999_999_990, max: 1_000_000_010 }), fc.integer({ min: 2_999_999_000, max: 3_000_001_000 }), fc.constant(9_007_199_254_740_990));
    const fn = fc.constantFrom('read' as const, 'write' as const, 'cas' as const, 'add' as const);
    const rec: fc.Arbitrary<HistoryRecord> = fc.oneof(
      fc.record({ t: near, type: fc.constant('invoke' as const), op, client: few, node: few, f: fn, key: few, value: fc.option(fc.integer(), { nil: undefined }) }, { requiredKeys: ['t', 'type', 'op', 'client', 'node', 'f', 'key'] }),
      fc.record({ t: near, type: fc.constant('ok' as const), op, value: fc.integer() }),
      fc.record({ t: near, type: fc.constant('apply' as const), node: few, key: few, value: fc.integer(), op, version: fc.constantFrom('1.0@0#1', 'v"2') }),
    );
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 30 }), (records) => {
        const { bytes, chars } = linesOf(records);
        expect(bytes.toString('utf8')).toBe(records.map((r) => `${serializeRecord(r)}\n`).join(''));
        expect(chars).toEqual(records.map((r) => serializeRecord(r).length + 1));
      }),
      { numRuns: 1000 },
    );
  });
  it('write non-ASCII names and versions as UTF-8 and count them in UTF-16 units', () => {
    const r: HistoryRecord = { t: 3_600_000_123, type: 'apply', node: 'tōkyō/0', key: 'キー😀', value: -12, op: 4, version: 'v"é' };
    const { bytes, chars } = linesOf([r]);
    expect(bytes.toString('utf8')).toBe(`${JSON.stringify(r)}\n`);
    expect(chars).toEqual([JSON.stringify(r).length + 1]);
    expect(bytes.length).toBeGreaterThan(chars[0] as number);
  });
  it('write every digit count, and times past 1e9 with every padding of their last nine digits', () => {
    // Each side of every power of ten: the digit count is chosen by comparisons, and a time's
    // last nine digits are written as a five- and a four-digit half.
    const edges: number[] = [0];
    for (let p = 1; p <= 1e15; p *= 10) edges.push(p - 1, p, p + 1);
    edges.push(2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1);
    const records: HistoryRecord[] = [];
    for (const n of edges) {
      records.push({ t: n, type: 'ok', op: n + 1, value: n }, { t: 7e9 + (n % 1e9), type: 'ok', op: 3, value: -n });
      records.push({ t: 1e9 + (n % 1e9), type: 'apply', node: 'eu-west/0', key: 'k1', value: n, op: n + 2, version: '1.0@0#1' });
    }
    const { bytes, chars } = linesOf(records);
    expect(bytes.toString('utf8')).toBe(records.map((r) => `${serializeRecord(r)}\n`).join(''));
    expect(chars).toEqual(records.map((r) => serializeRecord(r).length + 1));
  });
  it('keep the closing bytes of a value that ends exactly at the end of the buffer', () => {
    // The smallest buffer is 8192 bytes; `{"t":1,"type":"ok","op":1,"value":` is 34, so a
    // string of 8156 characters (8158 quoted) filled it to the last byte and its `}` and
    // newline were written past the end (dropped).
    for (let n = 8150; n < 8165; n++) {
      const r: HistoryRecord = { t: 1, type: 'ok', op: 1, value: 'x'.repeat(n) };
      const { bytes, chars } = linesOf([r, { t: 2, type: 'ok', op: 2 }], 8192);
      expect(bytes.toString('utf8')).toBe(`${serializeRecord(r)}\n{"t":2,"type":"ok","op":2}\n`);
      expect(chars[0]).toBe(serializeRecord(r).length + 1);
    }
  });
  it('clear starts a new chunk', () => {
    const out = new LineBytes();
    out.line({ t: 1, type: 'ok', op: 1 });
    out.clear();
    out.line({ t: 2, type: 'ok', op: 2, value: 5 });
    expect(Buffer.from(out.bytes()).toString('utf8')).toBe('{"t":2,"type":"ok","op":2,"value":5}\n');
  });
});
