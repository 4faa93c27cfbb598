/**
 * A sweep's plan: the grid of settings (`--vary`, several as a cartesian product, the first
 * outermost), the seeds, and the run order (point-major, then seed) that numbers every run.
 * The run number is what `--shard k/n` slices and what `merge` joins on, so it depends only on
 * the command line and the file, never on workers or timing.
 *
 * Every grid point is applied to the scenario as written and validated by the scenario
 * schema before anything runs: a bad path or value is one error naming the `--vary`.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { withSettingRaw } from '../compare/apply.js';
import { parseEngineSettings } from '../compare/settings.js';
import { formatPath } from '../scenario/load.js';
import { SCENARIO_PARSE_OPTIONS, scenarioSchema } from '../scenario/schema.js';
import type { Scenario } from '../scenario/types.js';
import { parseFieldPath, setAtPath } from './field-path.js';
import { drawSwarm, type SwarmDraw, type SwarmWorld } from './swarm.js';
import { swarmSchema, type SwarmSpec } from './swarm-schema.js';
import type { Parsed, SeedRange, Vary, VaryValue } from './values.js';

/** Most runs one sweep may plan (grid points × seeds). */
export const MAX_RUNS = 10_000_000;

/** Which slice of the runs: run i belongs to shard ((i mod count) + 1). */
export interface Shard {
  index: number;
  count: number;
}

/** The first line of a runs file: what was swept. Shards of one sweep differ only in `shard`. */
export interface SweepHeader {
  type: 'sweep';
  format: 1;
  scenario: string;
  /** the scenario file as given */
  file: string;
  /** of the file's bytes: shards of different files are not merged */
  source_sha256: string;
  seeds: SeedRange;
  vary: Array<{ path: string; values: VaryValue[] }>;
  swarm: boolean;
  /** runs in the whole sweep (all shards) */
  runs: number;
  shard?: Shard;
}

/** One grid point: a setting of every varied field. */
export interface Point {
  index: number;
  settings: Record<string, VaryValue>;
  /** `a=1 b=2`, or `(as written)` when nothing is varied */
  label: string;
  /** the scenario's plain object with the point applied */
  raw: Record<string, unknown>;
  /** validated; swarm runs validate per seed instead */
  scenario: Scenario;
}

export interface SweepPlan {
  header: SweepHeader;
  points: Point[];
  swarm?: { spec: SwarmSpec; world: SwarmWorld };
}

export interface PlanInput {
  file: string;
  source: string;
  seeds: SeedRange;
  varies: readonly Vary[];
  swarm: boolean;
}

/** Builds and validates the plan; errors name the `--vary` (or the swarm section) at fault. */
export function planSweep(input: PlanInput): Parsed<SweepPlan> {
  let raw: Record<string, unknown>;
  try {
    raw = parse(input.source, { version: '1.2', merge: false }) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `${input.file}: cannot read the scenario: ${(e as Error).message}` };
  }
  const paths = new Set<string>();
  for (const v of input.varies) {
    if (paths.has(v.path)) return { ok: false, error: `--vary ${v.path}: varied twice; list every value in one --vary` };
    paths.add(v.path);
  }
  const seedCount = input.seeds.last - input.seeds.first + 1;
  const pointCount = input.varies.reduce((n, v) => n * v.values.length, 1);
  if (pointCount * seedCount > MAX_RUNS) return { ok: false, error: `${pointCount} settings × ${seedCount} seeds is more than ${MAX_RUNS} runs` };

  let swarm: SweepPlan['swarm'];
  if (input.swarm) {
    if (raw.swarm === undefined) return { ok: false, error: `--swarm: ${input.file} has no swarm: section (see docs/reference/scenario.md)` };
    const spec = swarmSchema.safeParse(raw.swarm, SCENARIO_PARSE_OPTIONS);
    if (!spec.success) return { ok: false, error: `${input.file}: swarm: ${issuesText(spec.error.issues)}` };
    swarm = { spec: spec.data, world: worldOf(raw) };
  }

  const points: Point[] = [];
  for (let p = 0; p < pointCount; p++) {
    // Mixed radix, the last --vary fastest: the first --vary is the outer loop.
    const settings: Record<string, VaryValue> = {};
    let rest = p;
    const picks: Array<{ vary: Vary; value: VaryValue }> = [];
    for (let k = input.varies.length - 1; k >= 0; k--) {
      const v = input.varies[k] as Vary;
      picks.unshift({ vary: v, value: v.values[rest % v.values.length] as VaryValue });
      rest = Math.floor(rest / v.values.length);
    }
    for (const { vary, value } of picks) settings[vary.path] = value;
    const applied = applySettings(raw, picks.map(({ vary, value }) => ({ path: vary.path, value })));
    if (!applied.ok) return applied;
    const valid = validate(applied.value);
    if (!valid.ok) return { ok: false, error: `${blame(picks, valid.paths)}: ${valid.error}` };
    const label = picks.length === 0 ? '(as written)' : picks.map(({ vary, value }) => `${vary.path}=${String(value)}`).join(' ');
    points.push({ index: p, settings, label, raw: applied.value, scenario: valid.value });
  }
  const first = points[0] as Point;
  const header: SweepHeader = {
    type: 'sweep',
    format: 1,
    scenario: first.scenario.name,
    file: input.file,
    source_sha256: createHash('sha256').update(input.source).digest('hex'),
    seeds: input.seeds,
    vary: input.varies.map((v) => ({ path: v.path, values: v.values })),
    swarm: input.swarm,
    runs: pointCount * seedCount,
  };
  return { ok: true, value: { header, points, ...(swarm ? { swarm } : {}) } };
}

/** Point and seed of run `i`. */
export function runAt(plan: SweepPlan, i: number): { point: Point; seed: number } {
  const seeds = plan.header.seeds.last - plan.header.seeds.first + 1;
  return { point: plan.points[Math.floor(i / seeds)] as Point, seed: plan.header.seeds.first + (i % seeds) };
}

/** The run numbers of a shard, in order (all runs without a shard). */
export function shardRuns(total: number, shard?: Shard): number[] {
  const out: number[] = [];
  if (!shard) {
    for (let i = 0; i < total; i++) out.push(i);
    return out;
  }
  // Round-robin: every shard gets every setting and a spread of seeds, so shards take similar time.
  for (let i = shard.index - 1; i < total; i += shard.count) out.push(i);
  return out;
}

/** The scenario of run `i`, with the swarm's draw when swarming. */
export function scenarioOf(plan: SweepPlan, i: number): { seed: number; point: Point; draw?: SwarmDraw; scenario: Parsed<Scenario> } {
  const { point, seed } = runAt(plan, i);
  if (!plan.swarm) return { seed, point, scenario: { ok: true, value: { ...point.scenario, seed } } };
  const draw = drawSwarm(plan.swarm.spec, plan.swarm.world, seed);
  const raw = withSwarmDraw(point.raw, draw);
  if (!raw.ok) return { seed, point, draw, scenario: raw };
  const valid = validate(raw.value);
  return { seed, point, draw, scenario: valid.ok ? { ok: true, value: { ...valid.value, seed } } : { ok: false, error: valid.error } };
}

/** The scenario object with a swarm draw applied: its settings set, its faults appended. */
export function withSwarmDraw(raw: Record<string, unknown>, draw: SwarmDraw): Parsed<Record<string, unknown>> {
  const applied = applySettings(raw, Object.entries(draw.settings).map(([path, value]) => ({ path, value })));
  if (!applied.ok) return applied;
  const own = Array.isArray(applied.value.faults) ? applied.value.faults : [];
  return { ok: true, value: { ...applied.value, faults: [...own, ...draw.faults] } };
}

/**
 * Applies settings to a scenario object: `engine` (a compare setting such as `raft:lease`)
 * first, so `engine.batch` and the like apply to the chosen engine; then each field path.
 */
export function applySettings(raw: Record<string, unknown>, settings: ReadonlyArray<{ path: string; value: VaryValue }>): Parsed<Record<string, unknown>> {
  let out = raw;
  const ordered = [...settings.filter((s) => s.path === 'engine'), ...settings.filter((s) => s.path !== 'engine')];
  for (const { path, value } of ordered) {
    if (path === 'engine') {
      const parsed = parseEngineSettings([String(value)]);
      if (!parsed.ok) return { ok: false, error: `--vary engine=${String(value)}: ${parsed.error.replace(/^--engine: /, '')}` };
      out = withSettingRaw(out, parsed.settings[0] as NonNullable<(typeof parsed.settings)[0]>);
      continue;
    }
    const field = parseFieldPath(path);
    if (!field.ok) return { ok: false, error: `--vary ${path}: ${field.error}` };
    const set = setAtPath(out, field.value, value);
    if (!set.ok) return { ok: false, error: `--vary ${path}=${String(value)}: ${set.error}` };
    out = set.value as Record<string, unknown>;
  }
  return { ok: true, value: out };
}

type Validated = { ok: true; value: Scenario } | { ok: false; error: string; paths: string[] };

/** Validates a scenario object with the scenario schema (the swarm section is not the run's). */
export function validate(raw: Record<string, unknown>): Validated {
  const parsed = scenarioSchema.safeParse(raw, SCENARIO_PARSE_OPTIONS);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: issuesText(parsed.error.issues), paths: parsed.error.issues.map((i) => formatPath(i.path)) };
}

function issuesText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const msgs = issues.map((i) => {
    const path = formatPath(i.path);
    return path ? `${path}: ${i.message.replace(/\s*\n\s*/g, '; ')}` : i.message;
  });
  return [...new Set(msgs)].join('; ');
}

/** Which `--vary` an error is about: the one whose path the first bad field lies on, else all. */
function blame(picks: ReadonlyArray<{ vary: Vary; value: VaryValue }>, paths: readonly string[]): string {
  for (const p of paths) {
    for (const { vary, value } of picks) {
      if (p === vary.path || p.startsWith(`${vary.path}.`) || p.startsWith(`${vary.path}[`) || vary.path.startsWith(`${p}.`) || (vary.path === 'engine' && p.startsWith('engine'))) {
        return `--vary ${vary.path}=${String(value)}`;
      }
    }
  }
  return picks.length > 0 ? `--vary ${picks.map(({ vary, value }) => `${vary.path}=${String(value)}`).join(' ')}` : 'the scenario';
}

function worldOf(raw: Record<string, unknown>): SwarmWorld {
  const regions = Object.entries((raw.regions ?? {}) as Record<string, { nodes?: unknown }>).map(([name, r]) => ({
    name,
    nodes: typeof r?.nodes === 'number' ? r.nodes : 1,
  }));
  const d = validate(raw);
  return { regions, duration_us: d.ok ? d.value.duration_us : 1_000_000 };
}

