/**
 * `replsim/testing`: unit-test an engine with no network. `createHarness` runs an engine's
 * nodes and lets the test deliver, drop and duplicate messages, crash and restart nodes and
 * move time; `engineConfig` builds the config a module engine's factory receives.
 *
 * ```js
 * import { createHarness, engineConfig } from 'replsim/testing';
 * import make from './engine.mjs';
 *
 * const nodes = ['a/0', 'b/0'];
 * const h = createHarness(make(engineConfig(nodes, { wait_for: 'all' })), { nodes });
 * h.request('a/0', { op: 1, f: 'write', key: 'x', value: 1 });
 * h.deliverAll();
 * // h.replies: [{ node: 'a/0', op: 1, result: { type: 'ok', value: 1 }, t: 0 }]
 * ```
 */
import type { ModuleEngineConfig } from '../engines/module.js';
import type { WorkloadModel, WorkloadSpec } from '../scenario/types.js';
import { nodeId } from '../sim/ids.js';
import { topologyOf } from './harness.js';

export { createHarness, topologyOf, t } from './harness.js';
export type { Harness, HarnessOptions, Pending } from './harness.js';

/** Options of `engineConfig` besides the nodes and the settings. */
export interface EngineConfigOptions {
  /** the workload's data model (default `register`) */
  model?: WorkloadModel;
  read_from?: WorkloadSpec['read_from'];
  /** base one-way latency for `topology.baseLatency` (us); default 1 ms within a region, 50 ms across */
  latency_us?: (from: string, to: string) => number;
}

/**
 * The config a module engine's factory receives in a run, for these nodes (REGION/INDEX) and
 * settings (taken as given: a test passes the values the schema would produce).
 */
export function engineConfig<T extends Record<string, unknown>>(
  nodes: readonly string[],
  settings: T,
  opts: EngineConfigOptions = {},
): ModuleEngineConfig<T> {
  const latency = opts.latency_us;
  const topology = topologyOf(nodes.map(nodeId), latency ? (a, b) => latency(a, b) : undefined);
  return {
    spec: { type: 'module', path: '(harness)', path_as_written: '(harness)', settings, single_copy: false },
    model: opts.model ?? 'register',
    topology,
    ...(opts.read_from ? { read_from: opts.read_from } : {}),
    settings,
  };
}
