/**
 * `replsim shrink FILE [--seed S] [--until EXPR] [--swarm] --out MIN.yaml [--max-runs N]`:
 * delta-debugs a failing scenario down to a small one that still fails, and writes it with a
 * header comment saying what was removed. Exit 0 when written; 2 for bad input, or when the
 * run does not fail (nothing to shrink).
 */
import { parse } from 'yaml';
import { loadScenario, formatError } from '../../scenario/load.js';
import { DEFAULT_MAX_RUNS, shrinkScenario, shrunkYaml } from '../../shrink/shrink.js';
import { parseUntil } from '../../shrink/until.js';
import { planSweep, withSwarmDraw } from '../../sweep/plan.js';
import { drawSwarm } from '../../sweep/swarm.js';
import { writeFileAtomic } from '../../report/html/write.js';
import { EXIT, InputError, type Io } from '../io.js';
import { progressBar } from '../progress.js';
import type { CommandModule } from './index.js';

export const shrinkCommand: CommandModule = {
  command: 'shrink <file>',
  describe: 'delta-debug a failing scenario to a minimal one that still fails',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'scenario YAML file' })
      .option('seed', { type: 'string', describe: 'the failing seed (default: the scenario seed)' })
      .option('until', { type: 'string', describe: "what failing means, e.g. 'lost_update>=1' (default: the unmet expectations stay unmet)" })
      .option('swarm', { type: 'boolean', default: false, describe: "start from this seed's swarm draw (as sweep --swarm ran it)" })
      .option('out', { type: 'string', describe: 'write the minimal scenario here' })
      .option('max-runs', { type: 'number', default: DEFAULT_MAX_RUNS, describe: 'most runs to spend' }),
  run: async (args, io) => shrinkFile(args, io),
};

async function shrinkFile(args: Record<string, unknown>, io: Io): Promise<number> {
  const file = String(args.file);
  if (typeof args.out !== 'string' || args.out === '') throw new InputError('--out: name the file to write the minimal scenario to, e.g. --out min.yaml');
  const maxRuns = args['max-runs'] as number;
  if (!Number.isInteger(maxRuns) || maxRuns < 1 || maxRuns > 100_000) throw new InputError(`--max-runs: expected an integer from 1 to 100000, got ${String(args['max-runs'])}`);
  const seedText = args.seed === undefined ? undefined : String(args.seed);
  if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new InputError(`--seed: expected a non-negative integer, got "${seedText}"`);
  const seed = seedText === undefined ? undefined : Number(seedText);
  const until = args.until === undefined ? undefined : parseUntil(String(args.until));
  if (until && !until.ok) throw new InputError(until.error);
  const loaded = loadScenario(file, seed === undefined ? {} : { seed });
  if (!loaded.ok) throw new InputError(formatError(loaded.errors[0] as (typeof loaded.errors)[0]));
  let raw = parse(loaded.source, { version: '1.2', merge: false }) as Record<string, unknown>;
  if (args.swarm === true) {
    const s = loaded.scenario.seed;
    const plan = planSweep({ file, source: loaded.source, seeds: { first: s, last: s }, varies: [], swarm: true });
    if (!plan.ok) throw new InputError(plan.error);
    const sw = plan.value.swarm;
    if (!sw) throw new InputError(`--swarm: ${file} has no swarm: section`);
    const drawn = withSwarmDraw(raw, drawSwarm(sw.spec, sw.world, s));
    if (!drawn.ok) throw new InputError(`--swarm: seed ${s}: ${drawn.error}`);
    const { swarm: _swarm, ...rest } = drawn.value;
    raw = rest;
  }
  const bar = progressBar(io, maxRuns, `shrink ${loaded.scenario.name}`, true, 'kept');
  let kept = 0;
  const r = shrinkScenario(raw, {
    ...(seed === undefined ? {} : { seed }),
    ...(until?.ok ? { until: until.value } : {}),
    maxRuns,
    onRun: (runs, _max, what) => {
      if (what) kept++;
      bar.update(runs, kept);
    },
  });
  bar.stop();
  if (!r.ok) throw new InputError(`${file}: ${r.error}`);
  const err = writeFileAtomic(args.out, shrunkYaml(r.value, file));
  if (err) throw new InputError(`--out: ${err}`);
  const m = r.value.raw;
  const regions = Object.keys((m.regions ?? {}) as object).length;
  const clients = Object.values(((m.workload as Record<string, unknown> | undefined)?.clients ?? {}) as Record<string, { count?: number }>).reduce((a, c) => a + (c.count ?? 0), 0);
  const faults = Array.isArray(m.faults) ? m.faults.length : 0;
  io.out(
    `shrunk ${file} in ${r.value.runs} runs${r.value.exhausted ? ' (budget spent)' : ''}: ${regions} regions, ${clients} clients, ${faults} faults, seed ${r.value.seed}; ${r.value.removed.length} reductions kept; wrote ${args.out}\n`,
  );
  return EXIT.OK;
}
