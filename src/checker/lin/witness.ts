/**
 * Turns a failed search into a witness a learner can follow: the op whose completion no
 * order reaches, the ops it could follow or overlap, and the values it could have seen.
 */
import type { Witness } from '../types.js';
import { canon, showValue, type CompiledModel } from './model.js';
import type { LinOp } from './ops.js';
import type { SearchResult } from './search.js';

/** Ops named in the sentence; the witness's `ops` and `details` list them all. */
const LISTED = 10;

/** Seconds with microsecond precision (history times are integer microseconds). */
function at(t_us: number): string {
  return `${(t_us / 1_000_000).toFixed(6)} s`;
}

/**
 * An op's interval. Imported files are refused when time goes backwards, but the library API
 * takes any records: an interval never reads as ending before it starts.
 */
function span(call_t: number, ret_t: number | null): string {
  if (ret_t === null) return `invoked ${at(call_t)}, result unknown`;
  if (ret_t < call_t) return `invoked ${at(call_t)}, completed at ${at(ret_t)}: times out of order`;
  return `${at(call_t)}–${at(ret_t)}`;
}

function opText(op: LinOp, model: CompiledModel, i: number): string {
  return `${op.f} op ${op.id} ${model.describe(i)} by ${op.client} (${span(op.call_t, op.ret_t)})`;
}

/**
 * The witness for a partition whose search failed. `label` names the partition
 * (`key balance`, `registers x, y`). `ops`: the ops `model` was compiled on (a search started
 * on a head of the key: those first ops); `all`: every op of the partition, in order, for
 * the writer of the value read (read once, one op at a time, so a columnar source need not
 * hold a view of each op of a key of ~400,000 ops).
 */
export function linWitness(
  label: string,
  key: string | undefined,
  ops: readonly LinOp[],
  model: CompiledModel,
  failed: Extract<SearchResult, { kind: 'fail' }>,
  all: () => Iterable<LinOp> = () => ops,
): Witness {
  const kept = model.kept;
  const xi = failed.op;
  const x = ops[kept[xi]!]!;
  // Ops that completed before x began are ordered before it; of those, only ops that may
  // follow the last of them to begin (latest call among them) can shape the value x sees.
  let settled = -1;
  const inPrefix: number[] = [];
  kept.forEach((k, i) => {
    const op = ops[k]!;
    if (op.retPos < x.callPos && op.callPos > settled) settled = op.callPos;
    if (op.callPos < x.retPos) inPrefix.push(i);
  });
  const involved = inPrefix.filter((i) => ops[kept[i]!]!.retPos >= settled);
  const others = involved.filter((i) => i !== xi);
  const idList = involved.map((i) => ops[kept[i]!]!.id);
  const head = `on ${label}, no order of ops ${shortList(idList.map(String))} explains ${opText(x, model, xi)}`;
  const seen = failed.tried.map((s) => model.render(s));
  const where =
    seen.length > 0
      ? `: wherever op ${x.id} could take effect, it would have seen ${seen.join(' or ')}${failed.triedAll ? '' : ' (among others)'}`
      : '';
  const source = writerOf(x, all);
  const listed = others.slice(0, LISTED).map((i) => opText(ops[kept[i]!]!, model, i));
  const more = others.length > LISTED ? `; and ${others.length - LISTED} more` : '';
  const context = listed.length > 0 ? `. The ops it follows or overlaps: ${listed.join('; ')}${more}` : '';
  const involvedOps = [xi, ...others].map((i) => ops[kept[i]!]!);
  return {
    ops: involvedOps.map((o) => o.id),
    explanation: `${head}${where}${source}${context}.`,
    ...(key !== undefined ? { key } : {}),
    clients: [...new Set(involvedOps.map((o) => o.client))],
    times_us: involvedOps.map((o) => o.call_t),
    details: {
      failed_op: x.id,
      prefix_ops: inPrefix.length,
      values_seen: seen,
      linearized_before: failed.prefix.slice(-50).map((i) => ops[kept[i]!]!.id),
      ops: involvedOps.map((o) => ({
        id: o.id,
        client: o.client,
        f: o.f,
        value: o.input ?? null,
        result: o.known ? (o.output ?? null) : 'unknown',
        invoke_us: o.call_t,
        complete_us: o.ret_t,
      })),
    },
  };
}

/**
 * For a register read: which write wrote the value it returned (`; 1 was written by write op
 * 1 (…)`), or that none did. Empty for other ops and for histories without writes.
 */
const REGISTER_FNS = new Set(['read', 'get', 'write', 'put', 'cas']);

function writerOf(x: LinOp, all: () => Iterable<LinOp>): string {
  if ((x.f !== 'read' && x.f !== 'get') || !x.known || x.output === undefined || x.output === null) return '';
  // register-like histories only: with appends, adds or txns a value has no single writer;
  // the first write or put of the value, in one pass
  const want = canon(x.output);
  let w: LinOp | undefined;
  for (const o of all()) {
    if (!REGISTER_FNS.has(o.f)) return '';
    if (!w && (o.f === 'write' || o.f === 'put') && canon(o.input) === want) w = o;
  }
  const v = showValue(x.output);
  if (!w) return `; no write in the history wrote ${v}`;
  return `; ${v} was written by ${w.f} op ${w.id} (${span(w.call_t, w.ret_t)})`;
}

function shortList(ids: string[]): string {
  if (ids.length <= 12) return ids.join(', ');
  return `${ids.slice(0, 5).join(', ')}, …, ${ids.slice(-5).join(', ')} (${ids.length} ops)`;
}
