import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { serializeRecord } from '../../src/history/serialize.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';

const value: fc.Arbitrary<Value> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.record({ qty: fc.integer(), order: fc.string() }),
);
const name = fc.oneof(fc.constantFrom('us-east/0', 'eu-west/1', 'k1', 'balance'), fc.string());
const t = fc.integer({ min: 0, max: 9_000_000_000 });
const op = fc.integer({ min: 1, max: 1e7 });

const record: fc.Arbitrary<HistoryRecord> = fc.oneof(
  fc.record(
    { t, type: fc.constant('invoke' as const), op, client: name, node: name, f: fc.constantFrom('read' as const, 'write' as const, 'cas' as const), key: name, value },
    { requiredKeys: ['t', 'type', 'op', 'client', 'node', 'f', 'key'] },
  ),
  fc.record({ t, type: fc.constant('ok' as const), op, value }, { requiredKeys: ['t', 'type', 'op'] }),
  fc.record({ t, type: fc.constant('apply' as const), node: name, key: name, value, op, version: fc.string() }, { requiredKeys: ['t', 'type', 'node', 'key', 'value'] }),
  fc.record({ t, type: fc.constant('info' as const), op, error: fc.string() }),
  fc.record({ t, type: fc.constant('final' as const), node: name, key: name, value }),
);

describe('canonical record serialisation', () => {
  it('is byte-identical to JSON.stringify for every record shape', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(serializeRecord(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 2000 },
    );
  });
  it('handles strings that need escaping', () => {
    const r: HistoryRecord = { t: 1, type: 'invoke', op: 1, client: 'a"b', node: 'n\\1', f: 'write', key: 'k\n', value: 'v"' };
    expect(serializeRecord(r)).toBe(JSON.stringify(r));
  });
});
