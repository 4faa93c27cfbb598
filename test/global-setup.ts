// Builds dist/ once before the tests, so tests that spawn bin/replsim.mjs run the current code.
// tsc emits even when some file has a type error; test/static/typecheck.test.ts fails on those,
// so one area's type error shows up as one failing test instead of stopping the whole suite.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
}
