// Runs every built-in async scenario through the library API and requires each expectation
// of its `expect` block to be met, plus the facts the expect block cannot state.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, runScenario } from '../../../src/index.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.startsWith('async-') && f.endsWith('.yaml'))
  .sort();

function run(file: string): { result: NonNullable<ReturnType<typeof runOk>>['result']; history: HistoryRecord[] } {
  return runOk(file)!;
}
function runOk(file: string) {
  const loaded = loadScenario(join(dir, file));
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded)}`);
  const out = runScenario(loaded.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(`${file}: ${out.error}`);
  return { result: out.result, history: out.history ?? [] };
}

/** The ok value of the read scripted at `at_us` by `client`. */
function scriptedRead(h: HistoryRecord[], client: string, at_us: number): unknown {
  const inv = h.find((r) => r.type === 'invoke' && r.client === client && r.f === 'read' && r.t === at_us);
  if (!inv || inv.type !== 'invoke') throw new Error(`no read by ${client} at ${at_us}`);
  const done = h.find((r) => r.type === 'ok' && r.op === inv.op);
  return done && done.type === 'ok' ? done.value : undefined;
}

describe('built-in async scenarios', () => {
  it('exist (one per acceptance claim)', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of files) {
    it(`${file}: every expectation is met`, () => {
      const { result } = run(file);
      expect(result.stop.complete).toBe(true);
      expect(result.expect.filter((e) => !e.met)).toEqual([]);
      expect(result.expect.length).toBeGreaterThan(0);
      expect(result.engine).toMatch(/^async\//);
    });
  }

  it('clock skew: physical LWW reads 300 everywhere, hybrid reads 500', () => {
    const phys = run('async-lww-skew.yaml').history;
    const hyb = run('async-hlc-skew.yaml').history;
    for (const c of ['us-east/0', 'ap-northeast/0']) {
      expect(scriptedRead(phys, c, 20_000_000)).toBe(300);
      expect(scriptedRead(hyb, c, 20_000_000)).toBe(500);
    }
  });

  it('version vectors: the read at 5 s shows both siblings, the final value is the write that read them', () => {
    const { history } = run('async-vv-siblings.yaml');
    expect(scriptedRead(history, 'eu-west/0', 5_000_000)).toEqual([300, 500]);
    expect(scriptedRead(history, 'ap-northeast/0', 20_000_000)).toBe(800);
  });

  it('counter: the CRDT final total is the initial 0 plus every acknowledged add', () => {
    const { history } = run('async-counter-crdt.yaml');
    const invokes = new Map(history.flatMap((r) => (r.type === 'invoke' ? [[r.op, r] as const] : [])));
    const want = new Map<string, number>();
    for (const r of history) {
      if (r.type !== 'ok') continue;
      const inv = invokes.get(r.op)!;
      if (inv.f === 'add') want.set(inv.key, (want.get(inv.key) ?? 0) + (inv.value as number));
    }
    const finals = history.filter((r) => r.type === 'final');
    expect(finals.length).toBeGreaterThan(0);
    for (const f of finals) if (f.type === 'final') expect(f.value).toBe(want.get(f.key));
  });

  it('inventory: LWW oversells, home ownership and escrow do not', () => {
    const lwwRun = run('async-inventory-lww.yaml');
    const lww = lwwRun.result;
    expect(lww.anomalies.invariant.count).toBeGreaterThanOrEqual(1);
    expect(lww.anomalies.invariant.witnesses[0]!.explanation).toMatch(/oversell/);
    expect(lww.anomalies.invariant.witnesses[0]!.ops.length).toBeGreaterThan(0);
    // lost_update rule (a): two acknowledged reservations decided on the same stock version.
    const sameVersion = lww.anomalies.lost_update.witnesses.filter((w) => /based on stock version/.test(w.explanation));
    expect(sameVersion.length).toBeGreaterThan(0);
    const [second, first] = sameVersion[0]!.ops;
    const okValue = (h: HistoryRecord[], op: number | undefined) => h.find((r) => r.type === 'ok' && r.op === op)?.['value' as never];
    const a = okValue(lwwRun.history, first) as unknown as { version: string; stock_before: number };
    const b = okValue(lwwRun.history, second) as unknown as { version: string; stock_before: number };
    expect(a.version).toBe(b.version);
    expect(a.stock_before).toBe(b.stock_before);
    for (const file of ['async-inventory-home.yaml', 'async-inventory-escrow.yaml']) {
      const { result, history } = run(file);
      expect(result.anomalies.invariant.count).toBe(0);
      expect(result.anomalies.lost_update.applicable).toBe(true);
      expect(result.anomalies.lost_update.count, file).toBe(0);
      // The rule had something to judge: every acknowledged reservation says what it was based on.
      const reserves = new Set(history.flatMap((r) => (r.type === 'invoke' && r.f === 'reserve' ? [r.op] : [])));
      const oks = history.filter((r) => r.type === 'ok' && reserves.has(r.op));
      expect(oks.length).toBeGreaterThan(10);
      for (const r of oks) expect(r).toMatchObject({ value: { stock_before: expect.any(Number), version: expect.any(String) } });
    }
  });

  it('volatile queue crash: anti-entropy repairs it; with durable_queue: true there is nothing to repair', () => {
    const volatile = run('async-crash-volatile-restart.yaml').result;
    const engine = (volatile.metrics as unknown as { engine: Record<string, number> }).engine;
    expect(engine.changes_lost_in_queues).toBeGreaterThan(0);
    expect(engine.anti_entropy_keys).toBeGreaterThan(0);
    expect(volatile.anomalies.divergence.count).toBe(0);
    const text = readFileSync(join(dir, 'async-crash-volatile-restart.yaml'), 'utf8');
    expect(text).toContain('durable_queue: false');
    const loaded = parseScenario(text.replace('durable_queue: false', 'durable_queue: true'), 'durable.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const out = runScenario(loaded.scenario);
    if (!out.ok) throw new Error(out.error);
    expect(out.result.anomalies.divergence.count).toBe(0);
    expect(out.result.anomalies.lost_update.count).toBe(0);
    expect((out.result.metrics as unknown as { engine: Record<string, number> }).engine.changes_lost_in_queues).toBe(0);
    expect((out.result.metrics as unknown as { engine: Record<string, number> }).engine.anti_entropy_keys).toBe(0);
  });
});
