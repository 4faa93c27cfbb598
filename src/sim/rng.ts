/**
 * Seeded random streams. One scenario seed feeds named sub-streams (`workload/us-east/0`,
 * `network`, `faults`, `engine/eu-west/1`): each stream is seeded from (seed, name) alone, so
 * adding a fault or changing the network draws nothing from the workload's streams and the
 * client operations stay identical. `alea` because it is ~4x faster than seedrandom's default
 * ARC4 (see DESIGN.md).
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [0, n) */
  int(n: number): number;
  /** exponential with the given mean */
  exp(mean: number): number;
  /** standard normal (Box–Muller; one draw cached) */
  normal(): number;
  /** the stream's name, for diagnostics */
  readonly name: string;
}

/** A named stream derived from the scenario seed. */
export function stream(seed: number, name: string): Rng {
  return fromUniform(alea(`replsim:${seed}:${name}`), name);
}

/** 2^-32 */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * seedrandom's Alea, draw for draw: seeded by seedrandom itself (its Mash of the seed text),
 * then stepped here with the same arithmetic on a Float64Array (s0, s1, s2, c). seedrandom's
 * generator keeps its state in object fields and returns a fresh heap number from every call
 * it is not inlined into; ~6 draws per client op (the op, its key, its arrival, each message's
 * latency) made it one of the run's busiest functions.
 */
function alea(seedText: string): () => number {
  const init = (seedrandom.alea(seedText, { state: true }) as unknown as { state(): { c: number; s0: number; s1: number; s2: number } }).state();
  const st = Float64Array.of(init.s0, init.s1, init.s2, init.c);
  return () => {
    const t = 2091639 * (st[0] as number) + (st[3] as number) * TWO_POW_MINUS_32;
    st[0] = st[1] as number;
    st[1] = st[2] as number;
    const c = t | 0;
    st[3] = c;
    const x = t - c;
    st[2] = x;
    return x;
  };
}

/** Wraps any [0,1) generator (tests use fixed sequences). */
export function fromUniform(u: () => number, name = 'custom'): Rng {
  let spare: number | undefined;
  return {
    name,
    next: u,
    int: (n) => Math.floor(u() * n),
    exp: (mean) => -Math.log(1 - u()) * mean,
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let a = u();
      while (a <= Number.MIN_VALUE) a = u();
      const b = u();
      const r = Math.sqrt(-2 * Math.log(a));
      spare = r * Math.sin(2 * Math.PI * b);
      return r * Math.cos(2 * Math.PI * b);
    },
  };
}
