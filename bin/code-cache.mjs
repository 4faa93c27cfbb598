// Loads dist/bundle/main.cjs (scripts/bundle.mjs) through node:vm with a V8 code cache, the
// part of a cold start Node 20 cannot cache for ES modules (issue 19.3). The cache is made at
// the end of the first run of each command, so it holds the functions that command compiled
// lazily too, and is written to a temporary name and renamed: parallel runs never read half a
// file. It is keyed by the bundle's hash, the Node version and the architecture; V8 rejects
// it by itself when its flags differ. Any failure to read or write it is silent: the bundle
// then compiles as it would without a cache.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * Compiles and evaluates the CommonJS bundle `file` and returns its exports, and what became of
 * the cache: `accepted`, `rejected` (stale or corrupt: remade at exit), `absent` (made at exit)
 * or `off` (no bundle hash, so no cache). `key` names the cache (the command, so each
 * command's cache holds the functions it runs).
 */
export function loadWithCodeCache(file, key) {
  const dir = dirname(file);
  const manifest = readManifest(dir);
  // An all-ASCII bundle (scripts/bundle.mjs makes it so) reads as latin1: a plain copy, where
  // utf8 decoding of 2.4 MB costs tens of milliseconds.
  const source = readFileSync(file, manifest?.ascii === true ? 'latin1' : 'utf8');
  const cacheFile = manifest && join(dir, '.v8-cache', `${key}-${manifest.sha256_16}-${process.version}-${process.arch}.bin`);
  let cached;
  if (cacheFile) {
    try {
      cached = readFileSync(cacheFile);
    } catch {
      // no cache yet: this run makes it
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __replsimImport) {${source}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
    // A dynamic import the bundle did not route through __replsimImport still works (with
    // Node's experimental warning) instead of failing.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile && (cached === undefined || script.cachedDataRejected)) {
    process.once('exit', () => writeCache(script, cacheFile));
  }
  const cache = !cacheFile ? 'off' : cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir, (specifier) => import(specifier));
  return { exports: module.exports, cache };
}

/**
 * main.cjs.json beside the bundle: its hash (the cache key, `.v8-cache/<key>-<hash>-<node>-
 * <arch>.bin`) and whether it is all ASCII. Undefined without one: no cache then.
 */
function readManifest(dir) {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'main.cjs.json'), 'utf8'));
    return typeof m.sha256_16 === 'string' && /^[0-9a-f]+$/.test(m.sha256_16) ? m : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(script, cacheFile) {
  // A run stopped by bad input (exit 2) compiled only the parsing: its cache, once accepted,
  // would serve every later run of the command poorly. The next run that gets further makes it.
  if (process.exitCode === 2) return;
  try {
    const data = script.createCachedData();
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only install: every run compiles, as without a cache
  }
}
