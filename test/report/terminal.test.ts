// The terminal report says "unknown" or "n/a" with the reason where a family has no count,
// never "0" (CHECKING.md "Unknown is never zero").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRun } from '../../src/report/terminal.js';
import { runScenario } from '../../src/run/run.js';
import { loadScenario } from '../../src/scenario/load.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

describe('terminal report of null counts', () => {
  it('a stopped linearizability search reads "unknown" with its reason, and its expect is unmet with why', () => {
    // quorum-lwt-only's CAS keys need a search (distinct-value keys are decided without one)
    const l = loadScenario(join(SCENARIOS, 'quorum-lwt-only.yaml'));
    if (!l.ok) throw new Error('scenario');
    const out = runScenario(l.scenario, { linBudget: { max_states: 1 } });
    if (!out.ok) throw new Error(out.error);
    const text = renderRun(out.result, { color: false });
    expect(text).toMatch(/\n {2}non_linearizable +unknown\n {6}\(no verdict for \d+ of \d+ partitions/);
    expect(text).not.toMatch(/\n {2}non_linearizable +0/);
    expect(text).toMatch(/✗ non_linearizable 0 {2}\(got n\/a\)\n {6}unmet: unknown: no verdict/);
    // sessions are not sticky here: n/a with the would-be violations, not 0
    expect(text).toMatch(/\n {2}read_your_writes +n\/a \(\d+ would violate\)/);
    expect(text).toContain('Some expectations were not met.');
  });
});
