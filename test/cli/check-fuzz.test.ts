/**
 * Fuzzing `replsim check` with mutated histories (issue 20, "Tests"; issue 13 point 2):
 * valid histories (generated ones, and small windows of the oracle files in ../shared/oracles
 * when present) are mutated by deleting, duplicating and swapping lines, truncating, flipping
 * bytes and changing values. Whatever comes out:
 * - the importers and checkHistory never throw;
 * - a refused file gives one line naming file:line, and the CLI exits 2 with that line;
 * - an accepted file gives exit 0, 1 or 3 and a verdict;
 * - a read of a value that no write wrote (a phantom) is never judged valid.
 * Fixed seeds: the same cases on every run. The CLI runs in-process (`main`), not as a
 * subprocess per case.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/index.js';
import { historyMisfit } from '../../src/checker/lin/models/fit.js';
import type { CheckModel, CheckOptions } from '../../src/checker/types.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { decodeUtf8, formatImportError, readHistory, type HistoryFormat, type ImportResult } from '../../src/history/import/index.js';
import type { HistoryRecord, Value } from '../../src/history/types.js';

const ORACLES = fileURLToPath(new URL('../../../shared/oracles', import.meta.url));
const present = existsSync(join(ORACLES, 'MANIFEST.json'));
const dir = mkdtempSync(join(tmpdir(), 'replsim-check-fuzz-'));

interface Base {
  name: string;
  format: HistoryFormat;
  model: CheckModel;
  initial: unknown;
  nilRead: 'empty' | 'any';
  text: string;
}

/**
 * A valid register history from a list of choices: three clients, two keys, unique write
 * values; each op takes effect at its completion (so the history is linearizable), some
 * writes end `fail` (not applied) or `info` (applied), the last ops stay open. `final`
 * records (both nodes agree) when `finals` is set.
 */
function generated(steps: readonly number[], finals: boolean): string {
  const out: object[] = [];
  const state = new Map<string, number | null>([
    ['k0', null],
    ['k1', null],
  ]);
  const pending = new Map<number, { op: number; f: 'read' | 'write'; key: string; value?: number }>();
  let t = 0;
  let op = 0;
  for (const s of steps) {
    const c = s % 3;
    const p = pending.get(c);
    t += 1 + (s % 5);
    if (!p) {
      const f = (s >> 2) % 2 === 0 ? 'write' : 'read';
      const key = `k${(s >> 3) % 2}`;
      const next = { op: op++, f, key, ...(f === 'write' ? { value: 100 + op } : {}) } as const;
      pending.set(c, next);
      out.push({ t, type: 'invoke', op: next.op, client: `c${c}`, node: `n${c}`, f, key, ...(f === 'write' ? { value: next.value } : {}) });
      continue;
    }
    pending.delete(c);
    if (p.f === 'write') {
      const outcome = s % 13 === 0 ? 'fail' : s % 11 === 0 ? 'info' : 'ok';
      if (outcome !== 'fail') state.set(p.key, p.value!);
      out.push({ t, type: outcome, op: p.op });
    } else out.push({ t, type: 'ok', op: p.op, value: state.get(p.key) ?? null });
  }
  if (finals) {
    t += 1_000;
    for (const [key, value] of state) for (const node of ['n0', 'n1']) if (value !== null) out.push({ t, type: 'final', node, key, value });
  }
  return `${out.map((o) => JSON.stringify(o)).join('\n')}\n`;
}

const GENERATED: Base[] = Array.from({ length: 12 }, (_, i) => {
  const steps = fc.sample(fc.array(fc.nat(1 << 12), { minLength: 4, maxLength: 60 }), { seed: 1000 + i, numRuns: 1 })[0]!;
  return { name: `generated-${i}`, format: 'jsonl', model: 'register', initial: null, nilRead: 'empty', text: generated(steps, i % 2 === 0) };
});

/** Small windows of the oracle histories (whole files for small Knossos ones). */
function oracleBases(): Base[] {
  if (!present) return [];
  const bases: Base[] = [];
  const window = (text: string, from: number, n: number) => `${text.split('\n').slice(from, from + n).join('\n')}\n`;
  for (const i of [0, 7, 23, 41, 64, 88]) {
    const name = `etcd_${String(i).padStart(3, '0')}.log`;
    const text = readFileSync(join(ORACLES, 'porcupine-etcd', name), 'utf8');
    bases.push({ name, format: 'jepsen-log', model: 'cas-register', initial: null, nilRead: 'empty', text: window(text, 0, 80) });
  }
  for (const name of ['c01-ok.txt', 'c01-bad.txt', 'c10-ok.txt']) {
    const text = readFileSync(join(ORACLES, 'porcupine-kv', name), 'utf8');
    bases.push({ name, format: 'jepsen-edn', model: 'kv', initial: '', nilRead: 'empty', text: window(text, 0, 60) });
  }
  for (const sub of ['good', 'bad']) {
    const d = join(ORACLES, 'knossos-cas-register', sub);
    for (const name of readdirSync(d).sort()) {
      // only nemesis events, no client op: refused by design (see test/checker/lin/oracles.test.ts)
      if (name === 'mongodb-v0-ack-rollback-.edn') continue;
      if (!name.endsWith('.edn') || statSync(join(d, name)).size > 6_000) continue;
      bases.push({ name: `${sub}/${name}`, format: 'jepsen-edn', model: 'cas-register', initial: 0, nilRead: 'any', text: readFileSync(join(d, name), 'utf8') });
    }
  }
  return bases;
}

/**
 * A valid multi-register history (Jepsen EDN, one map per line) from a list of choices: txns
 * write one or two registers or read both, each taking effect at its completion; half use
 * Jepsen's short micro-op names `:r`/`:w`.
 */
function generatedTxns(steps: readonly number[], short: boolean): string {
  const [R, W] = short ? ['r', 'w'] : ['read', 'write'];
  const regs = new Map<string, number>([
    ['x', 0],
    ['y', 0],
  ]);
  const pending = new Map<number, string[][]>();
  const out: string[] = [];
  const edn = (micro: (string | number | null)[][]) => `[${micro.map(([f, k, v]) => `[:${f} :${k} ${v === null ? 'nil' : v}]`).join(' ')}]`;
  let next = 1;
  for (const s of steps) {
    const p = s % 3;
    const mine = pending.get(p);
    if (!mine) {
      const micro = s % 4 === 0 ? [[R!, 'x'], [R!, 'y']] : s % 4 === 1 ? [[W!, 'x', String(next++)]] : s % 4 === 2 ? [[W!, 'y', String(next++)]] : [[W!, 'x', String(next++)], [W!, 'y', String(next++)]];
      pending.set(p, micro);
      out.push(`{:process ${p}, :type :invoke, :f :txn, :value ${edn(micro.map(([f, k, v]) => [f!, k!, f === R ? null : Number(v)]))}}`);
      continue;
    }
    pending.delete(p);
    const done = mine.map(([f, k, v]) => {
      if (f === W) regs.set(k!, Number(v));
      return [f!, k!, f === R ? regs.get(k!)! : Number(v)];
    });
    out.push(`{:process ${p}, :type :ok, :f :txn, :value ${edn(done)}}`);
  }
  return `${out.join('\n')}\n`;
}

const TXNS: Base[] = Array.from({ length: 6 }, (_, i) => {
  const steps = fc.sample(fc.array(fc.nat(1 << 12), { minLength: 4, maxLength: 40 }), { seed: 2000 + i, numRuns: 1 })[0]!;
  return {
    name: `txns-${i}`,
    format: 'jepsen-edn',
    model: 'multi-register',
    initial: { x: 0, y: 0 },
    nilRead: i % 2 === 0 ? 'any' : 'empty',
    text: generatedTxns(steps, i % 2 === 0),
  };
});

const BASES: Base[] = [...GENERATED, ...TXNS, ...oracleBases()];
const MODELS: CheckModel[] = ['register', 'cas-register', 'multi-register', 'kv', 'counter', 'set'];
const ODD_NUMBERS = ['-0', '1e999', '-1', '1.5', '9007199254740993', 'null', '"x"', '[1,1]', '0'];
const ODD_BYTES = [0x00, 0x0d, 0x0a, 0x22, 0x7b, 0x5b, 0x3a, 0xff, 0xc3, 0xe2, 0x80];

/** One mutation: `kind` chooses what, `a` `b` `c` where and with what (taken modulo sizes). */
interface Mutation {
  kind: number;
  a: number;
  b: number;
  c: number;
}
const mutationArb: fc.Arbitrary<Mutation> = fc.record({ kind: fc.nat(6), a: fc.nat(), b: fc.nat(), c: fc.nat() });

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const text = bytes.toString('latin1'); // byte-preserving
  const lines = text.split('\n');
  const at = (n: number, len: number) => (len === 0 ? 0 : n % len);
  switch (m.kind) {
    case 0: // delete a line
      lines.splice(at(m.a, lines.length), 1);
      return Buffer.from(lines.join('\n'), 'latin1');
    case 1: {
      // duplicate a line
      const i = at(m.a, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 2: {
      // swap two lines
      const i = at(m.a, lines.length);
      const j = at(m.b, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 3: // truncate
      return bytes.subarray(0, at(m.a, bytes.length + 1));
    case 4: {
      // flip a byte
      if (bytes.length === 0) return Buffer.from([ODD_BYTES[at(m.b, ODD_BYTES.length)]!]);
      const copy = Buffer.from(bytes);
      copy[at(m.a, copy.length)] = m.c % 2 === 0 ? ODD_BYTES[at(m.b, ODD_BYTES.length)]! : m.b % 256;
      return copy;
    }
    default: {
      // change a number in a line to another (odd or fresh) value
      const i = at(m.a, lines.length);
      const nums = [...(lines[i] ?? '').matchAll(/-?\d+(\.\d+)?/g)];
      if (nums.length === 0) return bytes;
      const hit = nums[at(m.b, nums.length)]!;
      const repl = m.c % 3 === 0 ? ODD_NUMBERS[at(m.c, ODD_NUMBERS.length)]! : String(m.c % 1000);
      lines[i] = `${lines[i]!.slice(0, hit.index)}${repl}${lines[i]!.slice(hit.index! + hit[0].length)}`;
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

/** Decoding and import, as `check` does them. */
function importBytes(bytes: Buffer, base: Base, file: string): ImportResult {
  const decoded = decodeUtf8(bytes, file);
  return decoded.ok ? readHistory(base.format, decoded.text, file) : { ok: false, error: decoded.error };
}

const optsFor = (base: Base, model: CheckModel = base.model): CheckOptions => ({
  model,
  initial: model === base.model ? base.initial : undefined,
  nilRead: base.nilRead,
  budget: { max_states: 200_000 },
});

async function cli(file: string, base: Base): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const args = ['check', file, '--format', base.format, '--model', base.model, '--nil-read', base.nilRead];
  if (base.initial !== null) args.push('--initial', JSON.stringify(base.initial));
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('check on mutated histories', () => {
  it('has bases to mutate', () => {
    expect(BASES.length).toBeGreaterThanOrEqual(GENERATED.length);
  });
  it('every base is a valid history (the mutations start from something checkable)', () => {
    for (const base of BASES) {
      const r = importBytes(Buffer.from(base.text), base, base.name);
      expect(r.ok, r.ok ? '' : formatImportError(r.error)).toBe(true);
      if (r.ok) expect(historyMisfit(r.records, base.model)).toBeUndefined();
    }
  });

  it('never throws; refusals are one line file:line and exit 2; accepted files get a verdict', async () => {
    const file = join(dir, 'mutant');
    let refused = 0;
    let accepted = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.constantFrom(...MODELS), async (bi, ms, otherModel) => {
        const base = BASES[bi]!;
        const bytes = ms.reduce<Buffer>((b, m) => mutate(b, m), Buffer.from(base.text));
        const r = importBytes(bytes, base, file);
        if (base.format === 'jsonl' && malformedJsonl(bytes)) expect(r.ok, 'a malformed jsonl file was accepted').toBe(false);
        // The CLI costs ~40 ms a call (yargs); every 6th case goes through it as well.
        const viaCli = (n++ % 6 === 0);
        if (viaCli) writeFileSync(file, bytes);
        const res = viaCli ? await cli(file, base) : undefined;
        if (!r.ok) {
          refused++;
          const line = formatImportError(r.error);
          expect(line).not.toMatch(CONTROL);
          expect(line.startsWith(`${file}:${r.error.line}`)).toBe(true);
          if (res) expect(res).toEqual({ code: 2, out: '', err: `replsim: ${line}\n` });
          return;
        }
        accepted++;
        expect(r.records.some((x) => x.type === 'invoke')).toBe(true);
        if (historyMisfit(r.records, base.model)) {
          // an op the model cannot judge (a changed value made a cas argument a number, say)
          if (res) expect([res.code, res.out, res.err.split('\n').length]).toEqual([2, '', 2]);
          return;
        }
        const report = checkHistory(r.records, optsFor(base));
        if (n % 4 === 0) checkHistory(r.records, optsFor(base, otherModel)); // any model: no throw
        expect([true, false, 'unknown']).toContain(report.linearizable);
        if (!res) return;
        expect([0, 1, 3]).toContain(res.code);
        expect(res.err).toBe('');
        if (report.linearizable === false) expect(res.code).toBe(1);
      }),
      { seed: 2020, numRuns: 1500 },
    );
    // both sides were exercised
    expect(refused).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(100);
  });

  it('a read of a value no write wrote (a phantom) is never judged valid', async () => {
    const file = join(dir, 'phantom');
    const lineBased = BASES.filter((b) => b.format !== 'jepsen-edn' || b.model === 'kv' || b.model === 'multi-register');
    let judged = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(lineBased.length - 1),
        fc.array(fc.record({ kind: fc.nat(2), a: fc.nat(), b: fc.nat(), c: fc.nat() }), { maxLength: 2 }),
        fc.nat(),
        async (bi, ms, pick) => {
          const base = lineBased[bi]!;
          const mutated = ms.reduce<Buffer>((b, m) => mutate(b, m), Buffer.from(base.text)).toString('utf8');
          const text = injectPhantom(mutated, base, pick);
          if (text === undefined) return;
          const r = importBytes(Buffer.from(text), base, file);
          const viaCli = n++ % 5 === 0;
          if (viaCli) writeFileSync(file, text);
          const res = viaCli ? await cli(file, base) : undefined;
          if (!r.ok) {
            if (res) expect(res.code).toBe(2);
            return;
          }
          if (!readsPhantom(r.records)) return; // the mutation made the phantom line part of another op
          judged++;
          const report = checkHistory(r.records, optsFor(base));
          expect(report.linearizable).not.toBe(true);
          if (res) expect(res.code).not.toBe(0);
          if (report.linearizable === false) expect(report.anomalies.non_linearizable.count).toBeGreaterThan(0);
        },
      ),
      { seed: 4, numRuns: 600 },
    );
    expect(judged).toBeGreaterThan(150);
  });
});

it.skipIf(present)('oracle windows in the fuzz: skipped because ../shared/oracles is absent (generated histories only)', () => {});

const PHANTOM_NUMBER = 987654321;
const PHANTOM_TEXT = 'phantom q';

/** The text with the value of one `ok` read/get replaced by a value nobody wrote (undefined if none). */
function injectPhantom(text: string, base: Base, pick: number): string | undefined {
  const lines = text.split('\n');
  let candidates: number[];
  let replace: (line: string) => string;
  if (base.format === 'jsonl') {
    const reads = new Set<number>();
    for (const l of lines) {
      const m = /"type":"invoke","op":(\d+),.*"f":"read"/.exec(l);
      if (m) reads.add(Number(m[1]));
    }
    candidates = lines.flatMap((l, i) => {
      const m = /^\{"t":\d+,"type":"ok","op":(\d+)/.exec(l);
      return m && reads.has(Number(m[1])) ? [i] : [];
    });
    replace = (l) => `${l.replace(/,"value":[^,}]*\}$|\}$/, '')},"value":${PHANTOM_NUMBER}}`;
  } else if (base.format === 'jepsen-log') {
    candidates = lines.flatMap((l, i) => (/\s:ok\s+:read\s/.test(l) ? [i] : []));
    replace = (l) => l.replace(/(:ok\s+:read\s+).*$/, `$1${PHANTOM_NUMBER}`);
  } else if (base.model === 'multi-register') {
    candidates = lines.flatMap((l, i) => (/:type :ok, :f :txn, .*\[:(r|read) :[xy] -?\d+\]/.test(l) ? [i] : []));
    replace = (l) => l.replace(/\[:(r|read) :([xy]) -?\d+\]/, `[:$1 :$2 ${PHANTOM_NUMBER}]`);
  } else {
    candidates = lines.flatMap((l, i) => (/:type :ok, :f :get/.test(l) ? [i] : []));
    replace = (l) => l.replace(/:value "[^"]*"/, `:value "${PHANTOM_TEXT}"`);
  }
  if (candidates.length === 0) return undefined;
  const i = candidates[pick % candidates.length]!;
  lines[i] = replace(lines[i]!);
  return lines.join('\n');
}

/** Some ok read/get returned the phantom, and no invocation carries it (nobody wrote it). */
function readsPhantom(records: readonly HistoryRecord[]): boolean {
  const isPhantom = (v: Value | undefined) => v === PHANTOM_NUMBER || v === PHANTOM_TEXT;
  const reads = new Set<number>();
  const txns = new Set<number>();
  for (const r of records) {
    if (r.type === 'invoke') {
      if (JSON.stringify(r.value ?? null).includes(String(PHANTOM_NUMBER)) || JSON.stringify(r.value ?? null).includes('phantom')) return false;
      if (r.f === 'read' || r.f === 'get') reads.add(r.op);
      if (r.f === 'txn') txns.add(r.op);
    }
  }
  const txnReadsPhantom = (v: Value | undefined) =>
    Array.isArray(v) && v.some((m) => Array.isArray(m) && (m[0] === 'r' || m[0] === 'read') && m[2] === PHANTOM_NUMBER);
  return records.some((r) => r.type === 'ok' && ((reads.has(r.op) && isPhantom(r.value)) || (txns.has(r.op) && txnReadsPhantom(r.value))));
}

/**
 * An independent reading of CHECKING.md's jsonl rules, to judge the importer by: invalid
 * UTF-8, a line that is not JSON, no invoke at all, time not a non-negative integer or going
 * backwards, a non-finite number, an op invoked twice, a completion with no earlier invoke or
 * a second completion.
 */
function malformedJsonl(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return true;
  }
  const invoked = new Set<unknown>();
  const completed = new Set<unknown>();
  let last = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let r: { t?: unknown; type?: unknown; op?: unknown };
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      return true;
    }
    if (r === null || typeof r !== 'object') return true;
    if (hasNonFinite(r)) return true;
    if (typeof r.t !== 'number' || !Number.isInteger(r.t) || r.t < 0 || r.t < last) return true;
    last = r.t;
    if (r.type === 'invoke') {
      if (invoked.has(r.op)) return true;
      invoked.add(r.op);
    } else if (r.type === 'ok' || r.type === 'fail' || r.type === 'info') {
      if (!invoked.has(r.op) || completed.has(r.op)) return true;
      completed.add(r.op);
    }
  }
  return invoked.size === 0;
}

function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v).some(hasNonFinite);
}
