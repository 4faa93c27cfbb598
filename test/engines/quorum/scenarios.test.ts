/**
 * What the quorum scenarios claim in their descriptions that their `expect` blocks cannot
 * say, checked from their histories.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/run/run.js';
import type { HistoryRecord } from '../../../src/history/types.js';

const root = join(import.meta.dirname, '..', '..', '..', 'scenarios');

function historyOf(file: string): HistoryRecord[] {
  const l = loadScenario(join(root, file));
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const r = runScenario(l.scenario, { keepHistory: true, check: false });
  if (!r.ok) throw new Error(r.error);
  return r.history ?? [];
}

describe('quorum-counter-retry.yaml', () => {
  it('the timed-out increment was applied: one intended +5, the counter reads 10', () => {
    const h = historyOf('quorum-counter-retry.yaml');
    const outcome = (op: number) => h.find((r) => (r.type === 'ok' || r.type === 'info' || r.type === 'fail') && r.op === op)?.type;
    const invokes = h.filter((r) => r.type === 'invoke');
    expect(invokes.map((r) => (r.type === 'invoke' ? r.f : ''))).toEqual(['add', 'add', 'read']);
    const [first, retry, read] = invokes.map((r) => (r.type === 'invoke' ? r.op : -1));
    expect([outcome(first!), outcome(retry!)]).toEqual(['info', 'ok']);
    const readOk = h.find((r) => r.type === 'ok' && r.op === read);
    expect(readOk?.type === 'ok' ? readOk.value : undefined).toBe(10);
    const finals = h.filter((r) => r.type === 'final').map((r) => (r.type === 'final' ? r.value : undefined));
    expect(new Set(finals)).toEqual(new Set([10]));
  });
});
