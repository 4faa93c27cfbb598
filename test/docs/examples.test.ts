// The sweep recipes in docs/examples: the GitHub Actions matrix workflow and the Kubernetes
// Indexed Job. No schema for workflows is available offline, so the workflow is checked
// structurally (matrix → shard flag → artifact names → download pattern → merge) and its
// commands are run here, shard by shard as the matrix would, with fewer seeds: their merge
// must equal the unsharded sweep. The Job manifest is validated against the Kubernetes
// schema (kubernetes-models), and every completion index must map to its own shard.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resolveShard } from '../../src/cli/commands/sweep.js';
import { splitArgs } from './runner.js';

const root = join(import.meta.dirname, '..', '..');
const workflow = parse(readFileSync(join(root, 'docs/examples/sweep-matrix.yml'), 'utf8'));
const job = parse(readFileSync(join(root, 'docs/examples/sweep-indexed-job.yaml'), 'utf8'));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

/** The replsim arguments of a `run:` line (`npx replsim ARGS || …`). */
function replsimArgs(run: string): string[] {
  const m = /npx replsim (.*?)(?:\s*\|\|.*)?$/.exec(run.trim());
  if (!m) throw new Error(`no replsim command in ${run}`);
  return splitArgs(m[1] as string);
}

/** GitHub evaluates `${{ }}` expressions before the shell sees the line. */
function expand(text: string, shard: number, total: number): string {
  return text.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard)).replace(/\$\{\{\s*strategy\.job-total\s*\}\}/g, String(total));
}

async function replsim(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ NO_COLOR: '1', ...env });
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('GitHub Actions matrix recipe', () => {
  const sweep = workflow.jobs.sweep;
  const merge = workflow.jobs.merge;
  const sweepSteps = sweep.steps as Step[];
  const mergeSteps = merge.steps as Step[];
  const sweepRun = sweepSteps.find((s) => s.run?.includes('replsim sweep'))?.run as string;
  const mergeRun = mergeSteps.find((s) => s.run?.includes('replsim merge'))?.run as string;

  it('is wired: one shard per matrix job, an artifact per shard, a merge job that downloads them all', () => {
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    const shards = sweep.strategy.matrix.shard as number[];
    expect(shards).toEqual(shards.map((_: number, i: number) => i + 1));
    expect(sweep.strategy['fail-fast']).toBe(false);
    expect(sweepRun).toContain('--shard ${{ matrix.shard }}/${{ strategy.job-total }}');
    const out = (k: number) => {
      const a = replsimArgs(expand(sweepRun, k, shards.length));
      return a[a.indexOf('--out') + 1];
    };
    const upload = sweepSteps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    for (const k of shards) {
      expect(out(k)).toBe(`runs-${k}.jsonl`);
      expect({ name: expand(String(upload?.with?.name), k, shards.length), path: expand(String(upload?.with?.path), k, shards.length) }).toEqual({ name: `runs-${k}`, path: out(k) });
    }
    expect(merge.needs).toBe('sweep');
    const download = mergeSteps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    // the download pattern (a glob) picks up every shard's artifact, and nothing else uploaded
    const glob = new RegExp(`^${String(download?.with?.pattern).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    for (const k of shards) expect(expand(String(upload?.with?.name), k, shards.length)).toMatch(glob);
    const report = mergeSteps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((s) => String(s.with?.name));
    for (const name of report) expect(name).not.toMatch(glob);
    expect(download?.with?.['merge-multiple']).toBe(true);
    expect(mergeRun).toContain(`${String(download?.with?.path)}/*.jsonl`);
    // a run that fails is data (exit 1), a bad input (exit 2) fails the job
    expect(sweepRun).toMatch(/\|\| test \$\? -eq 1$/);
    for (const j of [sweep, merge]) {
      expect(j['runs-on']).toBe('ubuntu-latest');
      expect((j.steps as Step[]).some((s) => s.run === 'npm ci')).toBe(true);
    }
  });

  it("its commands, run shard by shard with fewer seeds, merge into the unsharded sweep's summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-gha-'));
    const shards = sweep.strategy.matrix.shard as number[];
    const args = (k: number) =>
      replsimArgs(expand(sweepRun, k, shards.length))
        .map((a) => (a === '1..10000' ? '1..4' : a))
        .map((a) => (a.endsWith('.jsonl') ? join(dir, a) : a))
        .map((a) => (a.startsWith('scenarios/') ? join(root, a) : a));
    const files: string[] = [];
    for (const k of shards) {
      const argv = [...args(k), '-j', '0'];
      const r = await replsim(argv);
      expect([0, 1], r.err).toContain(r.code);
      files.push(argv[argv.indexOf('--out') + 1] as string);
    }
    const whole = await replsim([...args(1).filter((_, i, a) => a[i] !== '--shard' && a[i - 1] !== '--shard' && a[i] !== '--out' && a[i - 1] !== '--out'), '-j', '0']);
    const mergeArgs = replsimArgs(mergeRun).filter((a) => !a.endsWith('*.jsonl') && a !== '--html' && !a.endsWith('.html'));
    const merged = await replsim([...mergeArgs, ...files.reverse()]);
    expect(merged.err).toBe('');
    expect(merged.out).toBe(whole.out);
    expect(merged.out).toMatch(/4 of 4 runs/);
  }, 300_000);
});

describe('Kubernetes Indexed Job recipe', () => {
  it('is a valid batch/v1 Job by the Kubernetes schema', () => {
    expect(() => new Job(job).validate()).not.toThrow();
    // and the schema does catch mistakes
    const broken = structuredClone(job);
    broken.spec.completions = 'eight';
    expect(() => new Job(broken).validate()).toThrow();
  });

  it('maps every completion index to its own shard: REPLSIM_SHARD_COUNT is the completions', () => {
    expect(job.spec.completionMode).toBe('Indexed');
    const c = job.spec.template.spec.containers[0];
    const count = c.env.find((e: { name: string }) => e.name === 'REPLSIM_SHARD_COUNT').value;
    expect(Number(count)).toBe(job.spec.completions);
    const cmd = (c.args as string[]).join(' ');
    expect(cmd).toContain('--shard auto');
    expect(cmd).toContain('runs-$JOB_COMPLETION_INDEX.jsonl');
    const shards = Array.from({ length: job.spec.completions }, (_, i) => resolveShard('auto', { JOB_COMPLETION_INDEX: String(i), REPLSIM_SHARD_COUNT: count }));
    expect(shards.map((s) => s.index)).toEqual(Array.from({ length: job.spec.completions }, (_, i) => i + 1));
    expect(new Set(shards.map((s) => s.count))).toEqual(new Set([job.spec.completions]));
  });
});
