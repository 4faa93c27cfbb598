/**
 * The simulator's own history format (CHECKING.md): one JSON record per line. Each line is
 * checked for the fields its `type` needs and against the structural rules of ./structure.ts
 * (pairing, time order), so a bad file fails at its first bad line. A file with no `invoke`
 * is refused too (./no-ops.ts).
 */
import type { HistoryRecord, OpFn } from '../types.js';
import { firstNonFinite } from './finite.js';
import { formatHint, noOperationError } from './no-ops.js';
import type { ImportError, ImportResult } from './result.js';
import { createStructureCheck } from './structure.js';

const FNS: readonly string[] = ['read', 'write', 'cas', 'add', 'remove', 'reserve', 'restock', 'txn', 'get', 'put', 'append'] satisfies OpFn[];

/** Reads a JSON Lines history; errors name `file`, the line and what was expected. */
export function readJsonl(text: string, file: string): ImportResult {
  const records: HistoryRecord[] = [];
  const lines: number[] = [];
  const structure = createStructureCheck();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    const parsedLine = parseJsonlLine(line, lineNo, file, records.length === 0);
    if ('error' in parsedLine) return { ok: false, error: parsedLine.error };
    const record = parsedLine.record;
    const broken = structure.add(record, lineNo);
    if (broken) {
      const done = broken.kind === 'orphan' && (record.type === 'ok' || record.type === 'fail' || record.type === 'info') ? record : undefined;
      const later = done ? invokedLater(text, start, lineNo, done.op) : undefined;
      const message =
        done && later !== undefined ? `${done.type} for op ${done.op} comes before its invoke (line ${later}): an invoke must come first` : broken.message;
      return { ok: false, error: { file, line: lineNo, message } };
    }
    records.push(record);
    lines.push(lineNo);
  }
  if (structure.invokes === 0) return { ok: false, error: noOperationError(text, file, 'jsonl', records.length) };
  return { ok: true, records, lines };
}

/**
 * One non-blank, trimmed line of a jsonl history as a record, or the error naming its line
 * (and column for bad JSON). `first` says no record came before it, so a line of another
 * format gets a `--format` hint. Shared by readJsonl and the streaming reader.
 */
export function parseJsonlLine(line: string, lineNo: number, file: string, first: boolean): { record: HistoryRecord } | { error: ImportError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const hint = first ? formatHint(line, 'jsonl') : undefined;
    return {
      error: { file, line: lineNo, ...(pos ? { column: Number(pos[1]) + 1 } : {}), message: `not valid JSON (${msg})${hint ? `; ${hint}` : ''}` },
    };
  }
  // JSON.parse gives Infinity only for a literal with a 3-digit exponent or 309+ digits:
  // walk the record only then (walking every record doubled the import time)
  const problem = checkRecord(parsed) ?? (MAYBE_HUGE.test(line) ? nonFiniteProblem(parsed) : undefined);
  if (problem) return { error: { file, line: lineNo, message: problem } };
  const record = parsed as HistoryRecord;
  // `node` defaults to the client (hand-written histories often leave it out)
  if (record.type === 'invoke' && record.node === undefined) record.node = record.client;
  return { record };
}

/**
 * The line after `from` (a text offset, line `lineNo` ends just before it) that invokes `op`,
 * if any. Only read to name the line when a completion precedes its invoke.
 */
function invokedLater(text: string, from: number, lineNo: number, op: number): number | undefined {
  let start = from;
  let n = lineNo;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    n++;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line.includes('"invoke"')) continue;
    try {
      const r = JSON.parse(line) as { type?: unknown; op?: unknown };
      if (r.type === 'invoke' && r.op === op) return n;
    } catch {
      // a broken later line says nothing about this op
    }
  }
  return undefined;
}

const MAYBE_HUGE = /[eE][+-]?\d{3}|\d{309}/;

function nonFiniteProblem(record: unknown): string | undefined {
  const inf = firstNonFinite(record);
  return inf === undefined ? undefined : `a number overflows a double (${inf}): values must be finite numbers`;
}

/** What is wrong with a parsed line, or undefined when it is a well-formed record. */
export function checkRecord(r: unknown): string | undefined {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'expected a JSON object (one record per line)';
  const o = r as Record<string, unknown>;
  if (typeof o.t !== 'number' || !Number.isSafeInteger(o.t) || o.t < 0) {
    return `record needs "t": a non-negative integer of microseconds${o.t === undefined ? '' : `, got ${typeof o.t === 'number' ? String(o.t) : JSON.stringify(o.t)}`}`;
  }
  const need = (field: string, kind: 'number' | 'string'): string | undefined =>
    typeof o[field] === kind && (kind !== 'number' || Number.isSafeInteger(o[field]))
      ? undefined
      : `${String(o.type)} record needs "${field}": ${kind === 'number' ? 'an integer' : 'a string'}`;
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
    case 'replicas':
      return need('key', 'string') ?? nodeList(o, 'replicas');
    case 'live':
      return nodeList(o, 'live');
    case 'extra_reply':
      return (
        need('op', 'number') ??
        need('node', 'string') ??
        (o.reply === 'ok' || o.reply === 'fail' ? undefined : 'extra_reply record needs "reply": "ok" or "fail"') ??
        (o.first === undefined || o.first === 'ok' || o.first === 'fail'
          ? undefined
          : 'extra_reply record\'s "first" must be "ok" or "fail"')
      );
    case 'route':
      return need('client', 'string') ?? need('from', 'string') ?? need('to', 'string');
    case 'attempt':
      return need('op', 'number') ?? need('attempt', 'number') ?? need('node', 'string');
    case 'alert':
      return (
        need('alert', 'string') ??
        (o.state === 'firing' || o.state === 'resolved' ? undefined : 'alert record needs "state": "firing" or "resolved"')
      );
    default:
      return `unknown "type" ${JSON.stringify(o.type)} (expected invoke, ok, fail, info, apply, fault, final, replicas, live, extra_reply, route, alert or attempt)`;
  }
}

/** `nodes`: an array of node names. */
function nodeList(o: Record<string, unknown>, type: string): string | undefined {
  const nodes = o.nodes;
  return Array.isArray(nodes) && nodes.every((n) => typeof n === 'string')
    ? undefined
    : `${type} record needs "nodes": an array of node names`;
}
