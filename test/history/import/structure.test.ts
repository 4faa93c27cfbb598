/**
 * Malformed histories are bad input (issue 13 point 2, issue 20 point 3): each reproducer is
 * refused with file:line and one line of text, never read as a history that happens to be valid.
 */
import { describe, expect, it } from 'vitest';
import { formatImportError, readHistory, readJepsenEdn, readJepsenLog, readJsonl, type ImportResult } from '../../../src/history/import/index.js';

const inv = (t: number, op: number, f = 'write', value?: unknown) =>
  JSON.stringify({ t, type: 'invoke', op, client: 'c', f, key: 'k', ...(value !== undefined ? { value } : {}) });
const done = (t: number, op: number, type = 'ok', value?: unknown) => JSON.stringify({ t, type, op, ...(value !== undefined ? { value } : {}) });
const lines = (...ls: string[]) => ls.join('\n');

/** The one-line error, or a failure when the file was accepted. */
function refused(r: ImportResult): { line: number; text: string } {
  expect(r.ok).toBe(false);
  if (r.ok) return { line: 0, text: '' };
  const text = formatImportError(r.error);
  expect(text).not.toMatch(/[\n\r]/);
  return { line: r.error.line, text };
}

describe('jsonl: a file with no operation is refused', () => {
  it('empty file', () => {
    expect(refused(readJsonl('', 'e.jsonl'))).toEqual({ line: 1, text: 'e.jsonl:1: the file is empty: no operation to check' });
  });
  it('only blank lines', () => {
    expect(refused(readJsonl('\n  \n\t\n', 'b.jsonl')).text).toBe('b.jsonl:1: the file has only blank lines (3): no operation to check');
  });
  it('only fault records', () => {
    const r = refused(readJsonl('\n{"t":1,"type":"fault","fault":"heal"}\n{"t":2,"type":"fault","fault":"crash"}\n', 'f.jsonl'));
    expect(r.line).toBe(2);
    expect(r.text).toContain('2 records read, none a client operation');
  });
  it('an EDN file read as jsonl names the format to pass', () => {
    const r = refused(readJsonl('[{:process 0 :type :invoke :f :read :value nil}]', 'h.jsonl'));
    expect(r.text).toMatch(/^h\.jsonl:1:\d+: not valid JSON .*pass --format jepsen-edn$/);
  });
  it('a malformed line in the middle of a file', () => {
    const r = refused(readJsonl(lines(inv(1, 1, 'write', 1), done(2, 1), 'garbage', inv(3, 2, 'read')), 'm.jsonl'));
    expect(r.line).toBe(3);
    expect(r.text).toMatch(/^m\.jsonl:3: not valid JSON/);
  });
});

describe('jsonl: structural errors are refused with the line', () => {
  it('an ok with no invoke (a read of 777 nobody invoked)', () => {
    const r = refused(readJsonl(lines(inv(1, 1, 'write', 1), done(2, 1), done(3, 9, 'ok', 777)), 'o.jsonl'));
    expect(r.text).toBe('o.jsonl:3: ok for op 9 with no invoke before it (an invoke must come first)');
  });
  it('a fail and an info with no invoke', () => {
    expect(refused(readJsonl(lines(inv(1, 1), done(2, 4, 'fail')), 'x.jsonl')).text).toContain('fail for op 4 with no invoke');
    expect(refused(readJsonl(lines(inv(1, 1), done(2, 4, 'info')), 'x.jsonl')).text).toContain('info for op 4 with no invoke');
  });
  it('a completion before its invoke in the file', () => {
    const r = refused(readJsonl(lines(inv(1, 1, 'write', 1), done(2, 2, 'ok', 5), inv(2, 2, 'read'), done(3, 1)), 'b.jsonl'));
    expect(r.text).toBe('b.jsonl:2: ok for op 2 comes before its invoke (line 3): an invoke must come first');
  });
  it('time going backwards', () => {
    const r = refused(readJsonl(lines(inv(1000, 1, 'write', 1), done(500, 1)), 't.jsonl'));
    expect(r.text).toBe('t.jsonl:2: time goes backwards: "t" 500 is before 1000 on line 1 (records must be in time order)');
  });
  it('negative and non-integer times', () => {
    expect(refused(readJsonl(inv(-5, 1), 'n.jsonl')).text).toBe('n.jsonl:1: record needs "t": a non-negative integer of microseconds, got -5');
    expect(refused(readJsonl(inv(1.5, 1), 'n.jsonl')).text).toContain('got 1.5');
    expect(refused(readJsonl('{"t":"1","type":"fault","fault":"heal"}', 'n.jsonl')).text).toContain('got "1"');
  });
  it('a duplicated op id (two invokes)', () => {
    const r = refused(readJsonl(lines(inv(1, 7, 'write', 1), done(2, 7), inv(3, 7, 'write', 2)), 'd.jsonl'));
    expect(r.text).toBe('d.jsonl:3: op 7 is invoked twice (first on line 1): op ids must be unique');
  });
  it('a second completion of one op (ok then fail): malformed in an imported file', () => {
    const r = refused(readJsonl(lines(inv(1, 7, 'write', 1), done(2, 7), done(3, 7, 'fail')), 's.jsonl'));
    expect(r.text).toBe('s.jsonl:3: op 7 completes twice (ok on line 2, then fail): each invoke has exactly one ok, fail or info');
  });
  it('a non-integer op id', () => {
    expect(refused(readJsonl(inv(1, 1.5), 'i.jsonl')).text).toBe('i.jsonl:1: invoke record needs "op": an integer');
  });
  it('a value of 1e999 (Infinity) is refused, not read back as null', () => {
    const r = refused(readJsonl(lines(inv(1, 1, 'write', 1), '{"t":2,"type":"ok","op":1,"value":1e999}'), 'inf.jsonl'));
    expect(r.text).toBe('inf.jsonl:2: a number overflows a double (Infinity): values must be finite numbers');
    expect(refused(readJsonl('{"t":1,"type":"invoke","op":1,"client":"c","f":"write","key":"k","value":[1,-1e999]}', 'x')).text).toContain('-Infinity');
  });
  it('-0 is read as a number like any other (the checker compares it equal to 0)', () => {
    const r = readJsonl(lines(inv(1, 1, 'write', 0), '{"t":2,"type":"ok","op":1}', inv(3, 2, 'read'), '{"t":4,"type":"ok","op":2,"value":-0}'), 'z');
    expect(r.ok).toBe(true);
  });
  it('an info after its invoke, then no further reply, is well-formed (open to the end)', () => {
    expect(readJsonl(lines(inv(1, 1, 'write', 1), done(2, 1, 'info'), inv(3, 2, 'read')), 'ok.jsonl').ok).toBe(true);
  });
  it('apply and final records with no op around them are fine once an op exists', () => {
    const r = readJsonl(
      lines(inv(1, 1, 'write', 1), done(2, 1), '{"t":3,"type":"apply","node":"n","key":"k","value":1}', '{"t":4,"type":"final","node":"n","key":"k","value":1}'),
      'a.jsonl',
    );
    expect(r.ok).toBe(true);
  });
  it('a lone CR in a line is escaped in the message', () => {
    const r = refused(readJsonl(`${inv(1, 1, 'write', 1)}\r${done(2, 1)}`, 'cr\r.jsonl'));
    expect(r.text.startsWith('cr\\r.jsonl:1:')).toBe(true);
  });
});

describe('Jepsen formats: no operation is bad input; their own pairing rules stay', () => {
  const simulator = lines(inv(1, 1, 'write', 1), done(2, 1));
  it('a simulator .jsonl passed as --format jepsen-log', () => {
    const r = refused(readHistory('jepsen-log', simulator, 'h.jsonl'));
    expect(r.text).toBe('h.jsonl:1: no operation to check: no line is a jepsen-log operation; it looks like jsonl: pass --format jsonl');
  });
  it('a simulator .jsonl passed as --format jepsen-edn', () => {
    expect(refused(readHistory('jepsen-edn', simulator, 'h.jsonl')).text).toMatch(/^h\.jsonl:1:\d+: .*pass --format jsonl$/);
  });
  it('text with no recognised line', () => {
    expect(refused(readJepsenLog('hello\nworld\n', 'j.log')).text).toBe('j.log:1: no operation to check: no line is a jepsen-log operation');
    expect(refused(readJepsenEdn('', 'j.edn')).text).toBe('j.edn:1: the file is empty: no operation to check');
    expect(refused(readJepsenEdn('[]', 'j.edn')).text).toContain('no operation to check');
  });
  it('only nemesis events', () => {
    const r = refused(readJepsenLog('INFO  jepsen.util - :nemesis :info :start nil\n', 'n.log'));
    expect(r.text).toContain('1 record read, none a client operation');
  });
  it('1e999 in EDN is refused', () => {
    const r = refused(readJepsenEdn('{:process 0 :type :invoke :f :write :value 1e999}', 'i.edn'));
    expect(r.text).toBe('i.edn:1:44: number 1e999 overflows a double (values must be finite)');
  });
  it('a completion of another :f than the op in flight (a read result would become a write ack)', () => {
    const text = ['INFO  jepsen.util - 1 :invoke :write 3', 'INFO  jepsen.util - 1 :ok :read 777', 'INFO  jepsen.util - 1 :ok :write 3'].join('\n');
    expect(refused(readJepsenLog(text, 'f.log')).text).toBe('f.log:2: :ok :read for process 1, whose op in flight is :write (invoked on line 1)');
  });
  it('a process may invoke again after an :info (Jepsen allows it)', () => {
    const text = ['INFO  jepsen.util - 0 :invoke :write 1', 'INFO  jepsen.util - 0 :info :write :timed-out', 'INFO  jepsen.util - 0 :invoke :read nil', 'INFO  jepsen.util - 0 :ok :read 1'].join('\n');
    expect(readJepsenLog(text, 'i.log').ok).toBe(true);
  });
});
