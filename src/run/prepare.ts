/**
 * The async half of loading a scenario: a module engine (`engine: { type: module }`) is
 * imported here, once, and its `settings` checked against the module's own schema with the
 * same `file:line:col field: message` errors as the built-in fields. Runs stay synchronous:
 * they find the imported module by path (src/engines/module.ts).
 *
 * ```ts
 * const loaded = await prepareScenario('examples/primary-backup/failover.yaml');
 * if (loaded.ok) runScenario(loaded.scenario);
 * ```
 */
import { createModuleEngine, importEngineModule } from '../engines/module.js';
import { layoutOf, topologyOf } from './topology.js';
import { loadScenario, locateErrors, type LoadOptions, type LoadResult } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';

/** `loadScenario`, then imports a module engine and validates its settings. Never rejects. */
export async function prepareScenario(path: string, opts: LoadOptions = {}): Promise<LoadResult> {
  return prepareLoaded(loadScenario(path, opts), path);
}

/** The module step of `prepareScenario` for an already loaded (or parsed) scenario. */
export async function prepareLoaded(loaded: LoadResult, file: string): Promise<LoadResult> {
  if (!loaded.ok || loaded.scenario.engine.type !== 'module') return loaded;
  const spec = loaded.scenario.engine;
  const imported = await importEngineModule(spec.path, spec.path_as_written);
  if (!imported.ok) {
    return { ok: false, errors: locateErrors(loaded.source, file, [{ path: ['engine', 'path'], message: imported.error }]) };
  }
  const check = imported.module.checkSettings;
  if (!check) return withEngineChecked(loaded, file);
  let r;
  try {
    r = check(spec.settings);
  } catch (e) {
    const message = `the module's settings schema threw: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, errors: locateErrors(loaded.source, file, [{ path: ['engine', 'settings'], message }]) };
  }
  if (!r.ok) {
    const problems = r.issues.map((i) => ({ path: ['engine', 'settings', ...i.path], message: i.message, ...(i.atKey ? { atKey: true } : {}) }));
    return { ok: false, errors: locateErrors(loaded.source, file, problems) };
  }
  const scenario: Scenario = { ...loaded.scenario, engine: { ...spec, settings: r.value } };
  return withEngineChecked({ ...loaded, scenario }, file);
}

/**
 * Builds the module's engine once for this scenario's nodes (as a run would, latencies aside)
 * so that `validate` also refuses a factory that throws or an engine without a step method.
 */
function withEngineChecked(loaded: LoadResult & { ok: true }, file: string): LoadResult {
  const s = loaded.scenario;
  if (s.engine.type !== 'module') return loaded;
  const topology = topologyOf(layoutOf(s), () => 0);
  const made = createModuleEngine(s.engine, { spec: s.engine, model: s.workload.model, topology, read_from: s.workload.read_from }, { now: () => 0 });
  if (made.ok) return loaded;
  return { ok: false, errors: locateErrors(loaded.source, file, [{ path: ['engine', 'path'], message: made.error }]) };
}

/**
 * Imports the module engine a resolved scenario names, in this thread (a worker thread
 * calls it before running a scenario that the main thread prepared). No-op for built-ins.
 */
export async function ensureEngineModule(s: Scenario): Promise<{ ok: true } | { ok: false; error: string }> {
  if (s.engine.type !== 'module') return { ok: true };
  const r = await importEngineModule(s.engine.path, s.engine.path_as_written);
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}
