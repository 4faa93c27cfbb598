/**
 * The partitioned check (src/checker/partition) against the one-pass check: on random
 * histories of every model that `replsim check` judges, valid, anomalous (many witnesses,
 * past MAX_WITNESSES) and malformed, `check --json` must print byte-identical results (and
 * the same exit code and error line) whether the file is judged in one pass or spilled into
 * a few buckets. Tiny `--memory-mb` values force the partition on these small files.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { bucketsFor } from '../../../src/checker/partition/index.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-partition-'));
const MODELS = ['register', 'cas-register', 'kv', 'counter', 'set'] as const;
type Model = (typeof MODELS)[number];

interface GenOp {
  client: number;
  key: number;
  kind: number;
  a: number;
  b: number;
  start: number;
  dur: number;
  outcome: 'ok' | 'fail' | 'info' | 'open';
}

const genOp: fc.Arbitrary<GenOp> = fc.record({
  client: fc.integer({ min: 0, max: 3 }),
  key: fc.integer({ min: 0, max: 7 }),
  kind: fc.integer({ min: 0, max: 2 }),
  a: fc.integer({ min: 0, max: 3 }),
  b: fc.integer({ min: -1, max: 3 }),
  start: fc.integer({ min: 0, max: 60 }),
  dur: fc.integer({ min: 1, max: 25 }),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'open'),
});

type Mutation = 'none' | 'duplicate' | 'orphan' | 'second' | 'early' | 'backwards';

const genCase = fc.record({
  model: fc.constantFrom(...MODELS),
  ops: fc.oneof(fc.array(genOp, { minLength: 1, maxLength: 60 }), fc.array(genOp, { minLength: 100, maxLength: 220 })),
  keys: fc.integer({ min: 2, max: 8 }),
  idBase: fc.constantFrom(1, 1, 100, -50),
  idStep: fc.constantFrom(1, 1, 7, -3),
  mutation: fc.constantFrom<Mutation>('none', 'none', 'none', 'none', 'duplicate', 'orphan', 'second', 'early', 'backwards'),
  pick: fc.nat(),
  buckets: fc.integer({ min: 2, max: 9 }),
  sessions: fc.constantFrom('none', 'sticky'),
  nilRead: fc.constantFrom('empty', 'any'),
  // the simulator's records (apply, final, fault, live, replicas, extra_reply) in some histories
  whiteBox: fc.constantFrom(false, true, true),
  foreignApply: fc.constantFrom(false, false, false, false, true),
});

/** The invoke's f and value and the ok's value of op `o` under `model`. */
function shape(model: Model, ops: readonly GenOp[], i: number): { f: string; value?: unknown; result?: unknown } {
  const o = ops[i]!;
  const read = o.kind === 0;
  switch (model) {
    case 'register':
    case 'cas-register': {
      // writes of unique values; a read returns what some other op wrote (often overwritten: stale,
      // from a failed write: aborted) or nil
      if (read) {
        const j = (o.a * 13 + o.b * 5 + o.dur) % ops.length;
        return { f: 'read', result: o.b < 0 || ops[j]!.kind === 0 ? null : j + 1 };
      }
      return o.kind === 1 ? { f: 'write', value: i + 1, result: i + 1 } : { f: 'cas', value: [o.a, i + 1] };
    }
    case 'kv':
      if (read) return { f: 'read', result: o.b < 0 ? '' : 'xyz'.slice(0, o.b) };
      return o.kind === 1 ? { f: 'write', value: 'x', result: 'x' } : { f: 'append', value: 'y' };
    case 'counter':
      return read ? { f: 'read', result: o.b < 0 ? null : o.a + o.b } : { f: 'add', value: o.a };
    case 'set':
      if (read) return { f: 'read', result: o.b < 0 ? [] : [o.b, o.a].slice(0, 1 + (o.a % 2)) };
      return { f: o.kind === 1 ? 'add' : 'remove', value: o.a };
  }
}

type Case = typeof genCase extends fc.Arbitrary<infer T> ? T : never;

function historyText(c: Case): string {
  type Ev = { t: number; seq: number; rec: Record<string, unknown> };
  const events: Ev[] = [];
  c.ops.forEach((o, i) => {
    const id = c.idBase + i * c.idStep;
    const s = shape(c.model, c.ops, i);
    // starts drift with the index so that few ops overlap (the linearizability search stays small)
    const t0 = (o.start + 2 * i) * 1000 + i;
    const client = `r${o.client % 2}/${o.client}`;
    events.push({ t: t0, seq: 2 * i, rec: { t: t0, type: 'invoke', op: id, client, node: client, f: s.f, key: `k${o.key % c.keys}`, ...(s.value !== undefined ? { value: s.value } : {}) } });
    if (o.outcome === 'open') return;
    const t1 = t0 + o.dur * 1000;
    const done: Record<string, unknown> = { t: t1, type: o.outcome, op: id };
    if (o.outcome === 'ok' && s.result !== undefined) done.value = s.result;
    if (o.outcome === 'fail') done.error = 'timeout';
    events.push({ t: t1, seq: 2 * i + 1, rec: done });
  });
  if (c.whiteBox) whiteBoxEvents(c, events);
  events.sort((x, y) => x.t - y.t || x.seq - y.seq);
  const recs = events.map((e) => e.rec);
  const at = recs.length > 0 ? c.pick % recs.length : 0;
  switch (c.mutation) {
    case 'duplicate': {
      // a later invoke reuses an earlier op's id (often in another key's bucket)
      const invokes = recs.map((r, i) => (r.type === 'invoke' ? i : -1)).filter((i) => i >= 0);
      if (invokes.length >= 2) {
        const later = invokes[1 + (c.pick % (invokes.length - 1))]!;
        const id = recs[later]!.op;
        recs[later]!.op = recs[invokes[0]!]!.op;
        for (let i = later + 1; i < recs.length; i++) if (recs[i]!.op === id) recs[i]!.op = recs[invokes[0]!]!.op;
      }
      break;
    }
    case 'orphan':
      recs.splice(at, 0, { t: recs[at]?.t ?? 0, type: 'ok', op: 999_999, value: 1 });
      break;
    case 'second': {
      const done = recs.findIndex((r, i) => i >= at && r.type !== 'invoke');
      if (done >= 0) recs.push({ t: (recs[recs.length - 1]!.t as number) + 1, type: 'info', op: recs[done]!.op });
      break;
    }
    case 'early': {
      // a completion moved before its invoke
      const done = recs.findIndex((r, i) => i >= at && r.type !== 'invoke');
      if (done >= 0) {
        const inv = recs.findIndex((r) => r.type === 'invoke' && r.op === recs[done]!.op);
        const [rec] = recs.splice(done, 1);
        rec!.t = recs[Math.max(0, inv - 1)]?.t ?? 0;
        recs.splice(Math.max(0, inv), 0, rec!);
        if (inv === 0) rec!.t = recs[1]?.t ?? 0;
      }
      break;
    }
    case 'backwards':
      if (recs[at]) recs[at]!.t = (recs[at]!.t as number) - 5_000;
      break;
    case 'none':
      break;
  }
  return recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

const NODES = ['n0', 'n1', 'n2'];

/** The final value a node holds for a key: one written value, sometimes another per node (divergence). */
function finalValue(c: Case, key: number, node: number): unknown {
  const writes = c.ops.map((o, i) => ({ o, i })).filter(({ o }) => o.key % c.keys === key && o.kind !== 0);
  const w = writes[(writes.length - 1 - (node * (c.pick % 3)) % Math.max(1, writes.length)) % Math.max(1, writes.length)];
  switch (c.model) {
    case 'register':
    case 'cas-register':
      return w ? w.i + 1 : null;
    case 'kv':
      return w ? 'x' : '';
    case 'counter':
      return writes.reduce((s, { o }) => s + o.a, 0) - (node === 2 ? c.pick % 2 : 0);
    case 'set':
      return w ? [w.o.a] : [];
  }
}

/**
 * White-box records as `replsim run` writes them: applies of ok and failed writes on the
 * nodes (failed ones make aborted reads), faults (an isolate and its end), the placement,
 * extra replies, and after settle the live nodes and each node's final value of each key.
 */
function whiteBoxEvents(c: Case, events: Array<{ t: number; seq: number; rec: Record<string, unknown> }>): void {
  let seq = 10 * c.ops.length;
  const push = (t: number, rec: Record<string, unknown>): void => void events.push({ t, seq: seq++, rec: { t, ...rec } });
  const end = Math.max(0, ...events.map((e) => e.t)) + 1000;
  push(0, { type: 'replicas', key: '*', nodes: NODES });
  const cut = (c.pick % 40) * 1000;
  push(cut, { type: 'fault', fault: 'isolate', id: 0, target: NODES[c.pick % 3] });
  push(cut + 20_000, { type: 'fault', fault: 'end', of: 'isolate', id: 0 });
  c.ops.forEach((o, i) => {
    if (o.kind === 0 || o.outcome === 'open') return;
    const id = c.idBase + i * c.idStep;
    const t1 = (o.start + 2 * i) * 1000 + i + o.dur * 1000;
    const s = shape(c.model, c.ops, i);
    // an apply of another key's op (only one): the op's row is in another bucket
    const key = c.foreignApply && i === c.pick % c.ops.length ? `k${(o.key + 1) % c.keys}` : `k${o.key % c.keys}`;
    const on = o.outcome === 'fail' ? [NODES[o.a % 3]!] : NODES.slice(0, 1 + (o.a % 3));
    for (const node of on) push(t1 + 1 + o.b, { type: 'apply', node, key, value: s.value ?? null, op: id });
    if (o.outcome === 'ok' && (o.a + o.b + i) % 11 === 0) push(t1 + 2, { type: 'extra_reply', op: id, node: 'n1', reply: 'ok', first: 'ok' });
  });
  push(end, { type: 'live', nodes: NODES.slice(0, 2 + (c.pick % 2)) });
  for (let k = 0; k < c.keys; k++) {
    for (let n = 0; n < 3; n++) if (n < 2 || c.pick % 2 === 1) push(end, { type: 'final', node: NODES[n], key: `k${k}`, value: finalValue(c, k, n) });
  }
}

async function check(args: string[]) {
  const io = memoryIo();
  const code = await main(['check', ...args], io);
  return { code, out: io.stdout.replace(/"check_ms":[\d.]+/g, '"check_ms":0'), err: io.stderr };
}

let n = 0;
describe('partitioned check', () => {
  it('prints byte-identical JSON and errors to the one-pass check on random histories', async () => {
    let partitioned = 0;
    let witnessed = 0;
    let refused = 0;
    let whiteBoxJudged = 0;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(genCase, async (c) => {
        const path = join(dir, `h${n++}.jsonl`);
        writeFileSync(path, historyText(c));
        const size = statSync(path).size;
        // a budget that makes `buckets` buckets of this file
        const mb = (size * 4) / c.buckets / 2 ** 20;
        expect(bucketsFor(size, mb * 2 ** 20)).toBeGreaterThan(1);
        const flags = ['--model', c.model, '--json', '--sessions', c.sessions, '--nil-read', c.nilRead];
        const one = await check([path, ...flags]);
        const parts = await check([path, ...flags, '--memory-mb', String(mb)]);
        expect(parts.code).toBe(one.code);
        expect(parts.out).toBe(one.out);
        // white-box files are partitioned too; only an apply naming another key's op falls back
        if (c.whiteBox && !c.foreignApply && c.mutation === 'none') expect(parts.err).toBe('');
        partitioned++;
        if (c.whiteBox && one.code !== 2) whiteBoxJudged++;
        if (one.code === 2) refused++;
        if (/"witnesses":\[\{/.test(one.out)) witnessed++;
        if (one.code !== 2) {
          const o = JSON.parse(one.out) as { anomalies: Record<string, { count: number | null; would_violate?: number; witnesses: unknown[] }> };
          for (const [name, a] of Object.entries(o.anomalies)) {
            if (a.witnesses.length > 0) seen.set(name, (seen.get(name) ?? 0) + 1);
            if ((a.count ?? a.would_violate ?? 0) > 20) seen.set(`${name}>20`, (seen.get(`${name}>20`) ?? 0) + 1);
          }
        }
      }),
      { numRuns: 250, seed: 20_2606 },
    );
    // the property must have judged both kinds of file, not only refusals or only clean ones
    expect(partitioned).toBe(250);
    expect(witnessed).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(25);
    // every family that lists witnesses was seen with some, and some past MAX_WITNESSES (truncation)
    for (const name of ['aborted_read', 'stale_read', 'read_your_writes', 'monotonic_read', 'non_linearizable', 'invariant', 'divergence', 'lost_update']) {
      expect(seen.get(name) ?? 0, name).toBeGreaterThan(5);
    }
    expect(whiteBoxJudged).toBeGreaterThan(60);
    expect((seen.get('stale_read>20') ?? 0) + (seen.get('read_your_writes>20') ?? 0)).toBeGreaterThan(0);
  }, 120_000);
});
