/**
 * Jepsen / Knossos EDN histories: one collection (vector or list) of op maps per file, or one
 * op map per line (Porcupine's kv files).
 */
import { isMap, mapGet, mapHas, nameOf, readEdn, type Edn, type EdnMap } from './edn.js';
import { ednToValue, errorText, jepsenToHistory, type JepsenEvent } from './jepsen.js';
import { formatHint, noOperationError } from './no-ops.js';
import type { ImportResult } from './result.js';

/** Reads a Jepsen EDN history; errors name `file`, the line and what was expected. */
export function readJepsenEdn(text: string, file: string): ImportResult {
  const read = readEdn(text);
  if (!read.ok) {
    const first = text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '';
    const hint = formatHint(first, 'jepsen-edn');
    return { ok: false, error: { file, line: read.line, column: read.column, message: `${read.message}${hint ? `; ${hint}` : ''}` } };
  }
  let maps: { value: Edn; line: number; column: number }[] = read.forms;
  const only = read.forms.length === 1 ? read.forms[0]! : undefined;
  if (only && Array.isArray(only.value)) {
    maps = only.value.map((v) => ({ value: v, line: isMap(v) ? v.line : only.line, column: isMap(v) ? v.column : only.column }));
  }
  const events: JepsenEvent[] = [];
  for (const form of maps) {
    if (!isMap(form.value)) {
      return {
        ok: false,
        error: { file, line: form.line, column: form.column, message: 'expected an op map {:process …, :type …, :f …} or one vector/list of them' },
      };
    }
    const ev = toEvent(form.value);
    if (typeof ev === 'string') return { ok: false, error: { file, line: form.line, column: form.column, message: ev } };
    events.push(ev);
  }
  const r = jepsenToHistory(events, file);
  if (r.ok && !r.records.some((x) => x.type === 'invoke')) return { ok: false, error: noOperationError(text, file, 'jepsen-edn', r.records.length) };
  return r;
}

function toEvent(m: EdnMap): JepsenEvent | string {
  const proc = mapGet(m, 'process');
  const process = typeof proc === 'number' ? proc : nameOf(proc);
  if (process === undefined) return 'op map needs :process (an integer, or :nemesis)';
  const type = nameOf(mapGet(m, 'type'));
  if (type === undefined) return 'op map needs :type (:invoke, :ok, :fail or :info)';
  const f = nameOf(mapGet(m, 'f'));
  if (f === undefined) return 'op map needs :f (a keyword such as :read, :write, :cas, :txn)';
  const key = mapGet(m, 'key');
  const time = mapGet(m, 'time');
  if (time !== undefined && time !== null && typeof time !== 'number') return ':time must be an integer (nanoseconds)';
  const error = errorText(mapGet(m, 'error'));
  return {
    line: m.line,
    column: m.column,
    process,
    type,
    f,
    value: mapHas(m, 'value') ? ednToValue(mapGet(m, 'value') ?? null) : null,
    ...(key !== undefined && key !== null ? { key: typeof key === 'string' ? key : String(ednToValue(key)) } : {}),
    ...(typeof time === 'number' ? { time_ns: time } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
