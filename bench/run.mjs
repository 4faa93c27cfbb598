// `npm run bench`: one JSON line per built-in scenario (events, events/s, sim/wall, peak RSS),
// each run in its own process so peak RSS is that scenario's alone. Speed is measured here,
// never in timed tests. Extra benchmark files (bench/*.bench.mjs) each print their own lines.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const f of files) {
  try {
    const out = execFileSync(process.execPath, [join(root, 'bench', 'scenario.mjs'), join(root, 'scenarios', f)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    process.stdout.write(out);
  } catch (e) {
    console.log(JSON.stringify({ bench: 'scenario', scenario: f, error: String(e.message).split('\n')[0] }));
  }
}
// Validation time against file size (issue 20.1): linear, 101k keys in under 5 s.
process.stdout.write(execFileSync(process.execPath, [join(root, 'bench', 'validate.mjs')], { encoding: 'utf8', maxBuffer: 1 << 24 }));
// Cold start of the CLI (issue 19.3): --help, --version and the quickstart in fresh processes.
process.stdout.write(execFileSync(process.execPath, [join(root, 'bench', 'startup.mjs')], { encoding: 'utf8' }));
for (const f of readdirSync(join(root, 'bench')).filter((x) => x.endsWith('.bench.mjs')).sort()) {
  process.stdout.write(execFileSync(process.execPath, [join(root, 'bench', f)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}
