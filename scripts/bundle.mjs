// Bundles the compiled CLI (dist/cli/main.js) and the suite's worker into dist/bundle/ with
// esbuild, split into chunks so the lazy imports stay lazy: `replsim --help` loads one small
// file instead of ~150 modules, and a run loads a few chunks (issue 19.3: cold start).
// Run by `npm run build` / `prepare` after tsc. esbuild is a devDependency (it comes with
// vitest and tsx): without it, no bundle is made and bin/replsim.mjs runs dist/ unbundled.
// The bundle sits two levels below the package root like dist/cli/main.js, so the paths the
// code builds from import.meta.url (package.json, the worker, uPlot) resolve the same.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bundle');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle: esbuild is not installed; bin/replsim.mjs will run dist/ unbundled');
  process.exit(0);
}
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: join(root, 'dist', 'cli', 'main.js'), worker: join(root, 'dist', 'suite', 'worker.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too (zod and yargs are dozens of modules each); CommonJS ones
  // (cli-table3, seedrandom) get a `require` for their own requires.
  banner: { js: "import { createRequire as __replsimRequire } from 'node:module'; const require = __replsimRequire(import.meta.url);" },
  logLevel: 'warning',
});
