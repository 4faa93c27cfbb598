/**
 * Tiny histories written compactly: `h.write('us-east/0', 'balance', 300, s(1), s(1.001))`.
 * Events are sorted by time (stable) when `records()` is called, as a history file would be.
 */
import type { HistoryRecord, OpFn, Value } from '../../src/history/types.js';

/** seconds → integer microseconds */
export const s = (seconds: number): number => Math.round(seconds * 1_000_000);

export interface OpSpec {
  id?: number;
  client: string;
  /** serving node; defaults to the client id (clients and nodes share `REGION/INDEX` names) */
  node?: string;
  f: OpFn;
  key: string;
  value?: Value;
  at: number;
  /** completion: ok at this time (with `result`), or fail/info; none of them → open */
  ok?: number;
  result?: Value;
  fail?: number;
  info?: number;
}

export interface Builder {
  op(spec: OpSpec): number;
  write(client: string, key: string, value: Value, at: number, ok?: number): number;
  read(client: string, key: string, result: Value, at: number, ok: number): number;
  add(client: string, key: string, value: Value, at: number, ok?: number): number;
  apply(t: number, node: string, key: string, value: Value, op?: number): void;
  /** `final` records of one key: node → value (after settle, default t = 100 s) */
  final(key: string, byNode: Record<string, Value>, t?: number): void;
  fault(t: number, fault: string, fields?: Record<string, unknown>): void;
  /** any record as given (e.g. an `info` then a late `ok` of one op) */
  raw(rec: HistoryRecord): void;
  records(): HistoryRecord[];
}

export function history(): Builder {
  const events: Array<{ t: number; seq: number; rec: HistoryRecord }> = [];
  let seq = 0;
  let nextId = 1;
  const push = (rec: HistoryRecord): void => {
    events.push({ t: rec.t, seq: seq++, rec });
  };
  const b: Builder = {
    op(spec) {
      const id = spec.id ?? nextId;
      nextId = Math.max(nextId, id + 1);
      const inv: HistoryRecord = {
        t: spec.at,
        type: 'invoke',
        op: id,
        client: spec.client,
        node: spec.node ?? spec.client,
        f: spec.f,
        key: spec.key,
      };
      if (spec.value !== undefined) inv.value = spec.value;
      push(inv);
      if (spec.ok !== undefined) {
        const rec: HistoryRecord = { t: spec.ok, type: 'ok', op: id };
        if (spec.result !== undefined) rec.value = spec.result;
        push(rec);
      } else if (spec.fail !== undefined) push({ t: spec.fail, type: 'fail', op: id });
      else if (spec.info !== undefined) push({ t: spec.info, type: 'info', op: id });
      return id;
    },
    write(client, key, value, at, ok) {
      const spec: OpSpec = { client, f: 'write', key, value, at };
      if (ok !== undefined) {
        spec.ok = ok;
        spec.result = value;
      }
      return b.op(spec);
    },
    read(client, key, result, at, ok) {
      return b.op({ client, f: 'read', key, at, ok, result });
    },
    add(client, key, value, at, ok) {
      const spec: OpSpec = { client, f: 'add', key, value, at };
      if (ok !== undefined) spec.ok = ok;
      return b.op(spec);
    },
    apply(t, node, key, value, op) {
      const rec: HistoryRecord = { t, type: 'apply', node, key, value };
      if (op !== undefined) rec.op = op;
      push(rec);
    },
    final(key, byNode, t = s(100)) {
      for (const node of Object.keys(byNode).sort()) {
        push({ t, type: 'final', node, key, value: byNode[node] as Value });
      }
    },
    fault(t, fault, fields = {}) {
      push({ t, type: 'fault', fault, ...fields });
    },
    raw: push,
    records() {
      return [...events].sort((x, y) => x.t - y.t || x.seq - y.seq).map((e) => e.rec);
    },
  };
  return b;
}
