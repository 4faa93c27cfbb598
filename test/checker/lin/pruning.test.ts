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


/**
 * `n` timed-out cas ops, each expecting a value never written (so it can only ever be a no-op),
 * all open while write 2 completes, then a read returning `last`. Cas ops are kept by the
 * model because some read returns their new value (1).
 */
function openNoOps(n: number, last: number): HistoryRecord[] {
  const lines = ['w inv 1 write x 1', 'ok 1', 'r inv 2 read x', 'ok 2 1'];
  for (let i = 0; i < n; i++) lines.push(`c${i} inv ${10 + i} cas x [${50 + i}, 1]`, `info ${10 + i}`);
  lines.push('w inv 3 write x 2', 'ok 3', 'r inv 4 read x', `ok 4 ${last}`);
  return hist(lines.join('\n'));
}

describe('open ops that change nothing', () => {
  const casOpts = { ...opts, model: 'cas-register' as const };

  it('a violation after 20 timed-out no-op cas ops is found without trying every subset of them (2^20 without)', () => {
    const r = nonLinearizable(openNoOps(20, 1), casOpts);
    expect(r.verdict).toBe(false);
    expect(r.report.witnesses[0]!.ops[0]).toBe(4);
    expect(states(r)).toBeLessThan(200);
  });

  it('the same history with a read of the last write is linearizable', () => {
    const r = nonLinearizable(openNoOps(20, 2), casOpts);
    expect(r.verdict).toBe(true);
    expect(states(r)).toBeLessThan(200);
  });

  it('an open cas that does apply is still taken', () => {
    // cas 1 -> 3 timed out, and a later read sees 3: only that cas can explain it
    const h = hist(['w inv 1 write x 1', 'ok 1', 'c inv 2 cas x [1, 3]', 'info 2', 'r inv 3 read x', 'ok 3 3'].join('\n'));
    expect(nonLinearizable(h, casOpts).verdict).toBe(true);
  });
});

/**
 * `n` timed-out writes of values 1..n and `n` reads of them, all open across `m` completed
 * blind writes of 0; then a read of `last`.
 */
function openWritesAcrossBlindWrites(n: number, m: number, last: number): HistoryRecord[] {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) lines.push(`c${i} inv ${100 + i} write x ${i}`, `r${i} inv ${200 + i} read x`);
  for (let k = 0; k < m; k++) lines.push(`w inv ${300 + k} write x 0`, `ok ${300 + k}`);
  for (let i = 1; i <= n; i++) lines.push(`info ${100 + i}`, `ok ${200 + i} ${i}`);
  lines.push('z inv 400 read x', `ok 400 ${last}`);
  return hist(lines.join('\n'));
}

describe('open ops followed by ops they do not affect', () => {
  it('a violation is found trying each open write only right before an op it affects (12,757 states without, 5,318 with)', () => {
    const r = nonLinearizable(openWritesAcrossBlindWrites(6, 5, 9), opts);
    expect(r.verdict).toBe(false);
    expect(r.report.witnesses[0]!.ops).toContain(400);
    expect(states(r)).toBeLessThan(8_000);
  });

  it('the open write the last read sees is still taken after the blind writes', () => {
    expect(nonLinearizable(openWritesAcrossBlindWrites(6, 5, 3), opts).verdict).toBe(true);
    expect(nonLinearizable(openWritesAcrossBlindWrites(6, 5, 0), opts).verdict).toBe(true);
  });
});
