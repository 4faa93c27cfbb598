import { describe, expect, it } from 'vitest';
import { KNOWN_SETTINGS, parseEngineSettings } from '../../src/compare/settings.js';

describe('engine settings for compare', () => {
  it('parses comma-separated settings across several --engine values, in order', () => {
    const r = parseEngineSettings(['async:lww,async:hlc', 'sync:pause', 'raft:read-index']);
    expect(r.ok && r.settings).toEqual([
      { label: 'async:lww', type: 'async', set: { conflict: 'lww', timestamps: 'physical' }, unset: ['register'] },
      { label: 'async:hlc', type: 'async', set: { conflict: 'lww', timestamps: 'hybrid' }, unset: ['register'] },
      { label: 'sync:pause', type: 'sync', set: { on_failure: 'pause' }, unset: ['witness'] },
      { label: 'raft:read-index', type: 'raft', set: { reads: 'read-index' }, unset: [] },
    ]);
  });

  it('knows every documented setting, aliases, bare types and a named witness', () => {
    expect(KNOWN_SETTINGS).toEqual([
      'async:lww', 'async:hlc', 'async:vv', 'async:crdt',
      'sync:pause', 'sync:witness', 'sync:split-brain',
      'raft:lease', 'raft:read-index', 'raft:follower',
      'quorum:one', 'quorum:local-quorum', 'quorum:quorum', 'quorum:each-quorum', 'quorum:all',
    ]);
    const r = parseEngineSettings(['async:hybrid,async:version-vector,raft,sync:witness:eu-west']);
    expect(r.ok && r.settings.map((s) => [s.type, s.set])).toEqual([
      ['async', { conflict: 'lww', timestamps: 'hybrid' }],
      ['async', { conflict: 'version-vector' }],
      ['raft', {}],
      ['sync', { on_failure: 'witness', witness: 'eu-west' }],
    ]);
  });

  it('sets the quorum engine\'s read and write levels together', () => {
    const r = parseEngineSettings(['quorum:local-quorum,quorum:each-quorum']);
    expect(r.ok && r.settings.map((s) => [s.type, s.set])).toEqual([
      ['quorum', { consistency: { read: 'LOCAL_QUORUM', write: 'LOCAL_QUORUM' } }],
      ['quorum', { consistency: { read: 'EACH_QUORUM', write: 'EACH_QUORUM' } }],
    ]);
    expect(parseEngineSettings(['quorum:qourum'])).toMatchObject({ ok: false, error: expect.stringContaining('did you mean "quorum:quorum"') });
  });

  it('rejects unknown settings with a suggestion, duplicates and empty lists', () => {
    expect(parseEngineSettings(['raft:leese'])).toEqual({
      ok: false,
      error: `--engine: unknown engine setting "raft:leese" (did you mean "raft:lease"?); known settings: ${KNOWN_SETTINGS.join(', ')}`,
    });
    expect(parseEngineSettings(['asink:lww'])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown engine type "asink".*did you mean "async"/) });
    expect(parseEngineSettings(['async:lww,async:lww'])).toEqual({ ok: false, error: '--engine: "async:lww" is listed twice' });
    expect(parseEngineSettings([' , '])).toMatchObject({ ok: false });
    expect(parseEngineSettings(['raft:lease:x'])).toMatchObject({ ok: false, error: expect.stringContaining('only sync:witness') });
  });
});
