/**
 * A compact way to write histories in tests, one event per line:
 *   `a inv 1 write k 5`   client a invokes op 1: write 5 to key k (value is JSON, optional)
 *   `ok 1 5`              op 1 completes ok with value 5 (optional)
 *   `fail 1` / `info 1`   op 1 failed / has an unknown outcome
 * Times are the line numbers in microseconds.
 */
import type { HistoryRecord, OpFn, Value } from '../../../src/history/types.js';

export function hist(text: string): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  lines.forEach((line, t) => {
    const parts = line.split(/\s+/);
    if (parts[1] === 'inv') {
      const [client, , op, f, key, ...rest] = parts;
      out.push({
        t,
        type: 'invoke',
        op: Number(op),
        client: client!,
        node: client!,
        f: f as OpFn,
        key: key!,
        ...(rest.length > 0 ? { value: JSON.parse(rest.join(' ')) as Value } : {}),
      });
      return;
    }
    const [type, op, ...rest] = parts;
    if (type === 'ok') out.push({ t, type: 'ok', op: Number(op), ...(rest.length > 0 ? { value: JSON.parse(rest.join(' ')) as Value } : {}) });
    else if (type === 'fail') out.push({ t, type: 'fail', op: Number(op) });
    else if (type === 'info') out.push({ t, type: 'info', op: Number(op) });
    else throw new Error(`bad test line: ${line}`);
  });
  return out;
}
