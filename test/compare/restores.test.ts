// compare --restore: recovery methods parsed from the flag, and the scenario rewritten to each
// (every restore action and the runbook's reconstruct step), everything else identical.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRestoreSettings, withRestoreSetting } from '../../src/compare/restore-settings.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const source = readFileSync('scenarios/ecommerce-pitr.yaml', 'utf8');

describe('--restore settings', () => {
  it('parses methods with points and reapply modes', () => {
    const r = parseRestoreSettings(['snapshot,logs:none', 'pitr:1h04m:all']);
    expect(r).toEqual({
      ok: true,
      settings: [
        { label: 'snapshot', method: 'snapshot' },
        { label: 'logs:none', method: 'logs', reapply: 'none' },
        { label: 'pitr:1h04m:all', method: 'pitr', to: '1h04m', reapply: 'all' },
      ],
    });
  });

  it('refuses unknown methods, a pitr without a point and unknown reapply modes', () => {
    expect(parseRestoreSettings(['latest'])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown method "latest"/) });
    expect(parseRestoreSettings(['pitr'])).toMatchObject({ ok: false, error: expect.stringMatching(/pitr needs a point/) });
    expect(parseRestoreSettings(['logs:some'])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown reapply "some"/) });
  });

  it('rewrites every restore to the method and keeps the rest identical', () => {
    const snap = withRestoreSetting(source, { label: 'snapshot', method: 'snapshot', reapply: 'none' });
    const pitr = withRestoreSetting(source, { label: 'p', method: 'pitr', to: '1h04m', reapply: 'non-conflicting' });
    if (!snap.ok || !pitr.ok) throw new Error('not applied');
    const restores = (s: typeof snap.scenario) => s.faults.flatMap((f) => (f.action.kind === 'restore' ? [f.action] : []));
    expect(restores(snap.scenario).map((a) => [a.method, a.to_us, a.reapply])).toEqual([
      ['snapshot', undefined, 'none'],
      ['snapshot', undefined, 'none'],
      ['snapshot', undefined, 'none'],
    ]);
    expect(restores(pitr.scenario).every((a) => a.to_us === 3_840_000_000)).toBe(true);
    expect(snap.scenario.workload).toEqual(pitr.scenario.workload);
    expect(snap.scenario.backup).toEqual(pitr.scenario.backup);
  });

  it('a point before the first backup is that row\'s error', () => {
    const r = withRestoreSetting(source, { label: 'pitr:10m', method: 'pitr', to: '10m' });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/before the first backup/) });
  });

  it('the CLI refuses a bad --restore with exit 2 and one line', async () => {
    const io = memoryIo();
    expect(await main(['compare', 'scenarios/ecommerce-pitr.yaml', '--restore', 'latest'], io)).toBe(2);
    expect(io.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
