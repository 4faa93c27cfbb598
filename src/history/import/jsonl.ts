/**
 * The simulator's own history format (CHECKING.md): one JSON record per line. Each line is
 * checked for the fields its `type` needs, so a bad file fails at its first bad line.
 */
import type { HistoryRecord, OpFn } from '../types.js';
import type { ImportResult } from './result.js';

const FNS: readonly string[] = ['read', 'write', 'cas', 'add', 'remove', 'reserve', 'restock', 'txn', 'get', 'put', 'append'] satisfies OpFn[];

/** Reads a JSON Lines history; errors name `file`, the line and what was expected. */
export function readJsonl(text: string, file: string): ImportResult {
  const records: HistoryRecord[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      return {
        ok: false,
        error: { file, line: lineNo, ...(pos ? { column: Number(pos[1]) + 1 } : {}), message: `not valid JSON (${msg})` },
      };
    }
    const problem = checkRecord(parsed);
    if (problem) return { ok: false, error: { file, line: lineNo, message: problem } };
    const record = parsed as HistoryRecord;
    // `node` defaults to the client (hand-written histories often leave it out)
    if (record.type === 'invoke' && record.node === undefined) record.node = record.client;
    records.push(record);
  }
  return { ok: true, records };
}

/** What is wrong with a parsed line, or undefined when it is a well-formed record. */
export function checkRecord(r: unknown): string | undefined {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'expected a JSON object (one record per line)';
  const o = r as Record<string, unknown>;
  if (typeof o.t !== 'number' || !Number.isFinite(o.t)) return 'record needs "t": a number of microseconds';
  const need = (field: string, kind: 'number' | 'string'): string | undefined =>
    typeof o[field] === kind ? undefined : `${String(o.type)} record needs "${field}": a ${kind}`;
  switch (o.type) {
    case 'invoke':
      return (
        need('op', 'number') ??
        need('client', 'string') ??
        need('key', 'string') ??
        (typeof o.f === 'string' && FNS.includes(o.f) ? undefined : `invoke record needs "f": one of ${FNS.join(', ')}`) ??
        (o.node === undefined ? undefined : need('node', 'string'))
      );
    case 'ok':
    case 'fail':
    case 'info':
      return need('op', 'number');
    case 'apply':
    case 'final':
      return need('node', 'string') ?? need('key', 'string');
    case 'fault':
      return need('fault', 'string');
    default:
      return `unknown "type" ${JSON.stringify(o.type)} (expected invoke, ok, fail, info, apply, fault or final)`;
  }
}
