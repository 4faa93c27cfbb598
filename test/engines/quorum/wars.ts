/**
 * An independent Monte Carlo of the WARS model of Bailis et al., "Probabilistically Bounded
 * Staleness for Practical Partial Quorums" (VLDB 2012), and the closed form of their
 * k-staleness. Written from the paper, sharing no code with src/engines: the quorum engine is
 * checked against it (pbs.test.ts) and the docs chart is drawn from it (scripts/pbs-chart.ts).
 *
 * WARS, for one write followed by one read, with N replicas:
 * - the coordinator sends the write to all N replicas; replica i gets it after W_i and its
 *   ack comes back after A_i; the write is acknowledged ("committed") at time
 *   c = the W-th smallest of W_i + A_i;
 * - a read starts t after c; its request reaches replica i after R_i, the response comes
 *   back after S_i; replica i answers with the write iff W_i <= c + t + R_i;
 * - the read returns the newest of the first R responses, so it is fresh iff one of them
 *   has the write.
 * `readFanout: 'all'` sends the read to all N replicas and takes the first R responses (the
 * paper's Dynamo model); `readFanout: 'level'` sends it to R replicas chosen independently of
 * the delays and waits for all of them (Cassandra: a data request to the closest replica and
 * digests to the rest of the level, no read repair at ONE).
 */

/** A delay sampler in microseconds, fed by a uniform [0, 1) source. */
export type Delay = (u: () => number) => number;

/** An exponential one-way delay of the given mean (inverse transform). */
export const expDelay =
  (mean_us: number): Delay =>
  (u) =>
    -Math.log(1 - u()) * mean_us;

export interface WarsParams {
  N: number;
  R: number;
  W: number;
  w: Delay;
  a: Delay;
  r: Delay;
  s: Delay;
  readFanout: 'all' | 'level';
}

/** One simulated write: its per-replica write delays and its commit time. */
interface WriteDraw {
  w_us: number[];
  commit_us: number;
}

function drawWrite(p: WarsParams, u: () => number): WriteDraw {
  const w_us: number[] = [];
  const acks: number[] = [];
  for (let i = 0; i < p.N; i++) {
    const w = p.w(u);
    w_us.push(w);
    acks.push(w + p.a(u));
  }
  acks.sort((x, y) => x - y);
  return { w_us, commit_us: acks[p.W - 1] as number };
}

/** Whether a read starting `t_us` after the commit of `wr` returns the write (fresh). */
function readIsFresh(p: WarsParams, wr: WriteDraw, t_us: number, u: () => number): boolean {
  const start = wr.commit_us + t_us;
  if (p.readFanout === 'level') {
    // R distinct replicas, uniformly (a partial Fisher–Yates); all R answers are awaited
    const idx = Array.from({ length: p.N }, (_, i) => i);
    for (let k = 0; k < p.R; k++) {
      const j = k + Math.floor(u() * (p.N - k));
      const tmp = idx[k] as number;
      idx[k] = idx[j] as number;
      idx[j] = tmp;
    }
    for (let k = 0; k < p.R; k++) {
      const i = idx[k] as number;
      const arrive = start + p.r(u);
      p.s(u); // drawn for symmetry with 'all'; the answer is awaited whatever its delay
      if ((wr.w_us[i] as number) <= arrive) return true;
    }
    return false;
  }
  const answers: Array<{ at: number; has: boolean }> = [];
  for (let i = 0; i < p.N; i++) {
    const r = p.r(u);
    answers.push({ at: r + p.s(u), has: (wr.w_us[i] as number) <= start + r });
  }
  answers.sort((x, y) => x.at - y.at);
  for (let k = 0; k < p.R; k++) if ((answers[k] as { has: boolean }).has) return true;
  return false;
}

/**
 * P(fresh) at each `t_us`, from `trials` independent writes; each t gets its own read (its
 * own R_i, S_i) of the same write, so the points are correlated but each is unbiased.
 */
export function warsFreshness(p: WarsParams, ts_us: readonly number[], trials: number, u: () => number): number[] {
  const fresh = ts_us.map(() => 0);
  for (let n = 0; n < trials; n++) {
    const wr = drawWrite(p, u);
    ts_us.forEach((t, k) => {
      if (readIsFresh(p, wr, t, u)) fresh[k] = (fresh[k] as number) + 1;
    });
  }
  return fresh.map((f) => f / trials);
}

/**
 * P(fresh) for reads whose start times, relative to the commit, are given one by one (the
 * engine's measured t of each read): the mean of the model's probability over exactly those
 * t, estimated with `perRead` model writes each.
 */
export function warsFreshnessAt(p: WarsParams, ts_us: readonly number[], perRead: number, u: () => number): number {
  let fresh = 0;
  for (const t of ts_us) {
    for (let n = 0; n < perRead; n++) if (readIsFresh(p, drawWrite(p, u), t, u)) fresh++;
  }
  return fresh / (ts_us.length * perRead);
}

/** Binomial coefficient, exact for the small n of a replica set. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * The paper's closed form (§3.2): with strict random quorums, a read misses a given write
 * with probability C(N-W, R) / C(N, R); it returns one of the last k writes with probability
 * 1 - (C(N-W, R) / C(N, R))^k.
 */
export function kStalenessClosedForm(N: number, R: number, W: number, k: number): number {
  return 1 - Math.pow(choose(N - W, R) / choose(N, R), k);
}

/**
 * The setting the closed form assumes, simulated: every write reaches exactly W replicas
 * chosen at random (no propagation to the rest, no repair), a read asks R random replicas
 * and returns the newest version they hold. Returns P(the read returns one of the last k).
 */
export function randomQuorumWithinK(N: number, R: number, W: number, k: number, trials: number, u: () => number): number {
  const pick = (m: number): Set<number> => {
    const idx = Array.from({ length: N }, (_, i) => i);
    for (let j = 0; j < m; j++) {
      const x = j + Math.floor(u() * (N - j));
      const tmp = idx[j] as number;
      idx[j] = idx[x] as number;
      idx[x] = tmp;
    }
    return new Set(idx.slice(0, m));
  };
  let ok = 0;
  for (let n = 0; n < trials; n++) {
    // versions 1..k are the last k writes (k the newest); older ones do not matter
    const holders: Array<Set<number>> = [];
    for (let v = 0; v < k; v++) holders.push(pick(W));
    const read = pick(R);
    if (holders.some((h) => [...read].some((i) => h.has(i)))) ok++;
  }
  return ok / trials;
}
