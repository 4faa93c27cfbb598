/**
 * replsim's library API. The CLI is a thin layer on these functions.
 *
 * ```ts
 * import { loadScenario, runScenario } from 'replsim';
 * const loaded = loadScenario('scenarios/quickstart.yaml');
 * if (loaded.ok) { const run = runScenario(loaded.scenario); }
 * ```
 *
 * A scenario with a module engine (`engine: { type: module }`) is loaded with
 * `await prepareScenario(file)`, which also imports the module and checks its settings.
 */
export { loadScenario, parseScenario, formatError } from './scenario/load.js';
export type { LoadResult, ScenarioError } from './scenario/load.js';
export { runScenario } from './run/run.js';
export type { RunOptions, RunOutcome } from './run/run.js';
export type { RunResult } from './run/result.js';
export type { ExpectationResult } from './scenario/expect.js';
export { checkHistory } from './checker/index.js';
export type { CheckOptions, CheckReport, AnomalyReport, Witness, Metrics, SearchBounds, SearchWork } from './checker/types.js';
export type { Scenario } from './scenario/types.js';
export type { HistoryRecord } from './history/types.js';
export type { Engine, Ctx, ClientRequest, OpResult, EngineConfig, Effect, Timer, Topology, AdminAction } from './engines/engine.js';
// Users' own engines (`engine: { type: module }`): the factory's config, and loading by hand.
export type { ModuleEngineConfig } from './engines/module.js';
export type { Value, OpFn } from './history/types.js';
export type { NodeId, OpId, ClientId, RegionId } from './sim/ids.js';
export type { Micros } from './sim/time.js';
export type { Rng } from './sim/rng.js';
export { prepareScenario } from './run/prepare.js';
export { runSuite } from './suite/suite.js';
export { compareScenario } from './compare/compare.js';
export type { CompareReport, CompareRow } from './compare/compare.js';
export { parseEngineSettings } from './compare/settings.js';
export { renderRunHtml, renderCompareHtml, buildRunData } from './report/html/index.js';
export { createCheckSink } from './checker/index.js';
// Sweeps, shards and shrinking (src/sweep, src/shrink): the library side of `sweep`, `merge`, `shrink`.
export { planSweep } from './sweep/plan.js';
export type { SweepPlan, SweepHeader, Shard as SweepShard } from './sweep/plan.js';
export { runSweep } from './sweep/sweep.js';
export { summarize } from './sweep/summary.js';
export type { SweepSummary, SettingSummary, Rate } from './sweep/summary.js';
export { mergeRunsFiles, readRunsFile } from './sweep/runs-file.js';
export type { RunRecord } from './sweep/record.js';
export { parseSeeds, parseVary } from './sweep/values.js';
export { wilson } from './sweep/stats.js';
export { shrinkScenario, shrunkYaml } from './shrink/shrink.js';
export type { ShrinkReport, ShrinkOptions } from './shrink/shrink.js';
