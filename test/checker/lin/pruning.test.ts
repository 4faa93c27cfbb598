/**
 * The search's pruning of pure reads, judged by the work it saves (states stored, the same on
 * every machine) and by the verdicts it must not change: concurrent reads of one value are
 * taken as soon as they fit, never in every order.
 */
import { describe, expect, it } from 'vitest';
import { nonLinearizable } from '../../../src/checker/linearizable.js';
import type { HistoryRecord } from '../../../src/history/types.js';
import { hist } from './dsl.js';

const opts = { model: 'register' as const, nilRead: 'empty' as const, budget: { max_states: 200_000 } };
const states = (r: ReturnType<typeof nonLinearizable>): number => r.report.work!.states;

/** `n` clients all read concurrently, then one write of `after` overlaps them all. */
function concurrentReads(n: number, value: number, extraRead?: number): HistoryRecord[] {
  const lines = ['w inv 1 write x 1', 'ok 1'];
  for (let i = 0; i < n; i++) lines.push(`c${i} inv ${10 + i} read x`);
  lines.push('w inv 2 write x 2');
  for (let i = 0; i < n; i++) lines.push(`ok ${10 + i} ${i === n - 1 && extraRead !== undefined ? extraRead : value}`);
  lines.push('ok 2');
  return hist(lines.join('\n'));
}

describe('pure reads', () => {
  it('40 concurrent reads of one value cost a path, not every order (2^40 configurations without)', () => {
    const r = nonLinearizable(concurrentReads(40, 1), opts);
    expect(r.verdict).toBe(true);
    expect(states(r)).toBeLessThan(200);
  });

  it('still finds the violation among them: a read of a value nobody wrote', () => {
    const r = nonLinearizable(concurrentReads(40, 1, 7), opts);
    expect(r.verdict).toBe(false);
    expect(r.report.count).toBe(1);
  });

  it('reads of both values around a concurrent write stay linearizable', () => {
    const lines = ['w inv 1 write x 1', 'ok 1'];
    for (let i = 0; i < 30; i++) lines.push(`c${i} inv ${10 + i} read x`);
    lines.push('w inv 2 write x 2');
    for (let i = 0; i < 30; i++) lines.push(`ok ${10 + i} ${i % 2 === 0 ? 1 : 2}`);
    lines.push('ok 2');
    const r = nonLinearizable(hist(lines.join('\n')), opts);
    expect(r.verdict).toBe(true);
  });

  it('a read of the old value after a read of the new one has returned is still a violation', () => {
    const h = hist(['w inv 1 write x 1', 'ok 1', 'w inv 2 write x 2', 'a inv 3 read x', 'ok 3 2', 'b inv 4 read x', 'ok 4 1', 'ok 2'].join('\n'));
    expect(nonLinearizable(h, opts).verdict).toBe(false);
  });
});

