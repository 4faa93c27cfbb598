/**
 * A run (scenario, result, history) → the data its page draws: lanes, fault bands, bucketed
 * series, the embedded detail ops and the anomaly list. Pure: the same input gives the same
 * data, so pages of the same seed are identical.
 */
import { faultWindows, type FaultWindow } from '../../checker/faults.js';
import type { History } from '../../checker/ops.js';
import { ANOMALY_NAMES } from '../../checker/types.js';
import type { HistoryRecord } from '../../history/types.js';
import type { RunResult } from '../../run/result.js';
import { formatMicros } from '../../sim/time.js';
import type { Scenario } from '../../scenario/types.js';
import { columnsOf, type Columns } from './columns.js';
import { DEFAULT_MAX_DETAIL_OPS, detailOf } from './detail.js';
import { seriesOf } from './series.js';
import { convergenceNa, orNa, rpoNa, RTO_NA } from '../na-reasons.js';
import type { AnomalyGroup, Band, Lane, RunData, SummaryRow } from './types.js';
import type { CapacitySeries } from '../../node/load-metrics.js';

export interface RunInput {
  scenario: Scenario;
  /** the scenario file's text, shown on the page */
  source: string;
  result: RunResult;
  history: readonly HistoryRecord[];
  /** budget of ops drawn one by one (default 40 000) */
  maxDetailOps?: number;
  /** node capacity over time (runOutcome.capacity), charted when present */
  capacity?: CapacitySeries;
}

/** What each family means, in one sentence (CHECKING.md). */
export const ANOMALY_MEANING: Record<string, string> = {
  divergence: 'After settle, replicas of a key hold different values.',
  lost_update: 'An acknowledged write that the final converged state does not reflect.',
  aborted_read: 'A read or a replica saw the value of a write that failed (definitely did not happen).',
  stale_read: 'A read returned an older value although a newer write had been acknowledged before the read began.',
  read_your_writes: "A client's read missed a write the same client had already had acknowledged.",
  monotonic_read: 'A client read an older value after having read a newer one.',
  non_linearizable: 'No single order of the operations on a key explains what the clients saw.',
  invariant: 'A domain or engine safety rule was broken (oversell, two leaders, a lost commit...).',
  split_brain: 'Both sides of a partition accepted writes for the same key under an engine that promised not to.',
};

export function buildRunData(input: RunInput): RunData {
  const { scenario: s, result: r, history } = input;
  const lanes = lanesOf(s);
  const laneIndex = new Map(lanes.map((l, i) => [l.node, i]));
  const cols = columnsOf(history, laneIndex);
  const end_us = Math.max(cols.end_t, s.duration_us + s.settle_us);
  const windows = faultWindows({ faults: cols.faults, end_t: end_us } as unknown as History);
  const anomalies = anomalyGroups(r);
  const witnessOps = anomalies.flatMap((a) => a.witnesses.flatMap((w) => w.ops));
  const anchors = [
    0,
    ...windows.flatMap((w) => [w.start_t, w.end_t]),
    ...witnessOps.map((id) => {
      const i = cols.indexOf(id);
      return i >= 0 ? (cols.op_t[i] as number) : NaN;
    }),
  ];
  return {
    name: s.name,
    description: s.description,
    seed: r.seed,
    engine: r.engine,
    source: input.source,
    end_us,
    duration_us: s.duration_us,
    ops: { ...r.ops },
    passed: r.passed,
    stop: r.stop.reason,
    history_sha256: r.history_sha256,
    expect: r.expect.map((e) => ({ name: e.name, want: e.want, got: e.got, met: e.met })),
    summary: summaryOf(r),
    metrics: flatMetrics(r),
    lanes,
    bands: windows.map((w) => bandOf(w, laneIndex, lanes)),
    series: seriesOf(cols, lanes.length, end_us),
    detail: detailOf(cols, history, end_us, {
      max_ops: input.maxDetailOps ?? DEFAULT_MAX_DETAIL_OPS,
      anchors_us: anchors,
      must_ops: witnessOps,
    }),
    anomalies,
    ...(input.capacity ? { capacity: input.capacity } : {}),
  };
}

/** One lane per node, regions in the scenario's order, with each node's configured clock. */
export function lanesOf(s: Scenario): Lane[] {
  const lanes: Lane[] = [];
  for (const region of Object.keys(s.regions)) {
    const spec = s.regions[region];
    if (!spec) continue;
    for (let i = 0; i < spec.nodes; i++) {
      const node = `${region}/${i}`;
      const clock = s.clocks[node] ?? spec.clock;
      lanes.push({ node, region, offset_us: clock.offset_us, drift_ppm: clock.drift_ppm });
    }
  }
  return lanes;
}

export function anomalyGroups(r: RunResult): AnomalyGroup[] {
  return ANOMALY_NAMES.map((name) => {
    const a = r.anomalies[name];
    return {
      name,
      count: a.count,
      applicable: a.applicable,
      unknown: a.unknown === true,
      note: a.note ?? null,
      would_violate: a.would_violate ?? null,
      meaning: ANOMALY_MEANING[name] ?? '',
      witnesses: a.witnesses.map((w) => ({
        ops: [...w.ops],
        explanation: w.explanation,
        key: w.key ?? null,
        times_us: [...(w.times_us ?? [])],
      })),
    };
  });
}

function bandOf(w: FaultWindow, laneIndex: Map<string, number>, lanes: Lane[]): Band {
  const rec = w.record;
  const targetLanes = (t: unknown): number[] | null => {
    if (typeof t !== 'string') return null;
    const out: number[] = [];
    lanes.forEach((l, i) => {
      if (l.node === t || l.region === t || (t.endsWith('/*') && l.region === t.slice(0, -2))) out.push(i);
    });
    return out.length ? out : null;
  };
  let label = w.kind;
  let bandLanes: number[] | null = null;
  switch (w.kind) {
    case 'partition': {
      const g = rec['groups'];
      label = Array.isArray(g) ? `partition ${g.map((x) => (Array.isArray(x) ? x.join('+') : String(x))).join(' | ')}` : 'partition';
      break;
    }
    case 'isolate':
      label = `isolate ${String(rec['target'])}`;
      break;
    case 'one_way':
      label = `one-way cut ${String(rec['from'])} → ${String(rec['to'])}`;
      break;
    case 'slow': {
      const b = rec['between'];
      const lat = rec['latency_us'];
      label = `slow ${Array.isArray(b) ? b.join(' ↔ ') : ''}${typeof lat === 'number' ? ` ${formatMicros(lat)}` : ''}`;
      break;
    }
    case 'crash': {
      const nodes = rec['nodes'];
      bandLanes = Array.isArray(nodes)
        ? nodes.map((n) => laneIndex.get(String(n))).filter((x): x is number => x !== undefined)
        : targetLanes(rec['target']);
      label = `crash ${String(rec['target'])}${rec['lose_volatile'] ? ' (volatile lost)' : ''}`;
      break;
    }
    case 'clock': {
      bandLanes = targetLanes(rec['node']);
      const off = rec['offset_us'];
      const drift = rec['drift_ppm'];
      label = `clock ${String(rec['node'])}${typeof off === 'number' ? ` offset ${formatMicros(off)}` : ''}${typeof drift === 'number' ? ` drift ${drift} ppm` : ''}`;
      break;
    }
    case 'remove':
      bandLanes = targetLanes(rec['target']);
      label = `removed ${String(rec['target'])}`;
      break;
    default:
      bandLanes = targetLanes(w.target);
      label = `${w.kind}${w.target ? ` ${w.target}` : ''}`;
  }
  return { kind: w.kind, label, start_us: w.start_t, end_us: w.end_t, closed: w.closed, lanes: bandLanes };
}

function summaryOf(r: RunResult): SummaryRow[] {
  const m = r.metrics;
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const ms = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
  const rows: SummaryRow[] = [
    { label: 'operations', value: `${r.ops.total} (${r.ops.ok} ok, ${r.ops.fail} fail, ${r.ops.info} unknown)` },
    { label: 'availability', value: `${pct(m.availability)} (during faults ${pct(m.availability_during_faults)})` },
    { label: 'read latency p50 / p99', value: `${ms(m.latency_ms.read.p50)} / ${ms(m.latency_ms.read.p99)}` },
    { label: 'write latency p50 / p99', value: `${ms(m.latency_ms.write.p50)} / ${ms(m.latency_ms.write.p99)}` },
    {
      label: 'replication lag p50 / p99 / max',
      value: `${ms(m.replication_lag_ms.p50)} / ${ms(m.replication_lag_ms.p99)} / ${ms(m.replication_lag_ms.max)}`,
    },
    { label: 'convergence after heal', value: orNa(m.convergence_ms, ms, convergenceNa(r)) },
    { label: 'RPO / RTO', value: `${orNa(m.rpo_ms, ms, rpoNa(r))} / ${orNa(m.rto_ms, ms, RTO_NA)}` },
  ];
  const net = m['network'] as Record<string, number> | undefined;
  if (net && typeof net === 'object') {
    rows.push({
      label: 'messages',
      value: `${net['sent'] ?? 0} sent, ${net['delivered'] ?? 0} delivered, ${(net['dropped_cut'] ?? 0) + (net['dropped_loss'] ?? 0)} dropped`,
    });
  }
  if (typeof m['events'] === 'number') rows.push({ label: 'events', value: String(m['events']) });
  return rows;
}

/** Numbers for the compare table, by stable names. */
export function flatMetrics(r: RunResult): Record<string, number | null> {
  const m = r.metrics;
  const out: Record<string, number | null> = {
    availability: m.availability,
    availability_during_faults: m.availability_during_faults,
    'latency_ms.read.p50': m.latency_ms.read.p50,
    'latency_ms.read.p99': m.latency_ms.read.p99,
    'latency_ms.write.p50': m.latency_ms.write.p50,
    'latency_ms.write.p99': m.latency_ms.write.p99,
    'replication_lag_ms.p50': m.replication_lag_ms.p50,
    'replication_lag_ms.p99': m.replication_lag_ms.p99,
    convergence_ms: m.convergence_ms,
    rpo_ms: m.rpo_ms,
    rto_ms: m.rto_ms,
  };
  for (const name of ANOMALY_NAMES) out[name] = r.anomalies[name].count;
  return out;
}

export type { Columns };
