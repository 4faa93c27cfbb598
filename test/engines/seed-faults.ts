/**
 * Random fault plans for the engines' seed loops: 2–5 faults between 0.5 s and 5 s, each
 * lasting 0.3–2.5 s, drawn from the kinds given (partition of one region from the others,
 * isolation of a node, crash with or without losing volatile state, clock step, one-way cut).
 */
import type { FaultSpec } from '../../src/scenario/types.js';
import type { Rng } from '../../src/sim/rng.js';
import { micros, MS } from '../../src/sim/time.js';

export type SeedFaultKind = 'partition' | 'isolate' | 'crash' | 'clock' | 'one_way';

export const ALL_SEED_FAULTS: readonly SeedFaultKind[] = ['partition', 'isolate', 'crash', 'clock', 'one_way'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

export function randomFaults(
  rng: Rng,
  nodes: readonly string[],
  regions: readonly string[],
  kinds: readonly SeedFaultKind[] = ALL_SEED_FAULTS,
): FaultSpec[] {
  const out: FaultSpec[] = [];
  const n = 2 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const at_us = micros(500 * MS + rng.int(4500) * MS);
    const for_us = micros(300 * MS + rng.int(2200) * MS);
    const kind = kinds[rng.int(kinds.length)] as SeedFaultKind;
    switch (kind) {
      case 'partition': {
        const side = pick(rng, regions);
        out.push({ at_us, for_us, action: { kind: 'partition', groups: [[side], regions.filter((r) => r !== side)] } });
        break;
      }
      case 'isolate':
        out.push({ at_us, for_us, action: { kind: 'isolate', target: pick(rng, nodes) } });
        break;
      case 'crash':
        out.push({ at_us, for_us, action: { kind: 'crash', target: pick(rng, nodes), lose_volatile: rng.next() < 0.7 } });
        break;
      case 'clock': {
        const offset_us = micros((rng.int(6001) - 3000) * MS);
        out.push({ at_us, for_us, action: { kind: 'clock', node: pick(rng, nodes), offset_us } });
        break;
      }
      case 'one_way':
        out.push({ at_us, for_us, action: { kind: 'one_way', from: pick(rng, nodes), to: pick(rng, regions) } });
        break;
    }
  }
  return out.sort((x, y) => x.at_us - y.at_us);
}
