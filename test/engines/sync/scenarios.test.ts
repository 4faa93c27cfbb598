/**
 * The sync engine's built-in scenarios, run through the library API: every `expect` must be
 * met, and a few lessons the expect block cannot state are checked on the history itself.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, loadScenario, runScenario } from '../../../src/index.js';
import type { HistoryRecord } from '../../../src/history/types.js';
import { SEC } from '../../../src/sim/time.js';

function run(name: string) {
  const loaded = loadScenario(`scenarios/${name}.yaml`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const out = runScenario(loaded.scenario, { keepHistory: true });
  if (!out.ok) throw new Error(out.error);
  return { scenario: loaded.scenario, result: out.result, history: out.history ?? [] };
}

function unmet(r: ReturnType<typeof run>): string[] {
  return r.result.expect.filter((e) => !e.met).map((e) => `${e.name}: want ${e.want}, got ${e.got}`);
}

/** Writes acknowledged, by the time they were invoked and the node that served them. */
function okWrites(h: HistoryRecord[]): Array<{ invoke_t: number; node: string }> {
  const inv = new Map<number, { t: number; node: string; f: string }>();
  const out: Array<{ invoke_t: number; node: string }> = [];
  for (const r of h) {
    if (r.type === 'invoke') inv.set(r.op, { t: r.t, node: r.node, f: r.f });
    if (r.type === 'ok') {
      const i = inv.get(r.op);
      if (i && i.f !== 'read') out.push({ invoke_t: i.t, node: i.node });
    }
  }
  return out;
}

const SCENARIOS = [
  'sync-write-latency-far',
  'sync-write-latency-near',
  'sync-pause-node-failure',
  'sync-partition-pause',
  'sync-partition-split-brain',
  'sync-partition-witness',
  'sync-recovery-queue-drain',
  'sync-recovery-online-copy',
  'sync-coordinator-crash',
];

describe('sync built-in scenarios', () => {
  const results = new Map(SCENARIOS.map((n) => [n, run(n)]));
  const get = (n: string) => results.get(n)!;

  it.each(SCENARIOS)('%s meets its expect block and runs to the end', (name) => {
    const r = get(name);
    expect(r.result.engine.startsWith('sync/')).toBe(true);
    expect(r.result.expect.length).toBeGreaterThan(0);
    expect(unmet(r)).toEqual([]);
    expect(r.result.stop.complete).toBe(true);
  });

  it('write latency is at least the largest round trip and grows with distance', () => {
    const far = get('sync-write-latency-far').result.metrics.latency_ms.write.p50 ?? 0;
    const near = get('sync-write-latency-near').result.metrics.latency_ms.write.p50 ?? 0;
    expect(far).toBeGreaterThanOrEqual(150); // us-east <-> ap-northeast round trip
    expect(near).toBeGreaterThanOrEqual(40); // us-east <-> us-west round trip
    expect(far).toBeGreaterThan(2 * near);
  });

  it('pause: no write commits between the crash and the removal, writes resume after it', () => {
    const h = get('sync-pause-node-failure').history;
    const writes = okWrites(h);
    // a write invoked after the crash (plus one commit round) cannot commit until the removal
    expect(writes.filter((w) => w.invoke_t > 10.5 * SEC && w.invoke_t < 15 * SEC)).toEqual([]);
    expect(writes.filter((w) => w.invoke_t > 15.5 * SEC && w.invoke_t < 25 * SEC).length).toBeGreaterThan(20);
  });

  it('split-brain: both sides accept writes to the same keys (the checker counts it when asked to)', () => {
    const r = get('sync-partition-split-brain');
    // the runner does not count split_brain for an engine that allows it; ask the checker directly
    const report = checkHistory(r.history, { model: 'register', promisesNoSplitBrain: true });
    expect(report.anomalies.split_brain.count).toBeGreaterThanOrEqual(1);
    expect(r.result.anomalies.lost_update.count).toBeGreaterThanOrEqual(1);
    // the losing side is us-east (ap-northeast < us-east): its lost writes were served there
    const lostNodes = new Set(r.result.anomalies.lost_update.witnesses.map((w) => w.nodes?.[0]));
    expect([...lostNodes]).toEqual(['us-east/0']);
  });

  it('pause and witness: no split brain where split-brain mode has one', () => {
    for (const name of ['sync-partition-pause', 'sync-partition-witness']) {
      const r = get(name);
      const report = checkHistory(r.history, { model: 'register', promisesNoSplitBrain: true });
      expect(report.anomalies.split_brain.count).toBe(0);
    }
  });

  it('witness: only the side with the witness commits during the partition', () => {
    const writes = okWrites(get('sync-partition-witness').history).filter(
      (w) => w.invoke_t > 11 * SEC && w.invoke_t < 30 * SEC,
    );
    expect(writes.filter((w) => w.node.startsWith('us-east'))).toEqual([]);
    expect(writes.filter((w) => w.node.startsWith('eu-west')).length).toBeGreaterThan(50);
  });

  it('online-copy sends more keys and takes longer to rejoin than queue-drain', () => {
    const drain = get('sync-recovery-queue-drain').result.metrics.engine as Record<string, number>;
    const copy = get('sync-recovery-online-copy').result.metrics.engine as Record<string, number>;
    expect(copy.keys_copied).toBeGreaterThan(2 * (drain.keys_copied ?? 0));
    expect(copy.max_rejoin_ms).toBeGreaterThan(drain.max_rejoin_ms ?? 0);
    expect(drain.rejoins).toBeGreaterThanOrEqual(1);
  });

  it('coordinator crash after prepare: the key is blocked (in doubt) until the coordinator is back', () => {
    const h = get('sync-coordinator-crash').history;
    const outcome = (op: number) => h.find((r) => r.type !== 'invoke' && 'op' in r && r.op === op && r.type !== 'apply');
    expect(outcome(1)).toMatchObject({ type: 'info' }); // the coordinator died with it
    expect(outcome(2)).toMatchObject({ type: 'fail', error: 'lock-timeout' }); // read blocked by the in-doubt lock
    expect(outcome(3)).toMatchObject({ type: 'fail', error: 'lock-conflict' }); // write refused (wait-die)
    expect(outcome(4)).toMatchObject({ type: 'ok', value: null }); // presumed abort after the restart
    expect(outcome(6)).toMatchObject({ type: 'ok', value: 300 });
  });
});
