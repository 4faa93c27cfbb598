// What the mutation campaign's scripted scenarios claim in their descriptions and their
// expect blocks cannot state: the value each scripted read returns (or that it got no answer).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/history/types.js';
import { runScenario } from '../../src/run/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SCENARIO_DIR } from './met-and-deterministic.js';

function history(file: string): HistoryRecord[] {
  const l = loadScenario(join(SCENARIO_DIR, file));
  if (!l.ok) throw new Error(l.errors.map((e) => e.message).join('; '));
  const out = runScenario(l.scenario, { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  return out.history ?? [];
}

/** Scripted reads in invoke order as `client@ms → value`, or `→ info` without an ok answer. */
function reads(h: HistoryRecord[]): string[] {
  const done = new Map<number, HistoryRecord>();
  for (const r of h) if ((r.type === 'ok' || r.type === 'info' || r.type === 'fail') && !done.has(r.op)) done.set(r.op, r);
  return h
    .filter((r) => r.type === 'invoke' && r.f === 'read')
    .map((r) => {
      if (r.type !== 'invoke') return '';
      const d = done.get(r.op);
      const got = d?.type === 'ok' ? JSON.stringify(d.value) : (d?.type ?? 'open');
      return `${r.client}@${r.t / 1000} → ${got}`;
    });
}

describe('campaign scenarios: what their scripted reads return', () => {
  it('async-quorum-even-split: no half of a 2 + 2 split answers a quorum read; after the heal Sydney reads 200', () => {
    expect(reads(history('async-quorum-even-split.yaml'))).toEqual([
      'ap-southeast/0@3000 → 100',
      'ap-southeast/0@8000 → info',
      'ap-northeast/0@9000 → info',
      'ap-southeast/0@12000 → info',
      'ap-southeast/0@18000 → 200',
      'us-east/0@19000 → 200',
    ]);
  });

  it('async-orset-remove-overtakes-add: the late add stays removed at Sydney; everyone reads [9]', () => {
    expect(reads(history('async-orset-remove-overtakes-add.yaml'))).toEqual([
      'ap-southeast/0@4000 → [9]',
      'us-east/0@4000 → [9]',
      'eu-west/0@4000 → [9]',
    ]);
  });

  it('async-lww-concurrent-tie: both regions read the value of the node declared later', () => {
    expect(reads(history('async-lww-concurrent-tie.yaml'))).toEqual(['us-east/0@12000 → 600', 'ap-southeast/0@12000 → 600']);
  });

  it('async-counter-crdt-exact: every read is the running sum of the increments', () => {
    expect(reads(history('async-counter-crdt-exact.yaml')).map((r) => r.split(' → ')[1])).toEqual([
      '5', '8', '6', '16', '16', '17', '17', '17',
    ]);
  });

  it("sync-clock-skew-versions: the skewed coordinator's last write is what everyone reads", () => {
    expect(reads(history('sync-clock-skew-versions.yaml'))).toEqual(['us-west/0@5000 → 300', 'eu-west/0@5000 → 300']);
  });
});
