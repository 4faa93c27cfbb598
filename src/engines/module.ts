/**
 * Engines from users' modules (`engine: { type: module, path, settings }`). Loading is async
 * (`import()`), a run is not: the CLI and the suite import the module once, before any run
 * (src/run/prepare.ts), and the run looks it up here by absolute path. So a run stays one
 * synchronous step loop, and a worker thread imports the module itself before its first job.
 *
 * A user's engine is held to the built-in engines' contract, checked where it can break:
 * the module must load and default-export a factory; the factory must return an object with
 * every required step method; and a step that throws stops the run as a broken `invariant`
 * naming the node, the input and the virtual time, never a stack trace from replsim.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleEngineSpec } from '../scenario/types.js';
import type { AdminAction, ClientRequest, Ctx, Engine, EngineConfig, Timer } from './engine.js';
import type { NodeId } from '../sim/ids.js';

/** What a module engine's factory receives: the built-in engines' config plus its own `settings`. */
export interface ModuleEngineConfig<T = Record<string, unknown>> extends EngineConfig {
  settings: T;
}

/** One settings problem: `path` inside `engine.settings`. */
export interface SettingsIssue {
  path: PropertyKey[];
  message: string;
  /** the problem is the key itself (an unknown field), not its value */
  atKey?: boolean;
}

export type SettingsCheck = { ok: true; value: Record<string, unknown> } | { ok: false; issues: SettingsIssue[] };

/** A loaded module: its factory and, when it exports `settings`, a check of the settings. */
export interface EngineModule {
  path: string;
  factory: (config: ModuleEngineConfig) => unknown;
  checkSettings?: (value: Record<string, unknown>) => SettingsCheck;
}

export type ModuleLoad = { ok: true; module: EngineModule } | { ok: false; error: string };

/** The step methods every engine has (engine.ts); `onAdmin` and `metrics` are optional. */
export const REQUIRED_METHODS = ['init', 'durable', 'onRequest', 'onMessage', 'onTimer', 'finalState'] as const;
const OPTIONAL_METHODS = ['onAdmin', 'metrics'] as const;

// Keyed by absolute path; only looked up, never iterated (no order to depend on).
const loading = new Map<string, Promise<ModuleLoad>>();
const loaded = new Map<string, EngineModule>();

/**
 * Imports the engine module at `path` (absolute) once per process; `shownAs` names it in
 * errors (the path as the scenario wrote it). Never rejects: errors are data.
 */
export function importEngineModule(path: string, shownAs: string = path): Promise<ModuleLoad> {
  let p = loading.get(path);
  if (!p) {
    p = importOnce(path, shownAs);
    loading.set(path, p);
  }
  return p;
}

/** The module imported for `path`, if `importEngineModule` has loaded it in this thread. */
export function loadedEngineModule(path: string): EngineModule | undefined {
  return loaded.get(path);
}

async function importOnce(path: string, shownAs: string): Promise<ModuleLoad> {
  const fail = (error: string): ModuleLoad => ({ ok: false, error: oneLine(error) });
  if (!existsSync(path)) return fail(`engine module ${shownAs}: no such file (${path})`);
  if (statSync(path).isDirectory()) return fail(`engine module ${shownAs}: is a directory, not a module file`);
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    return fail(`engine module ${shownAs} threw while loading: ${errorText(e)}`);
  }
  const factory = ns['default'];
  if (typeof factory !== 'function') {
    const got = factory === undefined ? 'it has no default export' : `its default export is ${kindOf(factory)}`;
    return fail(`engine module ${shownAs}: expected a default export (config) => Engine, but ${got}`);
  }
  const mod: EngineModule = { path, factory: factory as EngineModule['factory'] };
  if (ns['settings'] !== undefined) {
    const check = settingsChecker(ns['settings']);
    if (typeof check === 'string') return fail(`engine module ${shownAs}: ${check}`);
    mod.checkSettings = check;
  }
  loaded.set(path, mod);
  return { ok: true, module: mod };
}

/**
 * A check from the module's `settings` export: a zod schema (any version: `safeParse`), or
 * any Standard Schema (`~standard.validate`, synchronous). A string says why it is neither.
 */
function settingsChecker(schema: unknown): ((v: Record<string, unknown>) => SettingsCheck) | string {
  const s = schema as { safeParse?: unknown; '~standard'?: { validate?: unknown } } | null;
  if (s !== null && typeof s === 'object' && typeof s.safeParse === 'function') {
    const safeParse = s.safeParse.bind(s) as (v: unknown) => { success: boolean; data?: unknown; error?: { issues?: unknown[] } };
    return (v) => {
      const r = safeParse(v);
      if (r.success) return settingsValue(r.data);
      return { ok: false, issues: (r.error?.issues ?? []).flatMap(issueOf) };
    };
  }
  const validate = s !== null && typeof s === 'object' ? s['~standard']?.validate : undefined;
  if (typeof validate === 'function') {
    return (v) => {
      const r = validate(v) as { value?: unknown; issues?: unknown[]; then?: unknown };
      if (typeof r.then === 'function') return { ok: false, issues: [{ path: [], message: 'the module’s settings schema is asynchronous; replsim needs a synchronous one' }] };
      if (r.issues) return { ok: false, issues: r.issues.flatMap(issueOf) };
      return settingsValue(r.value);
    };
  }
  return `its \`settings\` export is ${kindOf(schema)}, not a schema (export a zod object schema: export const settings = z.object({...}))`;
}

function settingsValue(v: unknown): SettingsCheck {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return { ok: true, value: v as Record<string, unknown> };
  return { ok: false, issues: [{ path: [], message: 'the module’s settings schema must produce an object' }] };
}

/** A zod or Standard Schema issue → ours; zod's unknown keys become one issue per key. */
function issueOf(raw: unknown): SettingsIssue[] {
  const i = raw as { path?: unknown[]; message?: unknown; code?: unknown; keys?: unknown };
  const path = (i.path ?? []).map((seg) => (seg !== null && typeof seg === 'object' && 'key' in seg ? (seg as { key: PropertyKey }).key : seg)) as PropertyKey[];
  const message = typeof i.message === 'string' ? i.message : 'invalid value';
  if (i.code === 'unrecognized_keys' && Array.isArray(i.keys)) {
    return i.keys.map((k) => ({ path: [...path, String(k)], message: `unknown field "${String(k)}"`, atKey: true }));
  }
  return [{ path, message }];
}

/** Hooks a run gives a module engine: the true virtual time, for messages only. */
export interface ModuleHooks {
  now: () => number;
}

export type ModuleEngineLookup =
  | { ok: true; engine: Engine<any, any, any>; threw: () => boolean }
  | { ok: false; error: string };

/**
 * Builds the engine of a loaded module for one run: calls the factory, checks the methods,
 * and guards every step. Errors (not loaded, the factory throws, a method missing) are data.
 */
export function createModuleEngine(spec: ModuleEngineSpec, cfg: EngineConfig, hooks: ModuleHooks): ModuleEngineLookup {
  const shown = spec.path_as_written;
  const mod = loadedEngineModule(spec.path);
  if (!mod) return { ok: false, error: `engine module ${shown} is not loaded (load the scenario with prepareScenario, which imports it)` };
  let made: unknown;
  try {
    made = mod.factory({ ...cfg, settings: spec.settings });
  } catch (e) {
    return { ok: false, error: oneLine(`engine module ${shown}: the factory threw: ${errorText(e)}`) };
  }
  if (made === null || typeof made !== 'object') {
    return { ok: false, error: `engine module ${shown}: the factory returned ${kindOf(made)}, expected an engine object` };
  }
  const e = made as Record<string, unknown>;
  const missing = REQUIRED_METHODS.filter((m) => typeof e[m] !== 'function');
  if (missing.length > 0) {
    return {
      ok: false,
      error: `engine module ${shown}: the engine has no ${missing.join(', ')} method${missing.length > 1 ? 's' : ''} (an engine needs ${REQUIRED_METHODS.join(', ')})`,
    };
  }
  const wrong = OPTIONAL_METHODS.filter((m) => e[m] !== undefined && typeof e[m] !== 'function');
  if (wrong.length > 0) return { ok: false, error: `engine module ${shown}: ${wrong.join(', ')} must be a method when present` };
  const name = typeof e['name'] === 'string' && e['name'] !== '' ? e['name'] : `module/${basename(spec.path, extname(spec.path))}`;
  return guard(made as Engine<unknown, unknown, unknown>, name, hooks);
}

/**
 * The user's state, boxed with its node's ctx: `durable`, `finalState` and `metrics` get no
 * ctx, yet a throw there must still be reported against its node.
 */
interface Boxed {
  inner: unknown;
  ctx: Ctx<unknown>;
}

/**
 * Wraps every method so that a throw becomes a broken invariant (`ctx.invariant` records it and
 * stops the run after the step). After the first throw the run is over; only the final-state
 * reads still happen, and a node whose state the throw left broken contributes none.
 */
function guard(e: Engine<unknown, unknown, unknown>, name: string, hooks: ModuleHooks): ModuleEngineLookup {
  let threw = false;
  const report = (ctx: Ctx<unknown>, input: string, err: unknown): void => {
    const first = !threw;
    threw = true;
    if (first) ctx.invariant(oneLine(`engine threw at ${ctx.self} in ${input} at ${seconds(hooks.now())}: ${errorText(err)}`));
  };
  const engine: Engine<Boxed, unknown, unknown> = {
    name,
    init(self: NodeId, durable: unknown, ctx: Ctx<unknown>): Boxed {
      const box: Boxed = { inner: undefined, ctx };
      try {
        box.inner = e.init(self, durable, ctx);
      } catch (err) {
        report(ctx, durable === undefined ? 'init (start)' : 'init (restart)', err);
      }
      return box;
    },
    durable(s: Boxed): unknown {
      try {
        return e.durable(s.inner);
      } catch (err) {
        report(s.ctx, 'durable (at a crash)', err);
        return undefined;
      }
    },
    onRequest(s: Boxed, req: ClientRequest, ctx: Ctx<unknown>): void {
      try {
        e.onRequest(s.inner, req, ctx);
      } catch (err) {
        report(ctx, `onRequest (op ${req.op} ${req.f} ${req.key}${req.value === undefined ? '' : ` ${brief(req.value)}`} from client ${req.client})`, err);
      }
    },
    onMessage(s: Boxed, from: NodeId, msg: unknown, ctx: Ctx<unknown>): void {
      try {
        e.onMessage(s.inner, from, msg, ctx);
      } catch (err) {
        report(ctx, `onMessage (from ${from}: ${brief(msg)})`, err);
      }
    },
    onTimer(s: Boxed, timer: Timer, ctx: Ctx<unknown>): void {
      try {
        e.onTimer(s.inner, timer, ctx);
      } catch (err) {
        report(ctx, `onTimer (${brief(timer)})`, err);
      }
    },
    finalState(s: Boxed) {
      if (threw) return safeFinal(e, s);
      try {
        return e.finalState(s.inner);
      } catch (err) {
        report(s.ctx, 'finalState', err);
        return [];
      }
    },
  };
  if (e.onAdmin) {
    const onAdmin = e.onAdmin.bind(e);
    engine.onAdmin = (s: Boxed, action: AdminAction, ctx: Ctx<unknown>) => {
      try {
        onAdmin(s.inner, action, ctx);
      } catch (err) {
        report(ctx, `onAdmin (${action.kind} ${action.target})`, err);
      }
    };
  }
  if (e.metrics) {
    const metrics = e.metrics.bind(e);
    engine.metrics = (s: Boxed) => {
      try {
        return metrics(s.inner);
      } catch (err) {
        if (!threw) report(s.ctx, 'metrics', err);
        return {};
      }
    };
  }
  return { ok: true, engine, threw: () => threw };
}

/** After a throw: a node's final state if it can still give one, else none. */
function safeFinal(e: Engine<unknown, unknown, unknown>, s: Boxed) {
  try {
    return e.finalState(s.inner);
  } catch {
    return [];
  }
}

const MAX_BRIEF_CHARS = 160;

/** An input in a few words, for the invariant message (never throws: cycles, BigInts). */
function brief(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > MAX_BRIEF_CHARS ? `${text.slice(0, MAX_BRIEF_CHARS)}…` : text;
}

function seconds(t_us: number): string {
  return `t=${(t_us / 1e6).toFixed(6).replace(/\.?0+$/, '')}s`;
}

/** An exception's name and message in one line (no stack: it is the user's, printed elsewhere on demand). */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return `threw ${brief(e)}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
