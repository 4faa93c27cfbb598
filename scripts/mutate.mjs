#!/usr/bin/env node
// `npm run mutate`: the mutation campaign. Applies each engine mutant of scripts/mutants.mjs,
// one at a time, to a temporary copy of src/ (the working tree is never touched), runs the
// built-in scenarios of that mutant's engine against it (scripts/mutate-worker.mjs under tsx),
// and compares every run with the unmutated baseline:
//   killed         some scenario's expect block is unmet, a run crashed, stopped early or hung
//                  (what `npm test` / `replsim test` would notice);
//   checker named  the checker reported an anomaly family that was 0 on the baseline (the
//                  engine's own invariant records do not count: they are the engine's word);
//                  a family already counting that only counts more is listed as `more`;
//   engine inv.    the engine reported a broken safety invariant the baseline did not;
//   reached        the history changed at all (a mutant that reaches no scenario cannot be killed).
// Output: one JSON line per mutant on stdout, then a summary line; a table on stderr.
//
// Usage: npm run mutate -- [--engine async|sync|raft] [--mutant ID]... [--seeds N] [--jobs N]
//                          [--scenario NAME]... [--tests] [--timeout-s S] [--quiet]
//   --scenario restricts the runs to built-in scenarios whose file name contains NAME.
//   --tests also runs, per mutant, the engine's own tests (test/engines/ENGINE, with vitest in
//   the same temporary tree) and reports which of them failed: a unit assertion that kills a
//   mutant no scenario reaches (the scripted Figure 8 schedule, for one) shows up there.
// Exit code: 0 when every non-equivalent mutant was named by the checker, 1 otherwise, 2 on bad
// arguments or a broken baseline.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { MUTANTS } from './mutants.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(ROOT, 'scripts', 'mutate-worker.mjs');
const ENGINES = ['async', 'sync', 'raft'];

const args = parseArgs(process.argv.slice(2));
const mutants = MUTANTS.filter(
  (m) => (args.engine === undefined || m.engine === args.engine) && (args.mutants.length === 0 || args.mutants.includes(m.id)),
);
if (mutants.length === 0) fail(`no mutant matches --engine ${args.engine ?? '*'} --mutant ${args.mutants.join(',') || '*'}`);
for (const m of mutants) if (countOf(readFileSync(join(ROOT, m.file), 'utf8'), m.search) !== 1) fail(`${m.id}: its search string does not occur exactly once in ${m.file}`);

const scenariosByEngine = builtinScenariosByEngine();
const engines = ENGINES.filter((e) => mutants.some((m) => m.engine === e));
const slots = Array.from({ length: Math.max(1, Math.min(args.jobs, mutants.length)) }, () => makeTree());

/** engine → tests that fail on the unmutated tree (wall-clock-bound tests on a loaded machine): not a kill */
const baselineFailures = new Map();
try {
  const baseline = new Map();
  for (const e of engines) {
    const rows = await runWorker(slots[0], scenariosByEngine.get(e) ?? []);
    for (const r of rows) {
      // A scenario that fails without any mutant cannot tell a mutant apart: stop (exit 2).
      if (r.kind !== 'ran' || r.unmet.length > 0 || !r.complete) {
        throw new Error(`baseline broken: ${r.file} seed ${r.seed}: ${r.error ?? (r.unmet.join('; ') || r.stop)}`);
      }
      baseline.set(keyOf(r), r);
    }
    if (args.tests) baselineFailures.set(e, new Set(await runTests(slots[0], [join('test', 'engines', e)])));
    log(`baseline ${e}: ${rows.length} runs${args.tests ? `, ${baselineFailures.get(e).size} tests failing already (ignored)` : ''}`);
  }
  const results = [];
  let next = 0;
  await Promise.all(
    slots.map(async (slot) => {
      while (next < mutants.length) {
        const m = mutants[next++];
        const r = await runMutant(slot, m, baseline);
        results.push(r);
        process.stdout.write(`${JSON.stringify(r)}\n`);
        log(`${r.id}: ${r.status === 'named' ? 'named' : r.status === 'killed' ? 'killed, not named' : r.reached.length > 0 ? 'SURVIVED (reached)' : 'SURVIVED (not reached)'}`);
      }
    }),
  );
  results.sort((a, b) => mutants.findIndex((m) => m.id === a.id) - mutants.findIndex((m) => m.id === b.id));
  const summary = summarize(results);
  process.stdout.write(`${JSON.stringify({ summary })}\n`);
  if (!args.quiet) process.stderr.write(table(results, summary));
  process.exitCode = summary.not_named.length === 0 ? 0 : 1;
} catch (e) {
  process.stderr.write(`mutate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
} finally {
  for (const s of slots) rmSync(s, { recursive: true, force: true });
}

/** One mutant: patch the slot's copy, run its engine's scenarios, restore, compare. */
async function runMutant(slot, m, baseline) {
  const original = readFileSync(join(ROOT, m.file), 'utf8');
  const target = join(slot, m.file);
  writeFileSync(target, original.replace(m.search, () => m.replace));
  let rows;
  let failedTests = [];
  try {
    rows = await runWorker(slot, scenariosByEngine.get(m.engine) ?? []);
    if (args.tests) {
      const already = baselineFailures.get(m.engine) ?? new Set();
      failedTests = (await runTests(slot, [join('test', 'engines', m.engine)])).filter((t) => !already.has(t));
    }
  } finally {
    writeFileSync(target, original);
  }
  const killed = [];
  const named = [];
  const engineInvariant = [];
  const more = [];
  const reached = [];
  for (const r of rows) {
    const where = r.seed === null ? r.file : `${short(r.file)}@${r.seed}`;
    if (r.kind !== 'ran') {
      killed.push({ run: where, how: r.kind, detail: r.error });
      continue;
    }
    const base = baseline.get(keyOf(r));
    if (!base) continue;
    if (r.sha !== base.sha) reached.push(where);
    if (r.unmet.length > 0) killed.push({ run: where, how: 'unmet', detail: r.unmet.join('; ') });
    if (!r.complete) killed.push({ run: where, how: 'stopped', detail: r.stop });
    if (r.engineInvariants > base.engineInvariants) engineInvariant.push({ run: where, count: r.engineInvariants - base.engineInvariants });
    // Named: a family that was 0 on the baseline is not any more. A family that was already
    // counting (stale reads of async local reads, say) and counts more is only `more`: timing
    // changes move those counts either way, so they do not say the checker saw the bug.
    const families = {};
    const grew = {};
    for (const [name, after] of Object.entries(r.counts)) {
      const before = base.counts[name];
      const a = name === 'invariant' && after !== null ? after - r.engineInvariants : after;
      const b = name === 'invariant' && before !== null ? before - base.engineInvariants : before;
      if (typeof a !== 'number' || typeof b !== 'number' || a <= b) continue;
      if (b === 0) families[name] = [b, a];
      else grew[name] = [b, a];
    }
    if (Object.keys(families).length > 0) named.push({ run: where, families });
    if (Object.keys(grew).length > 0) more.push({ run: where, families: grew });
  }
  return {
    id: m.id,
    engine: m.engine,
    bug: m.bug,
    ...(m.equivalent ? { equivalent: m.equivalent } : {}),
    status: named.length > 0 ? 'named' : killed.length > 0 || failedTests.length > 0 ? 'killed' : 'survived',
    killed,
    ...(args.tests ? { failed_tests: failedTests } : {}),
    named,
    more,
    engine_invariant: engineInvariant,
    reached,
  };
}

function summarize(results) {
  const real = results.filter((r) => !r.equivalent);
  return {
    mutants: results.length,
    equivalent: results.length - real.length,
    killed: real.filter((r) => r.status !== 'survived').length,
    named: real.filter((r) => r.named.length > 0).length,
    survived: real.filter((r) => r.status === 'survived').map((r) => r.id),
    not_named: real.filter((r) => r.named.length === 0).map((r) => r.id),
  };
}

function table(results, s) {
  const rows = results.map((r) => [
    r.id,
    r.status + (r.equivalent ? ' (equivalent)' : ''),
    firstRuns([...r.killed.map((k) => `${k.run} ${k.how}`), ...(r.failed_tests ?? []).map((t) => `test ${t}`)]),
    firstRuns(r.named.map((n) => `${n.run} ${Object.keys(n.families).join('+')}`)),
    r.engine_invariant.length > 0 ? firstRuns(r.engine_invariant.map((e) => e.run)) : '-',
    String(r.reached.length),
  ]);
  const head = ['mutant', 'status', 'killed by', 'checker named', 'engine invariant', 'reached'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    '',
    line(head),
    ...rows.map(line),
    '',
    `${s.mutants} mutants (${s.equivalent} equivalent): ${s.killed} killed, ${s.named} named by the checker as an anomaly`,
    s.survived.length > 0 ? `survived every scenario: ${s.survived.join(', ')}` : 'none survived',
    s.not_named.length > 0 ? `not named by the checker: ${s.not_named.join(', ')}` : '',
    '',
  ].join('\n');
}

function firstRuns(xs) {
  if (xs.length === 0) return '-';
  return xs.length <= 2 ? xs.join(', ') : `${xs.slice(0, 2).join(', ')} +${xs.length - 2}`;
}

/** A private copy of src/ that tsx can run (package.json for ESM, node_modules linked). */
function makeTree() {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-mutate-'));
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (args.tests) {
    cpSync(join(ROOT, 'test'), join(dir, 'test'), { recursive: true });
    cpSync(join(ROOT, 'vitest.config.ts'), join(dir, 'vitest.config.ts'));
    // The suite's global setup builds dist/ for CLI tests; engine tests do not need it.
    writeFileSync(join(dir, 'test', 'global-setup.ts'), 'export default function setup(): void {}\n');
  }
  return dir;
}

/** Runs the worker on `files` with the tree in `dir`; a hang past the timeout is one `timeout` row. */
function runWorker(dir, files) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, join(dir, 'src'), String(args.seeds), ...files], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), args.timeout_s * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const rows = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      if (signal === 'SIGKILL') rows.push({ file: 'all', seed: null, kind: 'timeout', error: `no answer within ${args.timeout_s} s` });
      else if (code !== 0) rows.push({ file: 'all', seed: null, kind: 'crash', error: err.trim().split('\n').slice(-3).join(' | ') });
      resolve(rows);
    });
  });
}

/** Runs vitest on `paths` inside the tree; returns the full names of the failed tests. */
function runTests(dir, paths) {
  return new Promise((resolve) => {
    const report = join(dir, 'vitest-report.json');
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...paths, '--reporter=json', `--outputFile=${report}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), args.timeout_s * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve([`(tests timed out after ${args.timeout_s} s)`]);
      let failed = [];
      try {
        const j = JSON.parse(readFileSync(report, 'utf8'));
        failed = j.testResults.flatMap((f) =>
          f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name.slice(dir.length + 1)} > ${a.title}`),
        );
        if (failed.length === 0 && code !== 0) failed = [`(vitest exit ${code}: ${err.trim().split('\n').slice(-1)[0]})`];
      } catch {
        failed = [`(vitest exit ${code}, no report: ${err.trim().split('\n').slice(-1)[0]})`];
      }
      rmSync(report, { force: true });
      resolve(failed);
    });
  });
}

/** Built-in scenarios (heavy ones excepted) by engine type, relative paths, sorted. */
function builtinScenariosByEngine() {
  const heavy = new Set([...readFileSync(join(ROOT, 'test', 'suite', 'heavy.ts'), 'utf8').matchAll(/'([^']+\.yaml)'/g)].map((x) => x[1]));
  const out = new Map();
  for (const f of readdirSync(join(ROOT, 'scenarios')).sort()) {
    if (!f.endsWith('.yaml') || heavy.has(f)) continue;
    const type = parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8'))?.engine?.type;
    if (!ENGINES.includes(type)) continue;
    if (args.scenarios.length > 0 && !args.scenarios.some((name) => f.includes(name))) continue;
    out.set(type, [...(out.get(type) ?? []), join('scenarios', f)]);
  }
  return out;
}

function parseArgs(argv) {
  const a = { engine: undefined, mutants: [], scenarios: [], seeds: 1, jobs: 1, timeout_s: 600, quiet: false, tests: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--engine') {
      a.engine = value();
      if (!ENGINES.includes(a.engine)) fail(`--engine: expected one of ${ENGINES.join(' | ')}, got "${a.engine}"`);
    } else if (flag === '--mutant') a.mutants.push(...value().split(','));
    else if (flag === '--scenario') a.scenarios.push(value());
    else if (flag === '--seeds') a.seeds = positive(flag, value());
    else if (flag === '--jobs') a.jobs = positive(flag, value());
    else if (flag === '--timeout-s') a.timeout_s = positive(flag, value());
    else if (flag === '--quiet') a.quiet = true;
    else if (flag === '--tests') a.tests = true;
    else fail(`unknown argument ${flag} (expected --engine, --mutant, --scenario, --seeds, --tests, --jobs, --timeout-s, --quiet)`);
  }
  const unknown = a.mutants.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) fail(`--mutant: no mutant ${unknown.join(', ')}`);
  return a;
}

function positive(flag, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${flag}: expected a positive integer, got "${v}"`);
  return n;
}

function countOf(text, search) {
  return text.split(search).length - 1;
}

function keyOf(r) {
  return `${r.file}@${r.seed}`;
}

function short(f) {
  return f.replace(/^scenarios\//, '').replace(/\.yaml$/, '');
}

function log(msg) {
  if (!args.quiet) process.stderr.write(`${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`mutate: ${msg}\n`);
  process.exit(2);
}
