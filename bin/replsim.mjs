#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script). A command that does
// work (`replsim run ...`) loads the CommonJS bundle dist/bundle/main.cjs with a V8 code cache
// (./code-cache.mjs); `--help`, `--version` and completion load the split ES bundle
// dist/bundle/main.js, one small file. Either bundle is used only when it is at least as new as
// dist/, else dist/cli/main.js. REPLSIM_NO_BUNDLE=1 forces dist/cli/main.js,
// REPLSIM_NO_CODE_CACHE=1 the ES bundle.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const cjsBundle = new URL('../dist/bundle/main.cjs', import.meta.url);
const plain = new URL('../dist/cli/main.js', import.meta.url);
// The commands whose cache is kept (one file each); others run without one.
const COMMANDS = new Set(['run', 'validate', 'check', 'test', 'compare', 'sweep', 'merge', 'shrink']);

function isCurrent(file) {
  try {
    // A bundle older than dist/ was made before the last `tsc`: it would run stale code.
    return statSync(file).mtimeMs >= statSync(plain).mtimeMs;
  } catch {
    return false;
  }
}

async function load() {
  if (process.env.REPLSIM_NO_BUNDLE) return import(plain.href);
  const args = process.argv.slice(2);
  const command = args.find((a) => !a.startsWith('-'));
  const plainStart = command === undefined || args.includes('--get-yargs-completions');
  if (!plainStart && COMMANDS.has(command) && !process.env.REPLSIM_NO_CODE_CACHE && isCurrent(cjsBundle)) {
    const { loadWithCodeCache } = await import('./code-cache.mjs');
    return loadWithCodeCache(fileURLToPath(cjsBundle), command).exports;
  }
  return import(isCurrent(bundle) ? bundle.href : plain.href);
}

const { cli } = await load();
await cli();
