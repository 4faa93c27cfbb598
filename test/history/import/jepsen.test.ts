import { describe, expect, it } from 'vitest';
import { readJepsenEdn, readJepsenLog } from '../../../src/history/import/index.js';

describe('readJepsenEdn', () => {
  it('reads one collection of op maps, pairing completions by process', () => {
    const text = `; comment
[{:process 0, :type :invoke, :f :write, :value 3, :time 5000}
 {:process 1,
  :type :invoke, :f :read, :value nil}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :ok, :f :write, :value 3, :time 9000}
 {:type :ok, :f :read, :process 1, :value 3}
 {:process 2, :type :invoke, :f :cas, :value [3 4]}
 {:process 2, :type :fail, :f :cas, :value [3 4], :error "no \\"luck\\""}
 {:process 3, :type :invoke, :f :write}
 {:process 3, :type :info, :f :write, :error [:timeout]}]`;
    const r = readJepsenEdn(text, 'h.edn');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toEqual([
      { t: 5, type: 'invoke', op: 0, client: '0', node: '0', f: 'write', key: '', value: 3 },
      { t: 5, type: 'invoke', op: 1, client: '1', node: '1', f: 'read', key: '' },
      { t: 5, type: 'fault', fault: 'start', process: 'nemesis', phase: 'info', value: null },
      { t: 9, type: 'ok', op: 0, value: 3 },
      { t: 9, type: 'ok', op: 1, value: 3 },
      { t: 9, type: 'invoke', op: 2, client: '2', node: '2', f: 'cas', key: '', value: [3, 4] },
      { t: 9, type: 'fail', op: 2, error: 'no "luck"' },
      { t: 9, type: 'invoke', op: 3, client: '3', node: '3', f: 'write', key: '' },
      { t: 9, type: 'info', op: 3, error: '["timeout"]' },
    ]);
  });
  it('reads one map per line with keys, and txn micro-ops', () => {
    const text = `{:process 0, :type :invoke, :f :append, :key "k1", :value "x 0 y"}
{:process 0, :type :ok, :f :append, :key "k1", :value "x 0 y"}
{:process 1, :type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]]}
{:process 1, :type :ok, :f :txn, :value [[:read :x 0] [:write :y 2]]}`;
    const r = readJepsenEdn(text, 'kv.txt');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records[0]).toMatchObject({ t: 1, type: 'invoke', key: 'k1', f: 'append', value: 'x 0 y' });
    expect(r.records[3]).toEqual({ t: 4, type: 'ok', op: 1, value: [['read', 'x', 0], ['write', 'y', 2]] });
  });
  it('reports what was expected, with file and line', () => {
    expect(readJepsenEdn('[{:process 0, :type :invoke, :f :read}\n {:process 0 :f :read}]', 'a.edn')).toEqual({
      ok: false,
      error: { file: 'a.edn', line: 2, column: 2, message: 'op map needs :type (:invoke, :ok, :fail or :info)' },
    });
    const orphan = readJepsenEdn('{:process 4, :type :ok, :f :read, :value 1}', 'b.edn');
    expect(orphan).toMatchObject({ ok: false, error: { file: 'b.edn', line: 1 } });
    if (!orphan.ok) expect(orphan.error.message).toContain('no :invoke in flight');
    expect(readJepsenEdn('[{:process 0, :type :invoke, :f :read}', 'c.edn')).toMatchObject({ ok: false, error: { line: 1 } });
    const fn = readJepsenEdn('{:process 0, :type :invoke, :f :frobnicate}', 'd.edn');
    if (!fn.ok) expect(fn.error.message).toContain('unsupported :f :frobnicate');
    expect(fn.ok).toBe(false);
  });
});

describe('readJepsenLog', () => {
  it('reads tab- and space-separated lines and skips other log output', () => {
    const text = [
      'INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]',
      'some other log line',
      'INFO  jepsen.util - 2   :ok     :cas    [3 0]',
      'INFO  jepsen.util - 1\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 1\t:fail\t:read\t:timed-out',
      'INFO  jepsen.util - 0\t:invoke\t:write\t4',
      'INFO  jepsen.util - 0\t:info\t:write\t:timed-out',
      '',
    ].join('\n');
    const r = readJepsenLog(text, 'etcd.log');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toEqual([
      { t: 1, type: 'invoke', op: 0, client: '2', node: '2', f: 'cas', key: '', value: [3, 0] },
      { t: 3, type: 'ok', op: 0, value: [3, 0] },
      { t: 4, type: 'invoke', op: 1, client: '1', node: '1', f: 'read', key: '' },
      { t: 5, type: 'fail', op: 1, error: 'timed-out' },
      { t: 6, type: 'invoke', op: 2, client: '0', node: '0', f: 'write', key: '', value: 4 },
      { t: 7, type: 'info', op: 2, error: 'timed-out' },
    ]);
  });
  it('names the line of a malformed event', () => {
    const r = readJepsenLog('INFO  jepsen.util - 0\t:invoke\t:write\t4\nINFO  jepsen.util - zero :invoke :read nil\n', 'x.log');
    expect(r).toMatchObject({ ok: false, error: { file: 'x.log', line: 2 } });
    if (!r.ok) expect(r.error.message).toContain('expected an integer or :nemesis');
    const v = readJepsenLog('INFO  jepsen.util - 0 :invoke :cas [3 0', 'y.log');
    expect(v).toMatchObject({ ok: false, error: { line: 1 } });
    if (!v.ok) expect(v.error.message).toContain('unterminated vector');
  });
});
