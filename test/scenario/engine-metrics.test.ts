/**
 * The table of engine metrics (src/scenario/engine-metrics.ts) that `expect: engine.*` names
 * are validated against is tied to what the engines really report: each engine type runs in
 * the settings that switch metrics on or off, and every reported name must be in the table for
 * that setting, and every name of the table must be reported by some run.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { ENGINE_METRICS, reportedEngineMetrics } from '../../src/scenario/engine-metrics.js';

const REGIONS = ['a', 'b', 'c'];

function engineMetricsOf(engine: string, workload = ''): { reported: string[]; allowed: string[] } {
  const yaml = `name: metrics
duration: 2s
settle: 1s
regions: { a: { nodes: 1 }, b: { nodes: 1 }, c: { nodes: 1 } }
network: { inter_region: { latency: 5ms } }
engine: ${engine}
workload:
  keys: 4
  clients: { a: { count: 1, rate: 20/s }, b: { count: 1, rate: 20/s }, c: { count: 1, rate: 20/s } }
${workload}`;
  const p = parseScenario(yaml, 'metrics.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const out = runScenario(p.scenario, { check: false });
  if (!out.ok) throw new Error(out.error);
  const s = p.scenario;
  const allowed = reportedEngineMetrics({ engine: s.engine, model: s.workload.model, read_from: s.workload.read_from }, REGIONS);
  return { reported: Object.keys(out.result.metrics.engine as Record<string, number>).sort(), allowed };
}

// module engines report metrics of their own (none declared: any engine.NAME is let through)
const SETTINGS: Record<Exclude<keyof typeof ENGINE_METRICS, 'module'>, Array<[string, string]>> = {
  async: [
    ['{ type: async }', ''],
    ['{ type: async, conflict: version-vector, coalesce: true }', '  read_from: quorum\n'],
    ['{ type: async, conflict: crdt, register: mv }', '  read_from: leader\n'],
  ],
  sync: [['{ type: sync }', '']],
  raft: [
    ['{ type: raft }', ''],
    ['{ type: raft, quiesce: false }', ''],
  ],
  quorum: [['{ type: quorum, consistency: { read: QUORUM, write: QUORUM } }', '']],
};

describe('engine metrics table', () => {
  it.each(Object.entries(SETTINGS))('matches what the %s engine reports', (type, settings) => {
    const seen = new Set<string>();
    for (const [engine, workload] of settings) {
      const { reported, allowed } = engineMetricsOf(engine, workload);
      // every reported name is declared for that setting
      expect(reported.filter((n) => !allowed.includes(n)), engine).toEqual([]);
      for (const n of reported) seen.add(n);
    }
    // every declared name is reported in some setting
    const declared = ENGINE_METRICS[type as keyof typeof ENGINE_METRICS].flatMap((m) =>
      m.name.includes('{REGION}') ? REGIONS.map((r) => m.name.replace('{REGION}', r)) : [m.name],
    );
    expect(declared.filter((n) => !seen.has(n))).toEqual([]);
  });
});
