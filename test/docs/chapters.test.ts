// Every `$ replsim ...` command shown in docs/*.md and README.md is run, and its exit code and
// shown output must be current (see runner.ts for the block format). To refresh whole-output
// blocks after an intended change: REPLSIM_UPDATE_DOCS=1 npx vitest run test/docs/chapters.test.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCommands, mismatch, normalise, runCommand, splitArgs, type DocCommand } from './runner.js';

const root = join(import.meta.dirname, '..', '..');
const UPDATE = process.env.REPLSIM_UPDATE_DOCS === '1';
const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

// The same command shown in several pages (README and chapter 1) runs once.
const memo = new Map<string, ReturnType<typeof runCommand>>();
function runOnce(argv: string[]): ReturnType<typeof runCommand> {
  const key = JSON.stringify(argv);
  let r = memo.get(key);
  if (!r) {
    r = runCommand(argv);
    memo.set(key, r);
  }
  return r;
}

/** The chapters a learner follows, in order; each must run at least one command. */
export const CHAPTERS = [
  'docs/01-what-is-replsim.md',
  'docs/02-first-scenario.md',
  'docs/03-partitions-and-latency.md',
  'docs/04-async-and-conflicts.md',
  'docs/04b-quorums.md',
  'docs/05-clocks.md',
  'docs/06-synchronous-replication.md',
  'docs/07-consensus-per-range.md',
  'docs/08-reading-the-report.md',
  'docs/09-ci.md',
  'docs/10-traffic-and-overload.md',
  'docs/11-routing-and-failover.md',
  'docs/12-backups-and-recovery.md',
  'docs/13-sweeps-and-curves.md',
  'docs/14-write-your-own-engine.md',
];

describe('the docs runner', () => {
  it('extracts commands, exit markers, shown output and excerpts from console blocks only', () => {
    const md = [
      'text',
      '```console',
      '$ replsim run a.yaml',
      'line 1',
      '$ replsim run "b c.yaml" --seed 3   # exit 1',
      'x',
      '...',
      'y',
      '$ ls',
      'not ours',
      '```',
      '```',
      '$ replsim run ignored.yaml',
      '```',
    ].join('\n');
    const cmds = extractCommands(md);
    expect(cmds.map((c) => [c.line, c.argv, c.exit, c.shown, c.excerpt])).toEqual([
      [3, ['run', 'a.yaml'], 0, ['line 1'], false],
      [5, ['run', 'b c.yaml', '--seed', '3'], 1, ['x', '...', 'y'], true],
    ]);
    expect(splitArgs(`a 'b c' "d" ''`)).toEqual(['a', 'b c', 'd', '']);
  });

  it('compares whole outputs line by line and excerpts in order, ignoring wall-clock figures', () => {
    const whole: DocCommand = { line: 1, argv: [], exit: 0, shown: ['a', '✓ x.yaml  1.2s', 'done in 3.4 s'], excerpt: false, range: [0, 0] };
    expect(mismatch(whole, ['a', '✓ x.yaml  0.3s', 'done in 0.1 s'])).toBeUndefined();
    expect(mismatch(whole, ['a', '✗ x.yaml  0.3s', 'done in 0.1 s'])).toMatch(/output line 2 differs/);
    expect(mismatch(whole, ['a', '✓ x.yaml  0.3s'])).toMatch(/<end of output>/);
    const excerpt: DocCommand = { ...whole, shown: ['b', '...', 'd'], excerpt: true };
    expect(mismatch(excerpt, ['a', 'b', 'c', 'd'])).toBeUndefined();
    expect(mismatch(excerpt, ['d', 'b'])).toMatch(/"d"/);
    expect(normalise('3 scenarios: 3 passed (2 workers in 4.2s)')).toBe('3 scenarios: 3 passed (# workers in #s)');
  });
});

describe('docs are executable and current', () => {
  it('every chapter exists and runs at least one command', () => {
    for (const c of CHAPTERS) {
      expect(files, c).toContain(c);
      expect(extractCommands(readFileSync(join(root, c), 'utf8')).length, c).toBeGreaterThan(0);
    }
  });

  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const cmds = extractCommands(text);
    if (cmds.length === 0) continue;
    it(
      `${file}: ${cmds.length} command(s)`,
      async () => {
        const lines = text.split('\n');
        const problems: string[] = [];
        // Later blocks first, so rewriting one does not shift the ranges of those before it.
        const results: Array<{ cmd: DocCommand; code: number; actual: string[] }> = [];
        for (const cmd of cmds) {
          const r = await runOnce(cmd.argv);
          results.push({ cmd, code: r.code, actual: r.lines });
        }
        for (const { cmd, code, actual } of [...results].reverse()) {
          const where = `${file}:${cmd.line} replsim ${cmd.argv.join(' ')}`;
          if (code !== cmd.exit) problems.push(`${where}: exit code ${code}, the doc says ${cmd.exit}`);
          const bad = mismatch(cmd, actual);
          if (bad && UPDATE && !cmd.excerpt) lines.splice(cmd.range[0], cmd.range[1] - cmd.range[0], ...actual);
          else if (bad) problems.push(`${where}: ${bad}`);
        }
        if (UPDATE) writeFileSync(join(root, file), lines.join('\n'));
        expect(problems).toEqual([]);
      },
      600_000,
    );
  }
});
