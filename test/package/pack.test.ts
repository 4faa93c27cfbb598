// The published package: `npm pack` holds what a user needs (dist/, bin/, the JSON Schema,
// README, CHANGELOG) and nothing else (no tests, sources or docs images), and the tarball
// installed in an empty folder runs `npx replsim --version`, a scenario with a module engine,
// and its `replsim/testing` and `replsim/schema` entry points.
//
// Offline: the tarball's dependencies are installed with `npm install --offline` when the npm
// cache holds them (a CI machine after `npm ci` from the registry); otherwise (this repo's
// node_modules came from elsewhere) the tarball is unpacked the way npm would, and the
// dependencies are linked from this checkout's node_modules. The test says which it did.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO, engineSource } from '../engines/module/fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let dir = '';
let files: string[] = [];
let tarball = '';
let how = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replsim-pack-'));
  // dist/ is built by the test setup (test/global-setup.ts); `prepare` need not run again.
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  const info = JSON.parse(out)[0] as { filename: string; files: Array<{ path: string }> };
  files = info.files.map((f) => f.path);
  tarball = join(dir, info.filename);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  const install = spawnSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: app, encoding: 'utf8' });
  if (install.status === 0) how = 'npm install --offline';
  else {
    unpackLikeNpm(tarball, app);
    how = `unpacked, dependencies linked from ./node_modules (npm install --offline: ${firstErrorLine(install.stderr)})`;
  }
  console.info(`package test: installed by ${how}`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What npm install does for a tarball whose dependencies are already on disk. */
function unpackLikeNpm(tgz: string, app: string): void {
  const target = join(app, 'node_modules', 'replsim');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', target, '--strip-components', '1']);
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = join(app, 'node_modules', dep);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), link, 'dir');
  }
  mkdirSync(join(app, 'node_modules', '.bin'));
  symlinkSync(join('..', 'replsim', 'bin', 'replsim.mjs'), join(app, 'node_modules', '.bin', 'replsim'));
  chmodSync(join(target, 'bin', 'replsim.mjs'), 0o755);
}

function firstErrorLine(text: string): string {
  return (text.split('\n').find((l) => /ENOTCACHED|error/.test(l)) ?? text.split('\n')[0] ?? '').replace(/^npm error /, '').trim();
}

function inApp(cmd: string, args: string[]) {
  return spawnSync(cmd, args, { cwd: join(dir, 'app'), encoding: 'utf8' });
}

describe('npm pack', () => {
  it('holds dist/, bin/, the JSON Schema, README and CHANGELOG', () => {
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'bin/replsim.mjs', 'schema/scenario.schema.json', 'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/schema.js', 'dist/schema.d.ts', 'dist/cli/main.js', 'dist/suite/worker.js']) {
      expect(files, f).toContain(f);
    }
  });

  it("holds the code-cache loader but never a developer's V8 code cache (made per machine)", () => {
    expect(files).toContain('bin/code-cache.mjs');
    expect(files.filter((f) => f.includes('.v8-cache'))).toEqual([]);
  });

  it('holds no tests, sources, docs, images or examples', () => {
    const outside = files.filter((f) => !/^(dist\/|bin\/|schema\/|package\.json$|README\.md$|CHANGELOG\.md$)/.test(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => /\.(png|jpe?g|gif|svg)$|\.test\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });
});

describe('the tarball installed in an empty folder', () => {
  it('runs npx replsim --version', () => {
    const r = inApp(npx, ['--no-install', 'replsim', '--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('runs a scenario with a module engine', () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'engine.mjs'), engineSource());
    writeFileSync(join(app, 'scenario.yaml'), SCENARIO('  type: module\n  path: ./engine.mjs\n', '  invariant: 0\n  divergence: 0\n'));
    const r = inApp(npx, ['--no-install', 'replsim', 'run', 'scenario.yaml', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).engine).toBe('test/flood');
  });

  it('resolves replsim, replsim/testing, replsim/schema and replsim/scenario.schema.json', () => {
    const script = [
      "const lib = await import('replsim');",
      "const testing = await import('replsim/testing');",
      "const schema = await import('replsim/schema');",
      "const { createRequire } = await import('node:module');",
      "const json = createRequire(import.meta.url)('replsim/scenario.schema.json');",
      'console.log([typeof lib.prepareScenario, typeof testing.createHarness, typeof schema.scenarioSchema.safeParse, json.title].join(" "));',
    ].join('\n');
    const r = inApp(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function function function replsim scenario');
  });
});
