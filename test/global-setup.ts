// Builds dist/ once before the tests, so tests that spawn bin/replsim.mjs run the current code.
// tsc emits even when some file has a type error; test/static/typecheck.test.ts fails on those,
// so one area's type error shows up as one failing test instead of stopping the whole suite.
// Then the bundles, as `npm run build` makes them: bin/replsim.mjs runs a bundle only when it
// is at least as new as dist/, so a tsc alone left them stale, the CLI tests ran the plain
// dist/ instead of what users run, and the next `npm start` paid the slow start.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  const b = spawnSync(process.execPath, ['scripts/bundle.mjs'], { encoding: 'utf8' });
  if (b.error) throw b.error;
  if (b.status !== 0) throw new Error(`scripts/bundle.mjs failed: ${b.stderr.trim().split('\n')[0] ?? ''}`);
}
