// M/M/1 on replsim's kernel public API (../shared/bench/README.md): same model, same JSON line.
// Usage: npm run --silent bench:mm1 -- [N=200000] [seed=42]. Time unit: 1 model second = 1e6 us.
import { createKernel } from '../dist/sim/kernel.js';
import { mulberry32 } from './mulberry32.mjs';

const N = Number(process.argv[2] ?? 200000);
const SEED = Number(process.argv[3] ?? 42);
const LAM = 0.9, MU = 1.0, UNIT = 1e6;
const ARRIVE = 0, DEPART = 1;

const t0 = performance.now();
const rng = { next: mulberry32(SEED) };
const expo = (rate) => Math.round((-Math.log(1 - rng.next()) / rate) * UNIT);
const k = createKernel({ max_events: 2 * N + 10 });
const waiting = []; let head = 0;
let busy = false, arrivals = 0, done = 0, waitSum = 0;
k.at(0, ARRIVE);
k.run((kind, now) => {
  if (kind === ARRIVE) {
    if (++arrivals < N) k.after(expo(LAM), ARRIVE);
    if (busy) waiting.push(now);
    else { busy = true; k.after(expo(MU), DEPART); }
  } else {
    if (++done === N) k.stop('N-th completion');
    if (head < waiting.length) {
      waitSum += now - waiting[head++];
      k.after(expo(MU), DEPART);
      if (head > 4096 && head * 2 > waiting.length) { waiting.splice(0, head); head = 0; }
    } else busy = false;
  }
});
const wall = (performance.now() - t0) / 1000;
const events = k.events;
console.log(JSON.stringify({
  impl: 'replsim-kernel', customers: N, events, wall_s: +wall.toFixed(6),
  events_per_s: +(events / wall).toFixed(1), mean_wait: +(waitSum / N / UNIT).toFixed(4), seed: SEED,
}));
