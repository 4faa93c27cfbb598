// M/M/1 on replsim's kernel public API (../shared/bench/README.md): same model, same JSON line.
// Usage: npm run --silent bench:mm1 -- [N=200000] [seed=42] [rng=alea|mulberry32]. The default
// draws from the simulator's own streams (src/sim/rng.ts), as a scenario would; `mulberry32`
// draws from the PRNG of ../shared/bench/mm1_node.mjs, the like-for-like comparison: same
// draws, same arithmetic, so the same event times and the same mean_wait to the last digit
// (bench/mm1.bench.mjs checks that).
import { createKernel } from '../dist/sim/kernel.js';

const N = Number(process.argv[2] ?? 200000);
const SEED = Number(process.argv[3] ?? 42);
const RNG = process.argv[4] ?? 'alea';
if (RNG !== 'mulberry32' && RNG !== 'alea') throw new Error(`rng: expected mulberry32 or alea, got ${RNG}`);
const LAM = 0.9, MU = 1.0;

// mulberry32 exactly as ../shared/bench/mm1_node.mjs writes it (int32 state: ./mulberry32.mjs
// keeps it as uint32, the same numbers at a different cost), so both sides pay the same draws.
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ARRIVE = 0, DEPART = 1;

// seedrandom is loaded only for `alea`: otherwise the process loads what the reference's does
// plus the kernel's two small modules, so its CPU time compares too
const { stream } = RNG === 'alea' ? await import('../dist/sim/rng.js') : {};
const t0 = performance.now();
// a bare function either way, called as the reference calls its own (alea's `next` is
// seedrandom's closure, not a method)
const rand = RNG === 'alea' ? stream(SEED, 'mm1').next : mulberry32(SEED);
// Times are the model's seconds, unrounded, exactly as the reference computes them: the kernel
// orders any doubles (its unit is a caller's convention), and rounding to whole microseconds
// here would be a cost and a different model on this side only (mean_wait 8.9277 against
// 8.9279 at N=2e6).
const expo = (rate) => -Math.log(1 - rand()) / rate;
const k = createKernel({ max_events: 2 * N + 10 });
// The model's state lives in an object's fields, as the simulator's World keeps its own. The
// reference keeps it in its loop's locals, which a handler cannot reach; module-scope `let`s
// captured by the handler would be context slots, where every write of a double (waitSum)
// makes a new heap number: measured on Node 20, ~7% more CPU for the whole run, a cost of
// how this script holds its state, not of the kernel.
class Mm1 {
  waiting = [];
  head = 0;
  busy = false;
  arrivals = 0;
  done = 0;
  waitSum = 0;
  on(kind, now) {
    if (kind === ARRIVE) {
      if (++this.arrivals < N) k.after(expo(LAM), ARRIVE);
      if (this.busy) this.waiting.push(now);
      else { this.busy = true; k.after(expo(MU), DEPART); }
    } else {
      if (++this.done === N) k.stop('N-th completion');
      const waiting = this.waiting;
      if (this.head < waiting.length) {
        this.waitSum += now - waiting[this.head++];
        k.after(expo(MU), DEPART);
        if (this.head > 4096 && this.head * 2 > waiting.length) { waiting.splice(0, this.head); this.head = 0; }
      } else this.busy = false;
    }
  }
}
const model = new Mm1();
k.at(0, ARRIVE);
k.run((kind, now) => model.on(kind, now));
const wall = (performance.now() - t0) / 1000;
const events = k.events;
console.log(JSON.stringify({
  impl: RNG === 'alea' ? 'replsim-kernel' : 'replsim-kernel-mulberry32', customers: N, events, wall_s: +wall.toFixed(6),
  events_per_s: +(events / wall).toFixed(1), mean_wait: +(model.waitSum / N).toFixed(4), seed: SEED,
}));
