/**
 * `replsim sweep FILE --seeds 1..1000 [--vary PATH=VALUES]… [--swarm] [--shard k/n|auto]
 * [--out runs.jsonl] [--json] [--html FILE]`: runs the scenario over many seeds and settings
 * on worker threads and prints, per setting, each anomaly's rate with a 95% Wilson interval
 * and the failing seeds. Exit 0 when no run failed, 1 when some did, 2 for bad input.
 */
import { loadScenario, formatError } from '../../scenario/load.js';
import { parseShard } from '../../suite/suite.js';
import { planSweep, type Shard, type SweepHeader } from '../../sweep/plan.js';
import { runsFileText } from '../../sweep/runs-file.js';
import { runSweep } from '../../sweep/sweep.js';
import { summarize } from '../../sweep/summary.js';
import type { RunRecord } from '../../sweep/record.js';
import { renderSweepSummary } from '../../sweep/render.js';
import { parseSeeds, parseVary, type Vary } from '../../sweep/values.js';
import { sweepPage } from '../../sweep/html.js';
import { writeFileAtomic } from '../../report/html/write.js';
import { EXIT, InputError, type Io } from '../io.js';
import { progressBar } from '../progress.js';
import type { CommandModule } from './index.js';

export const sweepCommand: CommandModule = {
  command: 'sweep <file>',
  describe: 'run a scenario over many seeds and settings; anomaly rates with 95% intervals',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'scenario YAML file' })
      .option('seeds', { type: 'string', default: '1..100', describe: 'seeds FIRST..LAST, or a count N (1..N)' })
      .option('vary', {
        type: 'string',
        array: true,
        describe: 'PATH=v1,v2,… or ranges A..B/STEP (network.links[0].latency=10ms..200ms/10ms; engine=async:lww,raft:lease); several make a grid',
      })
      .option('swarm', { type: 'boolean', default: false, describe: "each seed also draws faults and settings from the scenario's swarm: section" })
      .option('shard', { type: 'string', describe: 'run only slice k of n (k/n), or auto (REPLSIM_SHARD, or JOB_COMPLETION_INDEX with REPLSIM_SHARD_COUNT)' })
      .option('out', { type: 'string', describe: 'write one JSON line per run to this file (for merge)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('html', { type: 'string', describe: 'write a page with the curves (rate and latency vs the varied setting)' })
      .option('workers', { type: 'number', alias: 'j', describe: 'worker threads (default: number of cores; 0 runs in-process)' }),
  run: async (args, io) => sweepFile(args, io),
};

async function sweepFile(args: Record<string, unknown>, io: Io): Promise<number> {
  const file = String(args.file);
  const workers = args.workers as number | undefined;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new InputError(`--workers: expected a non-negative integer, got ${String(args.workers)}`);
  }
  const seeds = parseSeeds(String(args.seeds));
  if (!seeds.ok) throw new InputError(seeds.error);
  const varies = parseVaries(args.vary);
  const shard = args.shard === undefined ? undefined : resolveShard(String(args.shard), io.env);
  const loaded = loadScenario(file);
  if (!loaded.ok) throw new InputError(formatError(loaded.errors[0] as (typeof loaded.errors)[0]));
  const plan = planSweep({ file, source: loaded.source, seeds: seeds.value, varies, swarm: args.swarm === true });
  if (!plan.ok) throw new InputError(plan.error);

  const header = shard ? { ...plan.value.header, shard } : plan.value.header;
  const json = args.json === true;
  let failed = 0;
  const bar = progressBar(io, shardSize(header.runs, shard), `sweep ${header.scenario}`, !json);
  const records = await runSweep(plan.value, {
    ...(shard ? { shard } : {}),
    ...(workers === undefined ? {} : { workers }),
    onRecord: (r, done) => {
      if (r.failed) failed++;
      bar.update(done, failed);
    },
  });
  bar.stop();
  return reportSweep(io, args, header, records);
}

/**
 * What `sweep` and `merge` do with the runs: `--out` the runs file, `--html` the curves, the
 * summary on stdout (JSON with --json); exit 1 when a run failed, else 0.
 */
export function reportSweep(io: Io, args: Record<string, unknown>, header: SweepHeader, records: readonly RunRecord[]): number {
  if (typeof args.out === 'string') {
    const err = writeFileAtomic(args.out, runsFileText(header, records));
    if (err) throw new InputError(`--out: ${err}`);
  }
  const summary = summarize(header, records);
  if (typeof args.html === 'string') {
    const err = writeFileAtomic(args.html, sweepPage(summary));
    if (err) throw new InputError(`--html: ${err}`);
  }
  io.out(args.json === true ? `${JSON.stringify(summary)}\n` : renderSweepSummary(summary));
  return records.some((r) => r.failed) ? EXIT.EXPECT_UNMET : EXIT.OK;
}

function parseVaries(v: unknown): Vary[] {
  const texts = Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
  return texts.map((t) => {
    const r = parseVary(t);
    if (!r.ok) throw new InputError(r.error);
    return r.value;
  });
}

function shardSize(total: number, shard: Shard | undefined): number {
  if (!shard) return total;
  return Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count));
}

/**
 * `k/n`, or `auto`: REPLSIM_SHARD=k/n when set (a GitHub Actions matrix sets it from
 * strategy.job-index and strategy.job-total); else a Kubernetes Indexed Job's
 * JOB_COMPLETION_INDEX (0-based) with REPLSIM_SHARD_COUNT (the manifest sets it to the Job's
 * `completions`, which the downward API does not expose).
 */
export function resolveShard(text: string, env: Record<string, string | undefined>): Shard {
  if (text !== 'auto') {
    const p = parseShard(text);
    if (!p.ok) throw new InputError(p.error.replace('--shard:', '--shard:').replace('e.g. 1/4,', 'e.g. 1/4 or auto,'));
    return p.shard;
  }
  if (env.REPLSIM_SHARD !== undefined && env.REPLSIM_SHARD !== '') {
    const p = parseShard(env.REPLSIM_SHARD);
    if (!p.ok) throw new InputError(`--shard auto: REPLSIM_SHARD: ${p.error.replace(/^--shard: /, '')}`);
    return p.shard;
  }
  const idx = env.JOB_COMPLETION_INDEX;
  if (idx !== undefined && idx !== '') {
    const count = env.REPLSIM_SHARD_COUNT;
    if (!idx.match(/^\d+$/)) throw new InputError(`--shard auto: JOB_COMPLETION_INDEX should be a 0-based index, got "${idx}"`);
    if (count === undefined || !/^\d+$/.test(count) || Number(count) < 1) {
      throw new InputError('--shard auto: JOB_COMPLETION_INDEX is set but REPLSIM_SHARD_COUNT (the Job\'s completions) is not a positive count; set it in the manifest');
    }
    const p = parseShard(`${Number(idx) + 1}/${count}`);
    if (!p.ok) throw new InputError(`--shard auto: JOB_COMPLETION_INDEX ${idx} is not below REPLSIM_SHARD_COUNT ${count}`);
    return p.shard;
  }
  throw new InputError('--shard auto: set REPLSIM_SHARD=k/n (e.g. from a CI matrix), or JOB_COMPLETION_INDEX with REPLSIM_SHARD_COUNT (a Kubernetes Indexed Job)');
}

