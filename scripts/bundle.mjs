// Bundles the compiled CLI (dist/cli/main.js) and the suite's worker into dist/bundle/ with
// esbuild, split into chunks so the lazy imports stay lazy: `replsim --help` loads one small
// file instead of ~150 modules, and a run loads a few chunks (issue 19.3: cold start).
// Run by `npm run build` / `prepare` after tsc. esbuild is a devDependency (it comes with
// vitest and tsx): without it, no bundle is made and bin/replsim.mjs runs dist/ unbundled.
// The bundle sits two levels below the package root like dist/cli/main.js, so the paths the
// code builds from import.meta.url (package.json, the worker, uPlot) resolve the same.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// The same CLI as one CommonJS script (dist/bundle/main.cjs) for commands that do work (run,
// check, ...): bin/replsim.mjs compiles it with node:vm and a V8 code cache, which ESM cannot
// have on Node 20 (issue 19.3). Lazy imports stay lazy (esbuild wraps their modules in init
// functions). `import.meta.url` becomes the script's own URL; the one dynamic import of a user
// file (a module engine) goes through `__replsimImport`, which the loader passes in from an ES
// module, because an import() inside a vm.Script needs an experimental flag on Node 20.
const dynamicImport = {
  name: 'replsim-dynamic-import',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]engines[\\/]module\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const out = text.replace(/\bawait import\(/g, 'await __replsimImport(');
      if (out === text) throw new Error(`bundle: no dynamic import found in ${args.path}; update scripts/bundle.mjs`);
      return { contents: out, loader: 'js' };
    });
  },
};
const cjs = join(outdir, 'main.cjs');
await esbuild.build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: cjs,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  define: { 'import.meta.url': '__replsimUrl' },
  banner: { js: "var __replsimUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [dynamicImport],
  logLevel: 'warning',
});
// esbuild escapes non-ASCII text in strings and regular expressions but keeps it in comments;
// a file with none can be read as latin1, a plain copy, where utf8 decoding costs ~50 ms on a
// cold start for 2.4 MB. A \uXXXX escape means the same in a string, a regular expression, a
// template or an identifier, and in a comment it is only text.
const toAscii = (file) => {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (out !== text) writeFileSync(file, out);
  return out;
};
// The ES chunks too: Node decodes an all-ASCII module on its fast path (the suite's workers
// and the fallback load them).
for (const f of readdirSync(outdir)) if (f.endsWith('.js')) toAscii(join(outdir, f));
const ascii = toAscii(cjs);
// The loader keys its code cache by this hash (and the Node version), so a rebuilt bundle
// never meets a cache made for another one, even one of the same length.
const sha = createHash('sha256').update(ascii).digest('hex').slice(0, 16);
writeFileSync(join(outdir, 'main.cjs.json'), `${JSON.stringify({ sha256_16: sha, ascii: /^[\x00-\x7f]*$/.test(ascii) })}\n`);
