/**
 * Runs one resolved scenario: compiles it into a world, drives the kernel through the
 * workload, faults and settle, closes the history with `final` records, checks it and judges
 * the `expect` block. Errors are data: an unavailable engine is `{ ok: false }`, never a throw.
 */
import { createCheckSink, type CheckSink } from '../checker/index.js';
import type { CheckOptions, CheckReport } from '../checker/types.js';
import { ANOMALY_NAMES } from '../checker/types.js';
import { createEngine } from '../engines/index.js';
import { HistoryWriter } from '../history/writer.js';
import type { HistoryRecord } from '../history/types.js';
import { createKernel, describeStop } from '../sim/kernel.js';
import { stream } from '../sim/rng.js';
import { SEC } from '../sim/time.js';
import type { Scenario } from '../scenario/types.js';
import { evaluateExpectations } from '../scenario/expect.js';
import { expectValue } from './expect-values.js';
import { Network } from '../net/network.js';
import { INITIAL_STOCK } from '../workload/ops.js';
import { FaultInjector } from './faults.js';
import type { RunResult } from './result.js';
import { layoutOf, topologyOf } from './topology.js';
import { withOwnStrings } from './own-strings.js';
import { World, type Ev } from './world.js';
import type { HeapProbe } from './limits.js';
import type { CapacitySeries } from '../node/load-metrics.js';
import { routingMetrics, type RoutingMetrics } from '../traffic/left.js';
import type { AlertResult } from '../monitor/alerts.js';

export interface RunOptions {
  /** stream the history (JSONL) to this file (temp name, renamed when complete) */
  historyPath?: string;
  /** keep the records in the returned value (tests, reports) */
  keepHistory?: boolean;
  /** wall-clock reader, injected by the CLI (src/ may not read the clock itself) */
  wallClock?: () => number;
  /** skip the checker (hash-only runs such as determinism tests); anomalies are then n/a */
  check?: boolean;
  /**
   * Work bounds of the linearizability search (default: the checker's, DEFAULT_MAX_STATES and
   * DEFAULT_MAX_MEMO_BYTES). Never a time: a run's verdicts must not depend on the machine.
   * Tests pass tiny bounds to see that a search that stops is reported unknown, never zero.
   */
  linBudget?: { max_states?: number; max_memo_bytes?: number };
  /** heap reader for `limits.max_heap_mb`, injected by the CLI (src/ may not read the process itself) */
  heap?: HeapProbe;
}

export type RunOutcome =
  | { ok: true; result: RunResult; history?: HistoryRecord[]; capacity?: CapacitySeries }
  | { ok: false; error: string };

export function runScenario(input: Scenario, opts: RunOptions = {}): RunOutcome {
  const started = opts.wallClock?.();
  const s = withOwnStrings(input); // own-strings.ts says why
  const layout = layoutOf(s);
  const network = new Network(
    [
      ...layout.nodes.map((n) => ({ name: n.id as string, region: n.region })),
      ...layout.clients.map((c) => ({ name: `client:${c.id}`, region: c.region })),
    ],
    layout.regions,
    s.network,
    stream(s.seed, 'network'),
  );
  const topology = topologyOf(layout, (a, b) => network.baseLatency(a, b));
  // A module engine names the virtual time in its errors; the kernel is made after the engine.
  let virtualNow = (): number => 0;
  const lookup = createEngine(
    { spec: s.engine, model: s.workload.model, topology, read_from: s.workload.read_from },
    { now: () => virtualNow() },
  );
  if (!lookup.ok) return { ok: false, error: lookup.error };

  const end_us = s.duration_us + s.settle_us;
  const kernel = createKernel<Ev>({
    max_events: s.limits.max_events,
    max_queue: s.limits.max_queue,
    end_us,
  });
  // The checker ingests records as they are written and keeps only compact columns.
  virtualNow = () => kernel.now;
  const sink: CheckSink | undefined =
    opts.check === false
      ? undefined
      : createCheckSink(checkOptionsOf(s, opts.linBudget), expectedSize(s, layout));
  let history: HistoryWriter;
  try {
    history = new HistoryWriter(opts.historyPath, opts.keepHistory === true, sink);
  } catch (e) {
    return { ok: false, error: `cannot write history ${opts.historyPath}: ${(e as Error).message}` };
  }
  const world = new World({ scenario: s, layout, engine: lookup.engine, kernel, history, topology, network, ...(opts.heap ? { heap: opts.heap } : {}) });
  const faults = new FaultInjector(s, layout, world, kernel);
  world.onFault = faults.handle;
  world.onSettle = () => {
    // Clients stop issuing, the network heals, replication drains until the end.
    world.traffic.generating = false;
    faults.settle(kernel.now);
  };
  world.start();
  let outcome;
  try {
    outcome = kernel.run(world.dispatch);
  } catch (e) {
    history.abort();
    throw e;
  }
  const complete = outcome.stop.kind === 'drained' || outcome.stop.kind === 'end_time';
  const endT = complete ? end_us : kernel.now;
  world.closeOpen(endT);
  world.live(endT);
  world.finals(endT);
  const sha = history.finish();
  const simulated = opts.wallClock?.();

  const report = sink ? sink.finish() : uncheckedReport();
  const checked = opts.wallClock?.();
  const wall = started === undefined || checked === undefined ? null : (checked - started) / 1000;
  const metrics = {
    ...report.metrics,
    events: outcome.events,
    sim_seconds: endT / SEC,
    ...(wall === null ? {} : { wall_seconds: wall }),
    ...(started === undefined || simulated === undefined || checked === undefined
      ? {}
      : { wall_seconds_simulate: (simulated - started) / 1000, wall_seconds_check: (checked - simulated) / 1000 }),
    network: { ...network.stats },
    engine: mergeEngineMetrics(world.engineMetrics),
    ...capacityMetrics(world, endT),
    ...trafficMetrics(s, layout, world, endT),
  };
  const judged = evaluateExpectations(s.expect, (name) => expectValue(report.anomalies, metrics, name));
  // A run cut short by a limit judged only part of its traffic: its verdicts are not the
  // scenario's, so no expectation can be met on it (unknown is never a pass).
  const expect = complete
    ? judged
    : judged.map((x) => ({ ...x, met: false, why: `the run did not complete (${describeStop(outcome.stop)})` }));
  const result: RunResult = {
    scenario: s.name,
    seed: s.seed,
    engine: lookup.engine.name,
    ops: sink ? sink.summary() : counted(world.traffic.nextOp - 1),
    anomalies: report.anomalies,
    metrics,
    expect,
    history_sha256: sha,
    stop: { reason: describeStop(outcome.stop), complete },
    // A module engine that threw fails the run whatever its expect block says.
    passed: expect.every((x) => x.met) && lookup.threw?.() !== true,
  };
  const series = world.capacity?.series(endT);
  const base = opts.keepHistory ? { ok: true as const, result, history: history.records } : { ok: true as const, result };
  return series ? { ...base, capacity: series } : base;
}

/** `metrics.capacity` when some node has a capacity; nothing otherwise (results stay as they were). */
function capacityMetrics(world: World, end_us: number): { capacity?: unknown } {
  const m = world.capacity?.metrics(end_us);
  return m ? { capacity: m } : {};
}

/**
 * How a run checks its history: the scenario's model, sessions and promises, and the work
 * bounds of the linearizability search (no clock: the same scenario gives the same verdicts
 * on any machine). Exported so that a test can re-check a kept history the way a run does.
 */
export function checkOptionsOf(s: Scenario, linBudget?: RunOptions['linBudget']): CheckOptions {
  return {
    model: s.workload.model,
    sessions: s.workload.sessions,
    promisesNoSplitBrain: promisesNoSplitBrain(s),
    initialStock: INITIAL_STOCK,
    ...(linBudget ? { budget: workBounds(linBudget) } : {}),
  };
}

/** Only the work bounds of `b`, even if a caller passed more (a clock must not reach a run's checker). */
function workBounds(b: NonNullable<RunOptions['linBudget']>): NonNullable<RunOptions['linBudget']> {
  return {
    ...(b.max_states !== undefined ? { max_states: b.max_states } : {}),
    ...(b.max_memo_bytes !== undefined ? { max_memo_bytes: b.max_memo_bytes } : {}),
  };
}

/** What a run without the checker reports: every family not applicable, no metrics. */
function uncheckedReport(): CheckReport {
  const na = { applicable: false, count: null, witnesses: [], note: 'not checked' };
  const none = { p50: null, p99: null, max: null };
  return {
    anomalies: Object.fromEntries(ANOMALY_NAMES.map((n) => [n, { ...na }])) as unknown as CheckReport['anomalies'],
    metrics: {
      availability: null,
      availability_by_region: {},
      availability_during_faults: null,
      latency_ms: { read: none, write: none },
      replication_lag_ms: none,
      convergence_ms: null,
      rpo_ms: null,
      rto_ms: null,
      rto_ms_by_region: {},
    },
    linearizable: 'unknown',
  };
}

/**
 * Roughly how many ops and apply records the run will write (Poisson arrivals: the mean plus
 * 5%; about one write in two, applied at every node), so the checker allocates its columns once.
 */
function expectedSize(s: Scenario, layout: ReturnType<typeof layoutOf>): { ops: number; applies: number } {
  let rate_per_s = 0;
  for (const c of layout.clients) rate_per_s += c.rate_per_s;
  const ops = Math.ceil(rate_per_s * (s.duration_us / SEC) * 1.05) + s.workload.script.length + 1024;
  return { ops, applies: Math.ceil((ops * layout.nodes.length) / 2) };
}

/**
 * Engines that promise one logical copy, so two sides accepting writes for one key is a broken
 * promise worth counting: sync replication (its `split-brain` policy breaks the promise on
 * purpose, and the report shows what that costs), Raft, and async with home-region ownership.
 * Multi-master async makes no such promise: there `split_brain` is not applicable.
 */
function promisesNoSplitBrain(s: Scenario): boolean {
  switch (s.engine.type) {
    case 'sync':
    case 'raft':
      return true;
    case 'async':
      return s.engine.ownership === 'home';
    case 'module':
      return s.engine.single_copy;
    default:
      return false;
  }
}

/** Routing results, when the scenario routes (`routing` or `workload.failover`). */
function trafficMetrics(
  s: Scenario,
  layout: ReturnType<typeof layoutOf>,
  world: World,
  end_us: number,
): { routing?: RoutingMetrics; alert?: Record<string, AlertResult> } {
  const out: { routing?: RoutingMetrics; alert?: Record<string, AlertResult> } = {};
  if (s.routing || s.workload.failover) {
    const regionOf = (node: number): string => layout.nodes[node]?.region ?? '';
    const start = layout.clients.map((c) => c.homeNode);
    out.routing = routingMetrics(world.traffic.opsPerSecond, world.traffic.moves, start, regionOf, layout.regions, s.faults, s.duration_us);
  }
  if (world.alerts) out.alert = world.alerts.results(s.faults, end_us);
  return out;
}

/** Without the checker only the number of operations is known. */
function counted(total: number): RunResult['ops'] {
  return { total, ok: 0, fail: 0, info: 0 };
}

/** Per-node engine metrics → one object: `max_*` take the maximum, others add up. */
function mergeEngineMetrics(list: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of list) {
    for (const k of Object.keys(m).sort()) {
      const v = m[k] as number;
      const cur = out[k];
      out[k] = cur === undefined ? v : k.startsWith('max_') ? Math.max(cur, v) : cur + v;
    }
  }
  return out;
}
