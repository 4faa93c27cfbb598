// A run that throws is a failed job whose error says what and where, in one line.
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/suite/job.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario, WorkloadModel } from '../../src/scenario/types.js';
import { tinyScenario } from './fixtures.js';

describe('runJob', () => {
  it('a run that throws: the message, then where, paths from src/ on', () => {
    const l = parseScenario(tinyScenario('job-crash'), 'job-crash.yaml');
    if (!l.ok) throw new Error('tiny scenario did not load');
    const broken: Scenario = { ...l.scenario, workload: { ...l.scenario.workload, model: 'queue' as WorkloadModel, mix: { read: 1 } } };
    const r = runJob({ id: 7, scenario: broken });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.id).toBe(7);
    expect(r.error).toMatch(/^internal error: .+ \(at \S+ \(src\/[^)]+\.ts:\d+:\d+\)( < [^<]+){2}\)$/);
    expect(r.error).not.toContain('\n');
  });
});
