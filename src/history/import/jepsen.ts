/**
 * Jepsen events (from EDN maps or log lines) to history records. Invocations and completions
 * are paired by process: each process has at most one op in flight. Op ids are assigned in
 * invocation order. Nemesis events (a non-integer process) become `fault` records. Times are
 * `:time` (ns → µs) when the file has it (an event without it keeps the previous time), else
 * the line number; they never go backwards (record order is the real-time order the checker
 * uses, whatever the clocks said).
 */
import type { HistoryRecord, OpFn, Value } from '../types.js';
import { nameOf, type Edn } from './edn.js';
import type { ImportResult } from './result.js';

export interface JepsenEvent {
  line: number;
  column?: number;
  /** integer client process, or a name such as `nemesis` */
  process: number | string;
  type: string;
  f: string;
  value: Value;
  key?: string;
  time_ns?: number;
  error?: string;
}

const CLIENT_FNS: readonly OpFn[] = ['read', 'write', 'cas', 'txn', 'get', 'put', 'append', 'add', 'remove'];
const TYPES = ['invoke', 'ok', 'fail', 'info'];

/** An EDN value as a history value: keywords and symbols become their names, maps objects. */
export function ednToValue(v: Edn): Value {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(ednToValue);
  switch (v.kind) {
    case 'keyword':
    case 'symbol':
      return v.name;
    case 'map': {
      const o: { [k: string]: Value } = {};
      for (const [k, val] of v.entries) o[nameOf(k) ?? (typeof k === 'string' ? k : JSON.stringify(ednToValue(k)))] = ednToValue(val);
      return o;
    }
    case 'set':
      return v.items.map(ednToValue);
    case 'tagged':
      return ednToValue(v.value);
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** Pairs events into records; the first problem is returned as an error naming file:line. */
export function jepsenToHistory(events: readonly JepsenEvent[], file: string): ImportResult {
  const records: HistoryRecord[] = [];
  const lines: number[] = [];
  const pending = new Map<string, { op: number; f: string; line: number }>();
  let nextOp = 0;
  let lastT = 0;
  // With `:time` on some events, the others keep the previous time; without any, line numbers.
  const timed = events.some((e) => e.time_ns !== undefined);
  for (const ev of events) {
    const push = (r: HistoryRecord): void => {
      records.push(r);
      lines.push(ev.line);
    };
    const err = (message: string): ImportResult => ({
      ok: false,
      error: { file, line: ev.line, ...(ev.column !== undefined ? { column: ev.column } : {}), message },
    });
    if (!TYPES.includes(ev.type)) return err(`unknown :type :${ev.type} (expected :invoke, :ok, :fail or :info)`);
    const raw = ev.time_ns !== undefined ? Math.floor(ev.time_ns / 1000) : timed ? lastT : ev.line;
    const t = Math.max(lastT, raw);
    lastT = t;
    if (typeof ev.process !== 'number') {
      push({ t, type: 'fault', fault: ev.f, process: String(ev.process), phase: ev.type, value: ev.value });
      continue;
    }
    const proc = String(ev.process);
    if (ev.type === 'invoke') {
      if (!(CLIENT_FNS as readonly string[]).includes(ev.f)) {
        return err(`unsupported :f :${ev.f} for a client op (expected one of ${CLIENT_FNS.map((f) => `:${f}`).join(' ')})`);
      }
      const op = nextOp++;
      // A process that invokes again while an op is in flight abandons it: it stays open.
      pending.set(proc, { op, f: ev.f, line: ev.line });
      push({
        t,
        type: 'invoke',
        op,
        client: proc,
        node: proc,
        f: ev.f as OpFn,
        key: ev.key ?? '',
        ...(ev.value !== null ? { value: ev.value } : {}),
      });
      continue;
    }
    const inFlight = pending.get(proc);
    if (inFlight === undefined) {
      if (ev.type === 'info') continue; // Knossos ignores an :info with nothing in flight
      return err(`:${ev.type} for process ${proc} with no :invoke in flight (expected an :invoke first)`);
    }
    // A completion of another function is not this op's (lines out of order, say): pairing it
    // would turn a read's result into a write's acknowledgement and lose the read.
    if (ev.f !== inFlight.f) {
      return err(`:${ev.type} :${ev.f} for process ${proc}, whose op in flight is :${inFlight.f} (invoked on line ${inFlight.line})`);
    }
    const op = inFlight.op;
    pending.delete(proc);
    switch (ev.type) {
      case 'ok':
        push({ t, type: 'ok', op, value: ev.value });
        break;
      case 'fail':
        push({ t, type: 'fail', op, ...(ev.error !== undefined ? { error: ev.error } : {}) });
        break;
      default:
        push({ t, type: 'info', op, ...(ev.error !== undefined ? { error: ev.error } : {}) });
    }
  }
  return { ok: true, records, lines };
}

/** An `:error` or keyword value (`:timed-out`) as text. */
export function errorText(v: Edn | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  const n = nameOf(v);
  if (n !== undefined) return n;
  return typeof v === 'string' ? v : JSON.stringify(ednToValue(v));
}
