// bin/code-cache.mjs (issue 19.3): the CommonJS bundle is loaded through node:vm with a V8 code
// cache made at the first run's exit, accepted by the next run, remade when stale or corrupt,
// never in the way (a bad cache or an unwritable folder still runs the bundle), and the bundle's
// dynamic import of a user module goes through the loader's own import().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const loader = pathToFileURL(join(import.meta.dirname, '..', '..', 'bin', 'code-cache.mjs')).href;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder with a tiny CommonJS "bundle" (and its hash file unless `hash` is null). */
function bundleDir(body: string, hash: string | null = 'abc123', ascii?: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-cc-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'main.cjs'), body);
  if (hash !== null) writeFileSync(join(dir, 'main.cjs.json'), JSON.stringify({ sha256_16: hash, ...(ascii === undefined ? {} : { ascii }) }));
  return dir;
}

/** Loads the bundle in a fresh process; prints the cache status and what `cli()` returns. */
function load(dir: string): { cache: string; value: string; stderr: string } {
  const code = `import { loadWithCodeCache } from ${JSON.stringify(loader)};
const { exports, cache } = loadWithCodeCache(${JSON.stringify(join(dir, 'main.cjs'))}, 'run');
console.log(cache); console.log(await exports.cli());`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [cache = '', value = ''] = r.stdout.trim().split('\n');
  return { cache, value, stderr: r.stderr };
}

const cacheFiles = (dir: string): string[] => {
  try {
    return readdirSync(join(dir, '.v8-cache'));
  } catch {
    return [];
  }
};

const BODY = `const path = require('node:path');
function square(x) { return x * x; }
exports.cli = async () => [path.basename(__filename), square(7), typeof __replsimImport].join(' ');`;

describe('loadWithCodeCache', () => {
  it('makes the cache at the first exit and uses it in the next process', () => {
    const dir = bundleDir(BODY);
    expect(load(dir)).toMatchObject({ cache: 'absent', value: 'main.cjs 49 function' });
    expect(cacheFiles(dir)).toEqual([`run-abc123-${process.version}-${process.arch}.bin`]);
    expect(load(dir)).toMatchObject({ cache: 'accepted', value: 'main.cjs 49 function' });
  });

  it('keys the cache by the bundle hash: a rebuilt bundle does not meet the old cache', () => {
    const dir = bundleDir(BODY);
    load(dir);
    writeFileSync(join(dir, 'main.cjs.json'), JSON.stringify({ sha256_16: 'def456' }));
    expect(load(dir).cache).toBe('absent');
    expect(cacheFiles(dir)).toHaveLength(2);
  });

  it('runs the bundle from scratch over a corrupt cache, and remakes it', () => {
    const dir = bundleDir(BODY);
    load(dir);
    const [name = ''] = cacheFiles(dir);
    writeFileSync(join(dir, '.v8-cache', name), 'not a code cache');
    expect(load(dir)).toMatchObject({ cache: 'rejected', value: 'main.cjs 49 function' });
    expect(readFileSync(join(dir, '.v8-cache', name)).length).toBeGreaterThan(100);
    expect(load(dir).cache).toBe('accepted');
  });

  it('runs without a cache when the bundle has no hash file', () => {
    const dir = bundleDir(BODY, null);
    expect(load(dir)).toMatchObject({ cache: 'off', value: 'main.cjs 49 function' });
    expect(cacheFiles(dir)).toEqual([]);
  });

  it('runs without a cache when the cache folder cannot be made', () => {
    const dir = bundleDir(BODY);
    writeFileSync(join(dir, '.v8-cache'), 'a file where the folder would go');
    expect(load(dir)).toMatchObject({ cache: 'absent', value: 'main.cjs 49 function', stderr: '' });
    expect(load(dir).cache).toBe('absent');
  });

  it("imports a user's ES module through the loader, without Node's experimental warning", () => {
    const dir = bundleDir(`exports.cli = async () => (await __replsimImport(require('node:url').pathToFileURL(require('node:path').join(__dirname, 'engine.mjs')).href)).default;`);
    writeFileSync(join(dir, 'engine.mjs'), 'export default "from engine.mjs";');
    expect(load(dir)).toMatchObject({ value: 'from engine.mjs', stderr: '' });
  });

  it('reads an all-ASCII bundle as latin1 and any other as utf8, with the same text', () => {
    const escaped = bundleDir(`exports.cli = async () => '\\u00b5s';`, 'abc123', true);
    expect(load(escaped).value).toBe('µs');
    const raw = bundleDir(`exports.cli = async () => 'µs';`, 'abc123', false);
    expect(load(raw).value).toBe('µs');
  });

  it('makes no cache from a run that stopped on bad input (exit 2): it compiled too little', () => {
    const dir = bundleDir(`exports.cli = async () => { process.exitCode = 2; return 'bad input'; };`);
    const code = `import { loadWithCodeCache } from ${JSON.stringify(loader)};
await loadWithCodeCache(${JSON.stringify(join(dir, 'main.cjs'))}, 'run').exports.cli();`;
    expect(spawnSync(process.execPath, ['--input-type=module', '-e', code]).status).toBe(2);
    expect(cacheFiles(dir)).toEqual([]);
  });
});
