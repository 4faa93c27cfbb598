/**
 * Swarm draws: for each seed, a fault plan and settings drawn from the `swarm:` section with
 * the seed's own `swarm` stream. The workload draws from other streams (src/sim/rng.ts), so a
 * seed's client operations are the same with or without the swarm's faults. A draw is plain
 * YAML data (faults as written in a scenario file), so it is printed in the run's record and
 * `replsim shrink --swarm` reproduces it exactly.
 */
import { stream, type Rng } from '../sim/rng.js';
import { formatMicros, SEC, MS } from '../sim/time.js';
import type { SwarmFaultKind, SwarmSpec } from './swarm-schema.js';
import { parseVary, type VaryValue } from './values.js';

/** What one seed drew. */
export interface SwarmDraw {
  /** the enabled fault kinds of this run (swarm testing: a random non-empty subset) */
  kinds: SwarmFaultKind[];
  /** faults as written in a scenario file */
  faults: Array<Record<string, unknown>>;
  /** field path → drawn value */
  settings: Record<string, VaryValue>;
}

/** What the draw needs to know of the scenario. */
export interface SwarmWorld {
  /** region → node count, in the file's order */
  regions: Array<{ name: string; nodes: number }>;
  duration_us: number;
}

/** The draw for `seed`; a pure function of (spec, world, seed). */
export function drawSwarm(spec: SwarmSpec, world: SwarmWorld, seed: number): SwarmDraw {
  const rng = stream(seed, 'swarm');
  const all = spec.faults.kinds;
  // A random non-empty subset of the kinds (each in with probability 1/2, redrawn if none).
  let kinds: SwarmFaultKind[] = [];
  for (let tries = 0; kinds.length === 0 && tries < 16; tries++) kinds = all.filter(() => rng.next() < 0.5);
  if (kinds.length === 0) kinds = [all[rng.int(all.length)] as SwarmFaultKind];
  const count = spec.faults.min + rng.int(spec.faults.max - spec.faults.min + 1);
  const drawn: Array<{ at_ms: number; i: number; fault: Record<string, unknown> }> = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[rng.int(kinds.length)] as SwarmFaultKind;
    const at_ms = rng.int(Math.max(1, Math.floor(world.duration_us / MS)));
    drawn.push({ at_ms, i, fault: drawFault(kind, at_ms, spec, world, rng) });
  }
  // In time order, as a person writes them (ties in draw order).
  const faults = drawn.sort((a, b) => a.at_ms - b.at_ms || a.i - b.i).map((d) => d.fault);
  const settings: Record<string, VaryValue> = {};
  for (const [path, v] of Object.entries(spec.vary)) {
    const text = typeof v === 'string' ? v : v.map(String).join(',');
    const parsed = parseVary(`${path}=${text}`);
    // The schema checked the values; a path error surfaces when the draw is applied.
    if (parsed.ok) settings[path] = parsed.value.values[rng.int(parsed.value.values.length)] as VaryValue;
  }
  return { kinds, faults, settings };
}

function drawFault(kind: SwarmFaultKind, at_ms: number, spec: SwarmSpec, world: SwarmWorld, rng: Rng): Record<string, unknown> {
  // Whole milliseconds: drawn plans read like hand-written ones.
  const for_ms = SEC / MS + rng.int(Math.max(1, Math.floor(spec.faults.max_for / MS) - SEC / MS + 1));
  const base = { at: formatMicros(at_ms * MS), for: formatMicros(for_ms * MS) };
  const regions = world.regions;
  const region = () => (regions[rng.int(regions.length)] as { name: string; nodes: number });
  const node = () => {
    const r = region();
    return `${r.name}/${rng.int(r.nodes)}`;
  };
  const twoRegions = (): [string, string] | undefined => {
    if (regions.length < 2) return undefined;
    const a = rng.int(regions.length);
    const b = (a + 1 + rng.int(regions.length - 1)) % regions.length;
    return [(regions[a] as { name: string }).name, (regions[b] as { name: string }).name];
  };
  switch (kind) {
    case 'partition': {
      if (regions.length < 2) return { ...base, isolate: node() };
      // A random split into two non-empty sides.
      const side = regions.map(() => rng.next() < 0.5);
      if (side.every(Boolean) || !side.some(Boolean)) side[rng.int(side.length)] = !side[0];
      const a = regions.filter((_, i) => side[i]).map((r) => r.name);
      const b = regions.filter((_, i) => !side[i]).map((r) => r.name);
      return { ...base, partition: [a, b] };
    }
    case 'isolate':
      return { ...base, isolate: rng.next() < 0.5 ? region().name : node() };
    case 'one_way': {
      const pair = twoRegions();
      return pair ? { ...base, one_way: { from: pair[0], to: pair[1] } } : { ...base, isolate: node() };
    }
    case 'crash':
      return { ...base, crash: node(), lose_volatile: rng.next() < 0.5 };
    case 'clock': {
      const max_ms = Math.floor(spec.faults.max_clock_offset / MS);
      const offset_ms = rng.int(2 * max_ms + 1) - max_ms;
      const target = rng.next() < 0.5 ? `${region().name}/*` : node();
      return { at: base.at, clock: { node: target, offset: offset_ms < 0 ? `-${formatMicros(-offset_ms * MS)}` : formatMicros(offset_ms * MS) } };
    }
    case 'slow': {
      const pair = twoRegions();
      const max_ms = Math.max(1, Math.floor(spec.faults.max_slow_latency / MS));
      const latency = formatMicros((1 + rng.int(max_ms)) * MS);
      return pair ? { ...base, slow: { between: pair, latency } } : { ...base, crash: node(), lose_volatile: false };
    }
    default: {
      const never: never = kind;
      return never;
    }
  }
}
