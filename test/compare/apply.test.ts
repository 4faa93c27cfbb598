import { describe, expect, it } from 'vitest';
import { withEngineSetting } from '../../src/compare/apply.js';
import { parseEngineSettings, type EngineSetting } from '../../src/compare/settings.js';

const source = `name: t
seed: 5
duration: 2s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
  c: { nodes: 1 }
engine: { type: async, conflict: crdt, register: mv, batch: 7 }
workload:
  clients:
    a: { count: 1, rate: 10/s }
`;

function setting(text: string): EngineSetting {
  const r = parseEngineSettings([text]);
  if (!r.ok) throw new Error(r.error);
  return r.settings[0] as EngineSetting;
}

describe('a scenario under another engine setting', () => {
  it('keeps the scenario’s other settings of the same engine type, drops what no longer applies', () => {
    const r = withEngineSetting(source, setting('async:hlc'));
    if (!r.ok) throw new Error(r.error);
    expect(r.scenario.engine).toMatchObject({ type: 'async', conflict: 'lww', timestamps: 'hybrid', register: 'lww', batch: 7 });
    const crdt = withEngineSetting(source, setting('async:crdt'));
    expect(crdt.ok && crdt.scenario.engine).toMatchObject({ conflict: 'crdt', register: 'mv', batch: 7 });
  });

  it('uses the defaults of another engine type; everything else is unchanged', () => {
    const r = withEngineSetting(source, setting('raft:follower'), 9);
    if (!r.ok) throw new Error(r.error);
    expect(r.scenario.engine).toMatchObject({ type: 'raft', reads: 'follower', replication_factor: 3, ranges: 16 });
    expect(r.scenario.seed).toBe(9);
    expect(r.scenario.duration_us).toBe(2_000_000);
    expect(Object.keys(r.scenario.regions)).toEqual(['a', 'b', 'c']);
  });

  it('a witness defaults to the last region; a named one must exist', () => {
    const r = withEngineSetting(source, setting('sync:witness'));
    expect(r.ok && r.scenario.engine).toMatchObject({ type: 'sync', on_failure: 'witness', witness: 'c' });
    const bad = withEngineSetting(source, setting('sync:witness:mars'));
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^engine\.witness: .*mars/) });
  });

  it('a setting that does not fit the scenario is an error naming the field', () => {
    const two = source.replace('  c: { nodes: 1 }\n', '');
    expect(withEngineSetting(two, setting('raft:lease'))).toEqual({
      ok: false,
      error: 'engine.replication_factor: replication_factor 3 needs at least 3 nodes; the regions have 2',
    });
  });
});
