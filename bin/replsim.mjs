#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script): the bundle in
// dist/bundle/ when it is at least as new as dist/ (it starts faster: one file for --help,
// a few chunks for a run), else dist/cli/main.js. REPLSIM_NO_BUNDLE=1 forces the latter.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const plain = new URL('../dist/cli/main.js', import.meta.url);

function bundleIsCurrent() {
  if (process.env.REPLSIM_NO_BUNDLE) return false;
  try {
    // A bundle older than dist/ was made before the last `tsc`: it would run stale code.
    return statSync(bundle).mtimeMs >= statSync(plain).mtimeMs;
  } catch {
    return false;
  }
}

const { cli } = await import(bundleIsCurrent() ? bundle.href : plain.href);
await cli();
