/**
 * Jepsen text logs: `INFO  jepsen.util - 2 :invoke :write 4`, fields separated by tabs or
 * spaces. Lines without `jepsen.util -` (other log output) are skipped, as Porcupine does.
 */
import { readEdn } from './edn.js';
import { ednToValue, errorText, jepsenToHistory, type JepsenEvent } from './jepsen.js';
import { noOperationError } from './no-ops.js';
import type { ImportResult } from './result.js';

const MARK = /jepsen\.util\s+-\s+/;
const FIELDS = /^(\S+)\s+:(\S+)\s+:(\S+)(\s+(.*))?$/;

/** Reads a Jepsen log history; errors name `file`, the line and what was expected. */
export function readJepsenLog(text: string, file: string): ImportResult {
  const events: JepsenEvent[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    const mark = MARK.exec(line);
    if (!mark) continue;
    const start = mark.index + mark[0].length;
    const rest = line.slice(start);
    const m = FIELDS.exec(rest.trimEnd());
    const err = (message: string, column = start + 1): ImportResult => ({ ok: false, error: { file, line: n + 1, column, message } });
    if (!m) return err('expected "<process> :<type> :<f> <value>" after "jepsen.util -"');
    const procText = m[1]!;
    const process = /^\d+$/.test(procText) ? Number(procText) : procText.startsWith(':') ? procText.slice(1) : undefined;
    if (process === undefined) return err(`bad process ${procText} (expected an integer or :nemesis)`);
    const valueText = m[5] ?? 'nil';
    const valueColumn = start + 1 + rest.indexOf(valueText);
    const read = readEdn(valueText, n, valueColumn - 1);
    if (!read.ok) return err(`bad value: ${read.message}`, read.column);
    if (read.forms.length > 1) return err('expected one value after the :f field', valueColumn);
    const v = read.forms[0]?.value ?? null;
    const type = m[2]!;
    // `:fail :read :timed-out` / `:info :write :timed-out`: the keyword is the reason, not a value.
    const isReason = type !== 'invoke' && type !== 'ok' && typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'keyword';
    const error = isReason ? errorText(v) : undefined;
    events.push({
      line: n + 1,
      process,
      type,
      f: m[3]!,
      value: isReason ? null : ednToValue(v),
      ...(error !== undefined ? { error } : {}),
    });
  }
  const r = jepsenToHistory(events, file);
  if (r.ok && !r.records.some((x) => x.type === 'invoke')) return { ok: false, error: noOperationError(text, file, 'jepsen-log', r.records.length) };
  return r;
}
