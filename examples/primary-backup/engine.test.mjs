// Interaction tests of the primary-backup engine with replsim's harness: the test decides
// which message arrives, which is lost, which node crashes. Run by `npm test`.
import { describe, expect, it } from 'vitest';
import { createHarness, engineConfig } from 'replsim/testing';
import primaryBackup, { settings } from './engine.mjs';

const nodes = ['us/0', 'eu/0', 'ap/0']; // us/0 primary, ap/0 the view service
const start = (over = {}) => createHarness(primaryBackup(engineConfig(nodes, settings.parse(over))), { nodes, seed: 1 });
const isRep = (to) => (m) => m.msg.type === 'rep' && m.to === to;

describe('primary-backup, synchronous (wait_for: all)', () => {
  it('acknowledges a write only once every backup has it', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliver(isRep('eu/0'));
    h.deliverAll((m) => m.msg.type === 'ack');
    expect(h.replies).toEqual([]); // ap/0 has not acknowledged yet
    h.deliverAll();
    expect(h.replies.map((r) => [r.node, r.op, r.result])).toEqual([['us/0', 1, { type: 'ok', value: 1 }]]);
    expect(h.applies.map((a) => a.node).sort()).toEqual(['ap/0', 'eu/0', 'us/0']);
  });

  it('a write that one backup never gets is never acknowledged', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.drop(isRep('eu/0'));
    h.deliverAll();
    expect(h.replies).toEqual([]);
  });

  it('a non-primary forwards to the primary, which answers the client', () => {
    const h = start();
    h.request('eu/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliverAll();
    h.request('ap/0', { op: 2, f: 'read', key: 'x' });
    h.deliverAll();
    expect(h.replies.map((r) => [r.node, r.op, r.result.value])).toEqual([['us/0', 1, 1], ['us/0', 2, 1]]);
  });

  it('a duplicated replication message is applied once', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    expect(h.duplicate(isRep('eu/0'))).toBe(1);
    h.deliverAll();
    expect(h.applies.filter((a) => a.node === 'eu/0')).toHaveLength(1);
    expect(h.replies).toHaveLength(1);
  });

  it('fails over: the view service makes the first backup primary, which keeps every acknowledged write', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliverAll();
    h.crash('us/0');
    for (let i = 0; i < 15; i++) {
      h.advance(100_000); // heartbeats: us/0 is silent for more than dead_after_ms
      h.deliverAll();
    }
    expect(h.states.get('eu/0').view).toMatchObject({ num: 2, primary: 'eu/0', backups: ['ap/0'] });
    h.request('ap/0', { op: 2, f: 'read', key: 'x' });
    h.deliverAll();
    expect(h.replies.at(-1)).toMatchObject({ node: 'eu/0', op: 2, result: { type: 'ok', value: 1 } });
  });

  it('a restarted node rejoins as a backup and receives the store', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliverAll();
    h.crash('us/0');
    for (let i = 0; i < 15; i++) (h.advance(100_000), h.deliverAll());
    h.restart('us/0');
    for (let i = 0; i < 5; i++) (h.advance(100_000), h.deliverAll());
    expect(h.states.get('ap/0').view.backups).toContain('us/0');
    expect(h.states.get('us/0').view.primary).toBe('eu/0');
  });
});

describe('primary-backup, semi-synchronous (wait_for: one): the first version', () => {
  it('acknowledges after one backup, so a failover to the other loses the write', () => {
    const h = start({ wait_for: 'one' });
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.drop(isRep('eu/0')); // eu/0 never gets it
    h.deliverAll();
    expect(h.replies).toHaveLength(1); // acknowledged on ap/0's word alone
    h.crash('us/0');
    for (let i = 0; i < 15; i++) (h.advance(100_000), h.deliverAll());
    h.request('ap/0', { op: 2, f: 'read', key: 'x' });
    h.deliverAll();
    // eu/0 is primary now and never had x = 1: an acknowledged write is lost
    expect(h.replies.at(-1)).toMatchObject({ node: 'eu/0', op: 2, result: { type: 'ok', value: null } });
  });
});
