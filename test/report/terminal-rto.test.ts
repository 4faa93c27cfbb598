import { describe, expect, it } from 'vitest';
import { checkHistory, summarizeOps } from '../../src/checker/index.js';
import { renderRun } from '../../src/report/terminal.js';
import type { RunResult } from '../../src/run/result.js';
import type { HistoryRecord } from '../../src/history/types.js';
import { history, s } from '../checker/builders.js';

function render(records: HistoryRecord[], model: 'register' | 'counter'): string {
  const rep = checkHistory(records, { model });
  const result: RunResult = {
    scenario: 't',
    seed: 1,
    engine: 'x',
    ops: summarizeOps(records),
    anomalies: rep.anomalies,
    metrics: rep.metrics,
    expect: [],
    history_sha256: '',
    stop: { reason: 'ran to completion', complete: true },
    passed: true,
  };
  return renderRun(result, { color: false });
}

describe('terminal report: RPO and RTO say what they are (issue 13.12)', () => {
  it('names the slowest region beside the RTO', () => {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['a'], ['b']] });
    h.fault(s(20), 'end', { id: 1 });
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 1, at: s(6), fail: s(6.1) });
    h.write('a/0', 'k', 2, s(21), s(21.5));
    h.op({ client: 'b/0', f: 'write', key: 'j', value: 3, at: s(6), fail: s(6.1) });
    h.write('b/0', 'j', 4, s(7), s(7.2));
    const line = render(h.records(), 'register').split('\n').find((l) => l.includes('RTO:'));
    expect(line).toMatch(/RTO: 16500 ms \(a\)$/);
  });

  it('marks an RPO that is only an upper bound', () => {
    const h = history();
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(1), ok: s(1.01) });
    h.op({ client: 'a/0', f: 'add', key: 'c', value: 1, at: s(2), ok: s(2.01) });
    h.final('c', { 'a/0': 1 });
    const line = render(h.records(), 'counter').split('\n').find((l) => l.includes('RPO:'));
    expect(line).toMatch(/RPO: at most 1010 ms /);
  });
});

/** The report's recovery line (convergence, RPO, RTO) for a register history. */
function convergenceLine(records: HistoryRecord[]): string {
  return render(records, 'register')
    .split('\n')
    .find((l) => l.includes('convergence after heal')) as string;
}

describe('terminal report: a missing recovery figure says why', () => {
  it('gives the reason for each n/a of a black-box history where nothing failed', () => {
    const h = history();
    h.read('a/0', 'k', null, s(1), s(1.1));
    const l = convergenceLine(h.records());
    expect(l).toContain('RTO: n/a (no write failed in an outage)');
    expect(l).toContain('RPO: n/a (lost updates not judged)');
    expect(l).toMatch(/convergence after heal: n\/a \(divergence not judged\)/);
    expect(l).not.toMatch(/n\/a {2}/); // never a bare n/a
  });

  it('says no write was acknowledged, and that nothing healed, when the replicas are known', () => {
    const h = history();
    h.read('a/0', 'k', null, s(1), s(1.1));
    h.final('k', { 'a/0': null, 'b/0': null });
    const l = convergenceLine(h.records());
    expect(l).toContain('RPO: n/a (no acknowledged write)');
    expect(l).toContain('convergence after heal: n/a (no network fault healed)');
  });

  it('says the replicas still disagree when they do', () => {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['a'], ['b']] });
    h.fault(s(20), 'end', { id: 1 });
    h.write('a/0', 'k', 2, s(21), s(21.5));
    h.final('k', { 'a/0': 2, 'b/0': null });
    const l = convergenceLine(h.records());
    expect(l).toContain('convergence after heal: n/a (replicas still disagree)');
  });

  it('prints figures, not reasons, when the metrics exist', () => {
    const h = history();
    h.fault(s(5), 'partition', { id: 1, groups: [['a'], ['b']] });
    h.fault(s(20), 'end', { id: 1 });
    h.op({ client: 'a/0', f: 'write', key: 'k', value: 1, at: s(6), fail: s(6.1) });
    h.write('a/0', 'k', 2, s(21), s(21.5));
    const l = convergenceLine(h.records());
    expect(l).toMatch(/RTO: 16500 ms/);
    expect(l).not.toContain('RTO: n/a');
  });
});
