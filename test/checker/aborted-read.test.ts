import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import type { CheckModel, CheckOptions } from '../../src/checker/types.js';
import { readHistory } from '../../src/history/import/index.js';
import type { HistoryFormat } from '../../src/history/import/index.js';
import { history, s } from './builders.js';

const ORACLES = fileURLToPath(new URL('../../../shared/oracles', import.meta.url));
const oraclesPresent = existsSync(join(ORACLES, 'MANIFEST.json'));

const aborted = (h: ReturnType<typeof history>, opts: CheckOptions) =>
  checkHistory(h.records(), opts).anomalies.aborted_read;
const register: CheckOptions = { model: 'register' };

describe('aborted_read', () => {
  it('a read of a value whose only write failed, with both ops as witness', () => {
    const h = history();
    const w = h.op({ client: 'a/0', f: 'write', key: 'k', value: 7, at: s(1), fail: s(1.1) });
    const r = h.read('b/0', 'k', 7, s(2), s(2.1));
    const a = aborted(h, register);
    expect(a).toMatchObject({ applicable: true, count: 1 });
    expect(a.witnesses[0]?.ops).toEqual([w, r]);
    expect(a.witnesses[0]?.explanation).toContain('failed at 1.100 s');
  });

  it('a value also written by an ok or info op that began before the read is not aborted', () => {
    for (const other of ['ok', 'info'] as const) {
      const h = history();
      h.op({ client: 'a/0', f: 'write', key: 'k', value: 7, at: s(1), fail: s(1.1) });
      h.op({ client: 'c/0', f: 'write', key: 'k', value: 7, at: s(1.5), [other]: s(1.6) });
      h.read('b/0', 'k', 7, s(2), s(2.1));
      expect(aborted(h, register)).toMatchObject({ applicable: true, count: 0 });
    }
  });

  it('a read of an ok write, while another write failed: zero (applicable)', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 7, at: s(1), fail: s(1.1) });
    h.write('a/0', 'k', 8, s(1.2), s(1.3));
    h.read('b/0', 'k', 8, s(2), s(2.1));
    h.read('b/0', 'k', null, s(0.1), s(0.2));
    expect(aborted(h, register)).toMatchObject({ applicable: true, count: 0 });
  });

  it('a failed cas value among version-vector siblings', () => {
    const h = history();
    h.write('a/0', 'k', 1, s(1), s(1.1));
    const c = h.op({ client: 'b/0', f: 'cas', key: 'k', value: [1, 2], at: s(1.2), fail: s(1.3) });
    const r = h.read('c/0', 'k', [1, 2], s(2), s(2.1));
    expect(aborted(h, register).witnesses[0]?.ops).toEqual([c, r]);
  });

  it('a replica that applied a failed write, or holds its value after settle', () => {
    const h = history();
    const w = h.op({ client: 'a/0', f: 'write', key: 'k', value: 7, at: s(1), fail: s(1.1) });
    h.apply(s(1.05), 'b/0', 'k', 7, w);
    h.final('k', { 'a/0': null, 'b/0': 7 });
    const a = aborted(h, register);
    expect(a.count).toBe(2);
    expect(a.witnesses.map((x) => x.ops)).toEqual([[w], [w]]);
    expect(a.witnesses.map((x) => x.nodes?.[0])).toEqual(['b/0', 'b/0']);
  });

  it('set: an element whose only add failed, in a read and a final set', () => {
    const h = history();
    h.add('a/0', 'k', 1, s(1), s(1.1));
    const bad = h.op({ client: 'a/0', f: 'add', key: 'k', value: 2, at: s(1.2), fail: s(1.3) });
    const r = h.read('b/0', 'k', [1, 2], s(2), s(2.1));
    h.read('b/0', 'k', [1], s(3), s(3.1));
    h.final('k', { 'a/0': [1], 'b/0': [1, 2] });
    const a = aborted(h, { model: 'set' });
    expect(a.count).toBe(2);
    expect(a.witnesses[0]?.ops).toEqual([bad, r]);
    expect(a.witnesses[1]?.nodes?.[0]).toBe('b/0');
  });

  it('counter: a total only failed increments explain; none when the total fits the ok ones', () => {
    const h = history();
    h.add('a/0', 'c', 2, s(1), s(1.1));
    const f = h.op({ client: 'a/0', f: 'add', key: 'c', value: 3, at: s(1.2), fail: s(1.3) });
    const r = h.read('b/0', 'c', 5, s(2), s(2.1));
    h.read('b/0', 'c', 2, s(3), s(3.1));
    const a = aborted(h, { model: 'counter' });
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([f, r]);
    // an excess that the failed increments cannot explain is an overcount instead
    const g = history();
    g.add('a/0', 'c', 2, s(1), s(1.1));
    g.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(1.2), fail: s(1.3) });
    g.read('b/0', 'c', 9, s(2), s(2.1));
    const rep = checkHistory(g.records(), { model: 'counter' }).anomalies;
    expect(rep.aborted_read.count).toBe(0);
    expect(rep.invariant.count).toBe(1);
  });

  it('inventory: a failed reservation applied by a replica', () => {
    const h = history();
    const res = h.op({ client: 'a/0', f: 'reserve', key: 'i', value: { qty: 1, order: 'o1' }, at: s(1), fail: s(1.1) });
    h.apply(s(1.05), 'a/0', 'i', 99, res);
    h.final('i', { 'a/0': 99 });
    const a = aborted(h, { model: 'inventory', initialStock: 100 });
    expect(a.count).toBe(1);
    expect(a.witnesses[0]?.ops).toEqual([res]);
  });

  it('multi-register transactions are not judged: null with a note', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'txn', key: '', value: [['w', 'x', 1]], at: s(1), fail: s(1.1) });
    const a = aborted(h, { model: 'multi-register' });
    expect(a).toMatchObject({ applicable: false, count: null });
    expect(a.note).toMatch(/multi-register/);
  });
});

interface OracleEntry {
  file: string;
  format: HistoryFormat;
  model: CheckModel;
  initial: unknown;
  nilRead?: 'empty' | 'wildcard' | null;
}

describe.skipIf(!oraclesPresent)(`aborted_read on the Knossos and Porcupine histories (${ORACLES})`, () => {
  it('flags exactly the one whose read returns a failed write (knossos bad/immediate-failure)', () => {
    const manifest = JSON.parse(readFileSync(join(ORACLES, 'MANIFEST.json'), 'utf8')) as OracleEntry[];
    const flagged: string[] = [];
    for (const e of manifest) {
      const parsed = readHistory(e.format, readFileSync(join(ORACLES, e.file), 'utf8'), e.file);
      if (!parsed.ok) continue;
      const opts: CheckOptions = { model: e.model, initial: e.initial, nilRead: e.nilRead === 'wildcard' ? 'any' : 'empty', budget: { max_states: 1 } };
      const a = checkHistory(parsed.records, opts).anomalies.aborted_read;
      if ((a.count ?? 0) > 0) flagged.push(e.file);
    }
    expect(flagged).toEqual(['knossos-cas-register/bad/immediate-failure.edn']);
  });
});
