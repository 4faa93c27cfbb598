/**
 * A scenario under another engine setting: the scenario's YAML with its `engine` section
 * replaced, validated by the same schema as any scenario file, so a setting that does not
 * fit the scenario (too few nodes for Raft, a witness region that does not exist) is an
 * error as data, and everything but the engine (seed, workload, network, faults) is identical.
 */
import { parse } from 'yaml';
import { formatPath } from '../scenario/load.js';
import { SCENARIO_PARSE_OPTIONS, scenarioSchema } from '../scenario/schema.js';
import type { Scenario } from '../scenario/types.js';
import type { EngineSetting } from './settings.js';

export type Applied = { ok: true; scenario: Scenario } | { ok: false; error: string };

/**
 * `source` is the text of a scenario file that loaded without errors. When the scenario's
 * engine is of the setting's type its other settings are kept (an async scenario's batch
 * size stays); otherwise the type's defaults apply. `seed` overrides the scenario's seed.
 */
export function withEngineSetting(source: string, setting: EngineSetting, seed?: number): Applied {
  const read = readScenarioText(source);
  if (!read.ok) return read;
  return validateRaw(withSettingRaw(read.raw, setting), seed);
}

/** A loaded scenario's text as YAML data, to rewrite one section of it. */
export function readScenarioText(source: string): { ok: true; raw: Record<string, unknown> } | { ok: false; error: string } {
  try {
    return { ok: true, raw: parse(source, { version: '1.2', merge: false }) as Record<string, unknown> };
  } catch (e) {
    return { ok: false, error: `cannot read the scenario: ${(e as Error).message}` };
  }
}

/** Rewritten scenario data through the same schema as a file; its errors on one line. */
export function validateRaw(raw: Record<string, unknown>, seed?: number): Applied {
  const parsed = scenarioSchema.safeParse(raw, SCENARIO_PARSE_OPTIONS);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => {
      const path = formatPath(i.path);
      return path ? `${path}: ${i.message.replace(/\s*\n\s*/g, '; ')}` : i.message;
    });
    return { ok: false, error: [...new Set(msgs)].join('; ') };
  }
  return { ok: true, scenario: seed === undefined ? parsed.data : { ...parsed.data, seed } };
}

/**
 * The scenario's plain (YAML) object with its `engine` section replaced by `setting`, before
 * validation; shared with `sweep --vary engine=…`, which validates it the same way.
 */
export function withSettingRaw(raw: Record<string, unknown>, setting: EngineSetting): Record<string, unknown> {
  const own = (raw.engine ?? {}) as Record<string, unknown>;
  const engine: Record<string, unknown> = own.type === setting.type ? { ...own } : { type: setting.type };
  for (const k of setting.unset) delete engine[k];
  Object.assign(engine, setting.set);
  if (engine.on_failure === 'witness' && engine.witness === undefined) {
    // The witness arbitrates from a region of its own: by default the last one declared.
    const regions = Object.keys((raw.regions ?? {}) as Record<string, unknown>);
    if (regions.length > 0) engine.witness = regions[regions.length - 1];
  }
  // `engine.*` expectations name metrics of the scenario's own engine type (checked per type),
  // which another type does not report: they do not apply to the other setting.
  const expect = own.type === setting.type ? raw.expect : withoutEngineExpectations(raw.expect);
  return { ...raw, engine, ...(expect === undefined ? {} : { expect }) };
}

function withoutEngineExpectations(expect: unknown): unknown {
  if (expect === null || typeof expect !== 'object' || Array.isArray(expect)) return expect;
  return Object.fromEntries(Object.entries(expect).filter(([k]) => !k.startsWith('engine.')));
}
